#!/usr/bin/env bash
# Usage: run.sh [--port N]   (N=0, the default: pick a free port; prints `LISTENING <port>`)
# The node-tough-cookie adapter in its `api` configuration (../node-tough-cookie/adapter.js).
cd "$(dirname "$0")/../node-tough-cookie"
exec node adapter.js --mode api "$@"
