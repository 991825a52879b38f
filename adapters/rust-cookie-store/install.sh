#!/usr/bin/env bash
# Idempotent: Debian's public suffix list (the list reqwest users load into cookie_store), then
# the runner binary, which serves cookie_store over the protocol (`serve --jar cookie_store`),
# and the live client (reqwest itself, live/, for `cookie-conformance fidelity`), in one build.
# cookie_store's version is pinned by the workspace's Cargo.lock; a second run is a no-op build.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f /usr/share/publicsuffix/public_suffix_list.dat ] && [ -z "${PSL_FILE:-}" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends publicsuffix
fi
cargo build --release --quiet -p cookie-conformance-cli -p rust-cookie-store-live
echo "rust-cookie-store: ready (cookie_store $(sed -n '/^name = "cookie_store"$/{n;s/^version = "\(.*\)"$/\1/p}' Cargo.lock))"
