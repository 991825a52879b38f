#!/usr/bin/env bash
# Idempotent: the node-tough-cookie adapter's install (one node_modules, one package-lock.json for
# both targets: tough-cookie 6.1.0 and its tldts for the adapter, jsdom 29.1.1 and undici 7.30.3
# for this target's live client, live.mjs).
set -euo pipefail
dir="$(cd "$(dirname "$0")/../node-tough-cookie" && pwd)"
bash "$dir/install.sh"
cd "$dir"
echo "node-tough-cookie-api: ready (jsdom $(node -p 'require("./node_modules/jsdom/package.json").version'), undici $(node -p 'require("./node_modules/undici/package.json").version'), tough-cookie $(node -p 'require("./node_modules/tough-cookie/package.json").version'))"
