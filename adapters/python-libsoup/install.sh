#!/usr/bin/env bash
# Idempotent: Debian 12's libsoup 3 (its GObject introspection data, which pulls in
# libsoup-3.0-0 and libpsl5), PyGObject for the live client, Debian's public suffix list (which
# libpsl's psl_latest() prefers when newer than its built-in one; apt installs it as a
# recommendation of libpsl5) and libfaketime for the virtual clock. No build step.
set -euo pipefail
PKGS=(gir1.2-soup-3.0 libsoup-3.0-0 python3-gi python3 publicsuffix libfaketime)
missing=()
for p in "${PKGS[@]}"; do
  dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
/usr/bin/python3 -c 'import gi; gi.require_version("Soup", "3.0"); from gi.repository import Soup' 
echo "python-libsoup: ready (libsoup $(dpkg-query -W -f='${Version}' libsoup-3.0-0), $(/usr/bin/python3 --version))"
