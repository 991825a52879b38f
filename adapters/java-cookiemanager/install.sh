#!/usr/bin/env bash
# Idempotent: Debian's OpenJDK 17 (the JDK alone: a hand-written HTTP server and JSON reader, no
# Maven) and libfaketime (the virtual clock, see src/FakeClock.java), then javac into build/
# when a source is newer than the classes.
set -euo pipefail
cd "$(dirname "$0")"
JDK=/usr/lib/jvm/java-17-openjdk-amd64
missing=()
for pkg in openjdk-17-jdk-headless libfaketime; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# ../java-shared: sources the Java adapters share (Json.java).
if [ ! -f build/.stamp ] || [ -n "$(find src ../java-shared -newer build/.stamp -name '*.java')" ]; then
  rm -rf build
  # HttpClientPath calls java.net.http's own Utils.isValidValue (an unexported package).
  "$JDK/bin/javac" -source 17 -target 17 -Xlint:all -Werror \
    --add-exports java.net.http/jdk.internal.net.http.common=ALL-UNNAMED -d build src/*.java ../java-shared/*.java
  touch build/.stamp
fi
echo "java-cookiemanager: ready ($("$JDK/bin/java" -version 2>&1 | head -1))"
