#!/usr/bin/env bash
# The suite as a jar author meets it. Packages the workspace, unpacks the crates a jar author
# needs, and builds a throwaway crate *outside the repository* that dev-depends on
# `cookie-conformance` from crates.io, patched to the unpacked packages (no path into the
# workspace). Its tests/conformance.rs is this folder's conformance.rs (the crate docs'
# opening example): the reference jar with one planted bug, its failures listed in xfail.yaml.
#
# Checks, each a failure of this script when it does not hold:
#   1. the packaged corpus holds every case file of cases/;
#   2. the consumer's dependency tree holds no network, TLS, async, fuzzing or tool crate, and
#      its cold build invokes no C compiler (CC and CXX point at `false`);
#   3. `cargo test` runs as many trials as the corpus has (`cookie-conformance list`), passes,
#      and every declared expected failure is reported `xfail`, nothing `fail`/`xpass`/`error`;
#   4. the same test with the expected failures removed fails, on exactly those trials;
#   5. a filter naming an area that selects nothing, and an empty cases directory, fail loudly.
# Prints the cold build's time and crate count (the closing note's benchmark).
#
# Usage: conformance/tests/consumer/check.sh   (BIN=path to the cookie-conformance binary,
#        default target/release/cookie-conformance; KEEP=1 keeps the work folder)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
bin=${BIN:-$repo/target/release/cookie-conformance}
[ -x "$bin" ] || { echo "check.sh: no cookie-conformance binary at $bin (cargo build --release -p cookie-conformance-cli, or set BIN)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/cookie-conformance-consumer.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "work folder: $work"; else trap 'rm -rf "$work"' EXIT; fi
fail() { echo "consumer check FAILED: $*" >&2; exit 1; }

# --- 1. Package (the working tree as it is; --no-verify: the consumer build below is the proof).
cd "$repo"
cargo package --workspace --no-verify --allow-dirty --quiet 2>"$work/package.log" || { cat "$work/package.log" >&2; fail "cargo package"; }
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
mkdir -p "$work/vendor"
for crate in reference-jar cookie-conformance-cases cookie-conformance; do
  tar -xzf "target/package/$crate-$version.crate" -C "$work/vendor"
done
want_files=$(find cases -name '*.yaml' -type f | wc -l)
got_files=$(find "$work/vendor/cookie-conformance-cases-$version" -name '*.yaml' -type f | wc -l)
[ "$want_files" -gt 0 ] && [ "$got_files" -eq "$want_files" ] || fail "the packaged corpus holds $got_files case files, cases/ holds $want_files"
want_trials=$("$bin" list | wc -l)
[ "$want_trials" -gt 0 ] || fail "cookie-conformance list printed no trial"

# --- The consumer crate, outside the repository.
consumer=$work/tiny-jar
mkdir -p "$consumer/src" "$consumer/tests"
cat >"$consumer/Cargo.toml" <<EOF
[package]
name = "tiny-jar"
version = "0.0.0"
edition = "2021"
publish = false

[dev-dependencies]
cookie-conformance = "$version"

[[test]]
name = "conformance"
harness = false

[patch.crates-io]
cookie-conformance = { path = "../vendor/cookie-conformance-$version" }
cookie-conformance-cases = { path = "../vendor/cookie-conformance-cases-$version" }
reference-jar = { path = "../vendor/reference-jar-$version" }

[workspace]
EOF
echo '//! A cookie jar (its conformance test is tests/conformance.rs).' >"$consumer/src/lib.rs"
cp "$here/conformance.rs" "$consumer/tests/conformance.rs"
cp "$here/xfail.yaml" "$consumer/tests/xfail.yaml"
cd "$consumer"
case "$(cd "$consumer" && pwd)" in "$repo"/*) fail "the consumer is inside the repository";; esac

# --- 2. Dependency tree and cold build.
tree=$(cargo tree -e normal,build --prefix none --target all -p cookie-conformance 2>"$work/tree.log") || { cat "$work/tree.log" >&2; fail "cargo tree"; }
for forbidden in reqwest hyper rustls ring rcgen tungstenite tokio indicatif cookie_store publicsuffix arbitrary ctrlc cc; do
  if grep -q "^$forbidden v" <<<"$tree"; then fail "the implementer's tree holds $forbidden"; fi
done
if grep -qF "$repo/" <<<"$tree"; then fail "the consumer resolved a crate from the repository"; fi
start=$EPOCHREALTIME
CC=false CXX=false cargo test --no-run --test conformance --color never 2>"$work/build.log" || { cat "$work/build.log" >&2; fail "cold build of the consumer (a C compiler call fails it: CC=false)"; }
seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
crates=$(grep -c '^ *Compiling ' "$work/build.log" || true)
printf 'consumer cold build: %.1f s, %s crates compiled, no C compiler\n' "$seconds" "$crates"

# --- 3. The test passes, with every trial and every declared expected failure.
set +e
COOKIE_CONFORMANCE_JSON="$work/results.json" cargo test --test conformance --color never -- --format terse >"$work/test.log" 2>&1
status=$?
set -e
[ "$status" -eq 0 ] || { tail -n 40 "$work/test.log" >&2; fail "cargo test of the consumer exited $status"; }
python3 - "$work/test.log" "$work/results.json" "$want_trials" "$consumer/tests/xfail.yaml" <<'EOF'
import json, re, sys
log, results, want, xfail = open(sys.argv[1]).read(), json.load(open(sys.argv[2])), int(sys.argv[3]), sys.argv[4]
m = re.search(r"test result: ok\. (\d+) passed; (\d+) failed; (\d+) ignored; \d+ measured; (\d+) filtered out", log)
if not m:
    sys.exit("consumer check FAILED: no libtest summary line")
passed, failed, ignored, filtered = map(int, m.groups())
if passed + failed + ignored != want or filtered:
    sys.exit(f"consumer check FAILED: {passed}+{failed}+{ignored} trials ran ({filtered} filtered out), the corpus has {want}")
outcomes = {}
for r in results["results"]:
    outcomes.setdefault(r["outcome"], []).append(r["case"])
bad = {k: v for k, v in outcomes.items() if k in ("fail", "xpass", "error")}
if bad:
    sys.exit(f"consumer check FAILED: {bad}")
declared = [l.split('":', 1)[0].strip('"') for l in open(xfail) if l.startswith('"')]
xfailed = set(outcomes.get("xfail", []))
missing = [n for n in declared if n not in {c.split("::", 1)[-1] for c in xfailed}]
if not declared or missing:
    sys.exit(f"consumer check FAILED: declared expected failures not reported xfail: {missing or 'none declared'}")
print(f"consumer cargo test: {passed + failed + ignored} trials = corpus ({passed} passed, {len(outcomes.get('xfail', []))} xfail, {len(outcomes.get('skip', []))} skipped); {len(declared)} declared expected failures honoured")
EOF
xfails=$(python3 -c 'import json,sys; print(sum(r["outcome"] == "xfail" for r in json.load(open(sys.argv[1]))["results"]))' "$work/results.json")

# --- 4. Without its expected failures the same test fails, on exactly those trials.
echo '{}' >"$consumer/tests/xfail.yaml"
if cargo test --test conformance --color never -- --format terse >"$work/negative.log" 2>&1; then
  fail "cargo test passed with the expected failures removed: the test cannot fail"
fi
grep -q "test result: FAILED\. [0-9]* passed; $xfails failed;" "$work/negative.log" || { tail -n 5 "$work/negative.log" >&2; fail "without expected failures, $xfails trials should fail"; }
cp "$here/xfail.yaml" "$consumer/tests/xfail.yaml"
echo "consumer cargo test without its xfail file: FAILED on the $xfails listed trials, as it must"

# --- 5. Nothing passes vacuously.
if cargo test --test conformance --color never -- 'domain::no such case' >"$work/filter.log" 2>&1; then
  fail "a filter naming the area domain:: that selects nothing passed"
fi
grep -q "names the area \`domain\`" "$work/filter.log" || { cat "$work/filter.log" >&2; fail "no clear message for a filter that selects nothing"; }
mkdir -p "$work/empty"
if COOKIE_CONFORMANCE_CASES="$work/empty" cargo test --test conformance --color never >"$work/empty.log" 2>&1; then
  fail "an empty cases directory passed"
fi
grep -q "no \*.yaml case files" "$work/empty.log" || { cat "$work/empty.log" >&2; fail "no clear message for an empty cases directory"; }
echo "consumer check: passed (a filter that selects nothing and an empty corpus fail loudly)"
