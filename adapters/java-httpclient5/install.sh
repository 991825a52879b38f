#!/usr/bin/env bash
# Idempotent: Debian 12's Apache HttpClient 5 (libhttpclient5-java 5.2.1 with libhttpcore5-java
# and libslf4j-java), OpenJDK 17, libfaketime for the virtual clock; then javac into build/
# when a source is newer than the classes. No Maven: the jars come from /usr/share/java.
set -euo pipefail
cd "$(dirname "$0")"
PACKAGES=(openjdk-17-jdk-headless libhttpclient5-java libhttpcore5-java libslf4j-java libfaketime)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
JDK=/usr/lib/jvm/java-17-openjdk-amd64
CP="$(cat classpath)"
# ../java-shared: sources the Java adapters share (Json.java).
if [ ! -f build/Adapter.class ] || [ -n "$(find src ../java-shared classpath -newer build/Adapter.class)" ]; then
  rm -rf build
  "$JDK/bin/javac" --release 17 -Xlint:all,-serial -Werror -cp "$CP" -d build src/*.java ../java-shared/*.java
fi
echo "java-httpclient5: ready (libhttpclient5-java $(dpkg-query -W -f='${Version}' libhttpclient5-java), $("$JDK/bin/java" -version 2>&1 | head -1))"
