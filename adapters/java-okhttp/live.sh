#!/usr/bin/env bash
# The live client (src/Live.java) for `cookie-conformance fidelity --target java-okhttp`.
# Not exec'd: the runner ends a live client with SIGKILL, which reaches this shell; the JVM then
# reads the end of its standard input, exits, and its shutdown hook removes the timestamp file
# (an exec'd JVM killed that way would leave the file behind).
cd "$(dirname "$0")"
. ./env.sh
"$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CP" Live "$@"
status=$?
rm -f "$FAKETIME_TIMESTAMP_FILE" "$FAKETIME_TIMESTAMP_FILE.new"
exit $status
