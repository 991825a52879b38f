#!/usr/bin/env bash
# Usage: run.sh [--port N]   (N=0, the default: pick a free port; prints `LISTENING <port>`)
# The JVM runs under libfaketime with a timestamp file of its own (env.sh, src/Clock.java).
# C1 only (TieredStopAtLevel=1): the JVM starts and warms up faster on a busy machine.
cd "$(dirname "$0")"
. ./env.sh
exec "$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CP" Adapter "$@"
