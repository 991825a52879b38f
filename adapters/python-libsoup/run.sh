#!/usr/bin/env bash
# Usage: run.sh [--port N]   (N=0, the default: pick a free port; prints `LISTENING <port>`)
# The system python3 (Debian's, which has python3-gi and finds libsoup-3.0.so.0), with
# libfaketime preloaded: adapter.py writes each operation's `now` into the timestamp file made
# here (FAKETIME_NO_CACHE=1: re-read on every time call) and removes it on exit. The monotonic
# clock stays real (Python's sleeps and GLib's timeouts need it); TZ=UTC so that the absolute
# time in the file is read as UTC.
set -euo pipefail
cd "$(dirname "$0")"
FT=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
[ -e "$FT" ] || { echo "python-libsoup: $FT missing: run install.sh" >&2; exit 1; }
LIBSOUP_DEB_VERSION=$(dpkg-query -W -f='${Version}' libsoup-3.0-0 2>/dev/null || true)
export LIBSOUP_DEB_VERSION
stamp=$(mktemp /tmp/python-libsoup-clock.XXXXXX)
echo "+0" > "$stamp"
export LD_PRELOAD="$FT" FAKETIME_TIMESTAMP_FILE="$stamp" FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 TZ=UTC
exec /usr/bin/python3 -u adapter.py "$@"
