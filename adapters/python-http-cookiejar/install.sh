#!/usr/bin/env bash
# Idempotent: the adapter needs only a Python 3 (standard library) on PATH.
set -euo pipefail
if ! command -v python3 >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3
fi
python3 -c 'import sys; assert sys.version_info >= (3, 8), sys.version'
echo "python-http-cookiejar: ready ($(python3 --version))"
