# Sourced by run.sh and live.sh: the JVM, OkHttp's jars, and libfaketime with a per-process
# timestamp file (the virtual clock, src/Clock.java; the JVM deletes the file when it exits).
JAVA=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
# The library's jars: `classpath` (one line), also read by the reproducers' test.
CP="build:$(cat classpath)"
FAKETIME_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
if [ ! -f "$FAKETIME_LIB" ] || [ ! -f build/Adapter.class ]; then
  echo "java-okhttp: not installed ($FAKETIME_LIB or build/ missing): run install.sh" >&2
  exit 1
fi
FAKETIME_TIMESTAMP_FILE=$(mktemp "${TMPDIR:-/tmp}/java-okhttp-faketime.XXXXXX")
echo "+0" > "$FAKETIME_TIMESTAMP_FILE"
# The monotonic clock stays real (FAKETIME_DONT_FAKE_MONOTONIC=1), and FAKETIME_FORCE_MONOTONIC_FIX=0
# makes libfaketime pass the deadline of a timed wait on a monotonic condition variable (every
# JVM park, sleep and wait) through unchanged: with glibc 2.36 it otherwise shifts it by the fake
# offset, and measured here, a Thread.sleep(200) never returned with the clock set before 1970
# and returned at once (threads spinning) with the clock set ahead.
export TZ=UTC LD_PRELOAD="$FAKETIME_LIB" FAKETIME_TIMESTAMP_FILE FAKETIME_NO_CACHE=1 \
  FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_FORCE_MONOTONIC_FIX=0
