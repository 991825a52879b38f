#!/usr/bin/env bash
# Usage: run.sh [--port N]   (N=0, the default: pick a free port; prints `LISTENING <port>`)
# The JVM runs under libfaketime with a timestamp file of its own (src/FakeClock.java); the
# server removes the file when it exits. java.net.http's internal parser and WebSocket
# handshake are opened to the adapter, which calls them (src/HttpClientPath.java).
cd "$(dirname "$0")"
# The file is named after this shell's pid, which exec hands to the JVM. The JVM removes it when
# it exits normally; one killed (SIGKILL) cannot, so files of pids no longer running go here.
dir="${TMPDIR:-/tmp}"
for stale in "$dir"/java-cookiemanager-clock.*; do
  [ -e "$stale" ] || continue
  pid="${stale##*.}"
  case "$pid" in *[!0-9]*) continue ;; esac
  kill -0 "$pid" 2>/dev/null || rm -f "$stale"
done
clock="$dir/java-cookiemanager-clock.$$"
echo "+0" > "$clock"
# libfaketimeMT: the thread-safe build. With the plain one, a JVM thread reading the clock while
# another re-reads the file now and then gets the real time or the previous value (measured:
# about 1 read in 200 000 was wrong, enough to reorder cookies in a long case).
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
# FORCE_MONOTONIC_FIX=0: with libfaketime's pthread_cond_timedwait "fix", every timed wait of
# the JVM (Object.wait, parkNanos) returns at once and its threads spin (measured: a sleeping
# JVM burns a core); without it, waits run on the real monotonic clock, which is not faked.
export FAKETIME_TIMESTAMP_FILE="$clock" FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 \
  FAKETIME_FORCE_MONOTONIC_FIX=0 TZ=UTC
exec /usr/lib/jvm/java-17-openjdk-amd64/bin/java -XX:+UseSerialGC \
  --add-opens java.net.http/jdk.internal.net.http=ALL-UNNAMED \
  --add-opens java.net.http/jdk.internal.net.http.websocket=ALL-UNNAMED \
  --add-exports java.net.http/jdk.internal.net.http.common=ALL-UNNAMED \
  -cp build Adapter "$@"
