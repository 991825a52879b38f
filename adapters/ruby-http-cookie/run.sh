#!/usr/bin/env bash
# Usage: run.sh [--port N]   (N=0, the default: pick a free port; prints `LISTENING <port>`)
cd "$(dirname "$0")"
exec ruby adapter.rb "$@"
