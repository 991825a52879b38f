#!/usr/bin/env bash
# The live client (live.py) with the adapter's clock: libfaketime preloaded, a per-process
# timestamp file (removed by live.py when its input ends, and here on any exit).
set -euo pipefail
cd "$(dirname "$0")"
FT=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
[ -e "$FT" ] || { echo "python-libsoup live: $FT missing: run install.sh" >&2; exit 1; }
stamp=$(mktemp /tmp/python-libsoup-live-clock.XXXXXX)
trap 'rm -f "$stamp" "$stamp.new"' EXIT
echo "+0" > "$stamp"
LD_PRELOAD="$FT" FAKETIME_TIMESTAMP_FILE="$stamp" FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 TZ=UTC \
  /usr/bin/python3 -u live.py "$@"
