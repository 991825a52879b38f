#!/usr/bin/env bash
# Usage: run.sh [--port N]   (N=0, the default: pick a free port; prints `LISTENING <port>`)
cd "$(dirname "$0")"
exec /usr/lib/jvm/java-17-openjdk-amd64/bin/java -XX:+UseSerialGC \
  -Dsun.net.httpserver.nodelay=true -Dsun.net.httpserver.idleInterval=3600 \
  -cp build Adapter "$@"
