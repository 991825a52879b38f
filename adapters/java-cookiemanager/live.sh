#!/usr/bin/env bash
# The live client for `cookie-conformance fidelity` (src/Live.java; protocol in
# cli/src/live/driven.rs), under libfaketime the same way as run.sh, with hostname verification
# off for the loopback server's self-signed certificate.
cd "$(dirname "$0")"
# The file is named after this shell's pid, which exec hands to the JVM. The JVM removes it when
# it exits normally; one killed (SIGKILL) cannot, so files of pids no longer running go here.
dir="${TMPDIR:-/tmp}"
for stale in "$dir"/java-cookiemanager-live-clock.*; do
  [ -e "$stale" ] || continue
  pid="${stale##*.}"
  case "$pid" in *[!0-9]*) continue ;; esac
  kill -0 "$pid" 2>/dev/null || rm -f "$stale"
done
clock="$dir/java-cookiemanager-live-clock.$$"
echo "+0" > "$clock"
# libfaketimeMT: the thread-safe build. With the plain one, a JVM thread reading the clock while
# another re-reads the file now and then gets the real time or the previous value (measured:
# about 1 read in 200 000 was wrong, enough to reorder cookies in a long case).
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
# FORCE_MONOTONIC_FIX=0: see run.sh.
export FAKETIME_TIMESTAMP_FILE="$clock" FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 \
  FAKETIME_FORCE_MONOTONIC_FIX=0 TZ=UTC
exec /usr/lib/jvm/java-17-openjdk-amd64/bin/java -XX:+UseSerialGC \
  -Djdk.internal.httpclient.disableHostnameVerification=true \
  -cp build Live
