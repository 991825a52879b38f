#!/usr/bin/env bash
# Idempotent: Debian's Go toolchain and golang.org/x/net (the Go module proxy is not used),
# then GOPATH-mode builds of bin/adapter and bin/live against /usr/share/gocode.
set -euo pipefail
cd "$(dirname "$0")"
need=()
command -v go >/dev/null 2>&1 || need+=(golang-go)
[ -d /usr/share/gocode/src/golang.org/x/net/publicsuffix ] || need+=(golang-golang-x-net-dev)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
xnet=$(dpkg-query -W -f='${Version}' golang-golang-x-net-dev 2>/dev/null || echo unknown)
# GOPATH mode: imports resolve in Debian's source tree, nothing is downloaded.
# The build cache stays outside the repository.
export GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOCACHE="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/go-build"
go build -trimpath -ldflags "-X main.xnetVersion=$xnet" -o bin/adapter main.go
# The real client the adapter models, for `cookie-conformance fidelity` (live/live.go).
go build -trimpath -o bin/live live/live.go
echo "go-cookiejar: ready ($(go version | cut -d' ' -f3), golang.org/x/net $xnet)"
