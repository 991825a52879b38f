#!/usr/bin/env bash
# Idempotent: a virtualenv in .venv with the pinned aiohttp (PyPI). A second run is a no-op
# that needs no network once every pin is satisfied.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v python3 >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv
fi
if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    python3 -m venv .venv
  fi
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
echo "python-aiohttp: ready (aiohttp $(.venv/bin/python -c 'import aiohttp; print(aiohttp.__version__)'))"
