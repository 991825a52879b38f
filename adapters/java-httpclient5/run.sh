#!/usr/bin/env bash
# Usage: run.sh [--port N]   (N=0, the default: pick a free port; prints `LISTENING <port>`)
cd "$(dirname "$0")"
. ./clock-env.sh
exec "$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CP" Adapter "$@"
