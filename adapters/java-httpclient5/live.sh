#!/usr/bin/env bash
# The live client for `cookie-conformance fidelity` (src/Live.java), under the same clock as run.sh.
cd "$(dirname "$0")"
. ./clock-env.sh
exec "$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CP" Live "$@"
