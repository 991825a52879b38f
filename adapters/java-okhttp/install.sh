#!/usr/bin/env bash
# Idempotent: Debian 12's OkHttp 3 (libokhttp-java 3.13.1: okhttp.jar, okhttp-urlconnection.jar
# with JavaNetCookieJar; libokio-java 1.16.0), OpenJDK 17 and libfaketime (the virtual clock),
# then javac into build/ when a source is newer than the classes. No Maven, nothing downloaded
# outside apt.
set -euo pipefail
cd "$(dirname "$0")"
JDK=/usr/lib/jvm/java-17-openjdk-amd64
PACKAGES=(openjdk-17-jdk-headless libokhttp-java libokio-java libfaketime)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
CP="$(cat classpath)"
if [ ! -f build/Adapter.class ] || [ ! -f build/Live.class ] \
  || [ -n "$(find src ../java-shared -newer build/Adapter.class -name '*.java')" ]; then
  rm -rf build
  # ../java-shared: sources the Java adapters share (Json.java).
  "$JDK/bin/javac" --release 17 -Xlint:all,-classfile -Werror -cp "$CP" -d build src/*.java ../java-shared/*.java
fi
echo "java-okhttp: ready (OkHttp $(dpkg-query -W -f='${Version}' libokhttp-java), $("$JDK/bin/java" -version 2>&1 | head -1))"
