#!/usr/bin/env bash
# Idempotent: node_modules from package-lock.json (tough-cookie 6.1.0 and its exact tldts; the
# live clients of `cookie-conformance fidelity`: got 14.6.6 for this target, jsdom 29.1.1 with
# undici 7.30.3 for node-tough-cookie-api) via `npm ci`, skipped when the installed tree already
# matches the lock file.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi
# jsdom 29 needs Node 20.19 or newer (its `engines`); got 14 needs 20.
node -e 'const [a, b] = process.versions.node.split(".").map(Number); if (a < 20 || (a === 20 && b < 19)) { console.error("node >= 20.19 needed (got " + process.versions.node + ")"); process.exit(1) }'
# Up to date when every package of the lock file is installed at its locked version.
if ! node -e '
  const want = require("./package-lock.json").packages;
  const have = require("./node_modules/.package-lock.json").packages;
  for (const k of Object.keys(want)) if (k && (!have[k] || have[k].version !== want[k].version)) process.exit(1);
' 2>/dev/null; then
  npm ci --omit=dev --no-audit --no-fund --loglevel=error
fi
echo "node-tough-cookie: ready (tough-cookie $(node -p 'require("./node_modules/tough-cookie/package.json").version'), got $(node -p 'require("./node_modules/got/package.json").version'), node $(node --version))"
