#!/usr/bin/env bash
# Idempotent: node_modules from package-lock.json (tough-cookie 6.1.0 and its exact tldts; got
# 14.6.6 for the live client of `cookie-conformance fidelity`)
# via `npm ci`, skipped when the installed tree already matches the lock file.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi
node -e 'const v = +process.versions.node.split(".")[0]; if (v < 20) { console.error("node >= 20 needed (got 14)"); process.exit(1) }'
# Up to date when every package of the lock file is installed at its locked version.
if ! node -e '
  const want = require("./package-lock.json").packages;
  const have = require("./node_modules/.package-lock.json").packages;
  for (const k of Object.keys(want)) if (k && (!have[k] || have[k].version !== want[k].version)) process.exit(1);
' 2>/dev/null; then
  npm ci --omit=dev --no-audit --no-fund --loglevel=error
fi
echo "node-tough-cookie: ready (tough-cookie $(node -p 'require("./node_modules/tough-cookie/package.json").version'), got $(node -p 'require("./node_modules/got/package.json").version'), node $(node --version))"
