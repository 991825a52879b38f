#!/usr/bin/env bash
# Runs the embedded corpus against every adapter of adapters/targets.yaml, each with its
# expected-failures file cli/xfail/<name>.yaml, and prints one line per adapter and a total.
#
#   cargo build --release -p cookie-conformance-cli   # once
#   adapters/conformance.sh                       # every adapter
#   adapters/conformance.sh go-cookiejar          # only the adapters named
#   BIN=/path/to/cookie-conformance adapters/conformance.sh
#
# An adapter passes when `cookie-conformance run --target <name> --install --xfail ...` exits 0:
# every failure is listed (xfail), no listed case passes (xpass), no case errors. Each adapter's
# `install` command (idempotent) runs first, through the runner's --install. Full output of each
# run goes to ${LOG_DIR:-a temporary directory}/<name>.log, whose path is printed on failure.
# Exit status: 0 when every adapter passed, 1 otherwise, 2 on a usage problem.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
bin=${BIN:-target/release/cookie-conformance}
if [ ! -x "$bin" ]; then
  echo "conformance.sh: no runner binary at $bin (build it: cargo build --release -p cookie-conformance, or set BIN)" >&2
  exit 2
fi
log_dir=${LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/cookie-conformance.XXXXXX")}
mkdir -p "$log_dir" || exit 2

if [ $# -gt 0 ]; then
  names=("$@")
else
  # The adapters, in file order: every `  - name: X` entry of targets.yaml.
  mapfile -t names < <(sed -n 's/^  - name:[[:space:]]*\([A-Za-z0-9._-]*\).*/\1/p' adapters/targets.yaml)
fi
if [ ${#names[@]} -eq 0 ]; then
  echo "conformance.sh: no adapters found in adapters/targets.yaml" >&2
  exit 2
fi

passed=0
failed=0
for name in "${names[@]}"; do
  log="$log_dir/$name.log"
  args=(run --target "$name" --install)
  xfail="cli/xfail/$name.yaml"
  if [ -f "$xfail" ]; then
    args+=(--xfail "$xfail")
  fi
  "$bin" "${args[@]}" >"$log" 2>&1
  status=$?
  # The runner's last summary line: "N passed, N failed, N xfail, N xpass, N skipped, N error".
  summary=$(grep -E '^[0-9]+ passed, ' "$log" | tail -n 1)
  if [ $status -eq 0 ]; then
    passed=$((passed + 1))
    printf 'ok     %-24s %s\n' "$name" "$summary"
  else
    failed=$((failed + 1))
    printf 'FAILED %-24s %s (exit %d; log: %s)\n' "$name" "${summary:-no summary}" "$status" "$log"
  fi
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
