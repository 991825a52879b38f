#!/usr/bin/env bash
# Idempotent: Debian's OpenJDK 17 (the JDK alone: its own HTTP server, a hand-written JSON
# reader, no Maven), then javac into build/ when a source is newer than the classes.
set -euo pipefail
cd "$(dirname "$0")"
JDK=/usr/lib/jvm/java-17-openjdk-amd64
if [ ! -x "$JDK/bin/javac" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless
fi
if [ ! -f build/Adapter.class ] || [ -n "$(find src -newer build/Adapter.class -name '*.java')" ]; then
  rm -rf build
  "$JDK/bin/javac" --release 17 -Xlint:all -Werror -d build src/*.java
fi
echo "java-cookiemanager: ready ($("$JDK/bin/java" -version 2>&1 | head -1))"
