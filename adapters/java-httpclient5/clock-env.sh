# Sourced by run.sh and live.sh (which then `exec` java, keeping this shell's pid and open files):
# preloads libfaketime with a clock file of this process's own. The file is created, opened on
# fd 3 and unlinked at once: libfaketime and FakeClock.java reach it as /proc/<pid>/fd/3, and it
# disappears with the process however that ends (the runner SIGKILLs live clients).
FAKETIME_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
if [ ! -f "$FAKETIME_LIB" ]; then
  echo "java-httpclient5: $FAKETIME_LIB missing (run install.sh)" >&2
  exit 1
fi
clock_file="$(mktemp "${TMPDIR:-/tmp}/java-httpclient5-clock.XXXXXX")"
exec 3<>"$clock_file"
rm -f "$clock_file"
printf '+0\n' >&3
FAKETIME_TIMESTAMP_FILE="/proc/$$/fd/3"
# NO_CACHE: re-read the file at every clock read. Only CLOCK_REALTIME is faked: the monotonic
# clock stays real, and FORCE_MONOTONIC_FIX=0 keeps libfaketime out of the JVM's timed waits on
# it (measured: with the default, Thread.sleep hung once the clock was set before 1970). TZ=UTC
# so that nothing depends on the machine's zone.
export LD_PRELOAD="$FAKETIME_LIB" FAKETIME_TIMESTAMP_FILE FAKETIME_NO_CACHE=1 \
  FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_FORCE_MONOTONIC_FIX=0 TZ=UTC
JAVA=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
CP="build:$(cat classpath)"
