#!/usr/bin/env bash
# Idempotent: the node-tough-cookie adapter's install (one node_modules for both targets).
set -euo pipefail
exec bash "$(dirname "$0")/../node-tough-cookie/install.sh"
