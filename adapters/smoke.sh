#!/usr/bin/env bash
# Smoke test of the adapters (PROTOCOL.md): for each one (all of targets.yaml, or those named
# as arguments) install it, start it on a free port, check /info against targets.yaml, run one
# set/get round trip and a batch with curl, and stop it.
#
#   adapters/smoke.sh                      # every adapter
#   adapters/smoke.sh go-cookiejar         # some
#   SMOKE_SKIP_INSTALL=1 adapters/smoke.sh # already installed
#
# Prints one line per adapter, then "N passed, N failed"; exits 1 if any failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

b64() { printf '%s' "$1" | base64 -w0; }

# json_check JSON PYTHON-EXPRESSION [ARG]: the expression sees the parsed document as `d`
# (and ARG as `sys.argv[3]`).
json_check() {
  python3 -c 'import base64, json, sys; d = json.loads(sys.argv[1]); sys.exit(0 if eval(sys.argv[2]) else 1)' "$@" 2>/dev/null
}

# A Python predicate for json_check: the base64 cookie-string holds exactly a=b and c=d, in
# either order (§5.8.3 step 4's order is a SHOULD, and some jars, cookie_store for one, do not
# keep it; the smoke test checks the protocol, the corpus checks the order).
both='(lambda c: c is not None and sorted(base64.b64decode(c).split(b"; ")) == [b"a=b", b"c=d"])'

# caps_agree NAME INFO-JSON: targets.yaml's summary matches what the adapter says (prints why not).
caps_agree() {
  python3 - "$1" "$2" <<'PY'
import json, re, sys
name, info = sys.argv[1], json.loads(sys.argv[2])
block, inside = {}, False
for line in open("targets.yaml"):
    line = line.split(" #")[0].rstrip()
    if line.startswith("  - name: "):
        inside = line[len("  - name: "):] == name
    elif inside and (m := re.match(r"^\s+(\w+): (.*)$", line)):
        block[m[1]] = m[2].strip()
def value(text):
    if text in ("true", "false", "null"):
        return json.loads(text)
    if text.startswith("["):
        return [x.strip() for x in text.strip("[]").split(",") if x.strip()]
    return text
caps = info["capabilities"]
keys = ["virtual_clock", "script_api", "same_site_contexts", "partitioned", "third_party_policies",
        "profiles", "configurable", "storage_dump"]
wrong = [k for k in keys if k not in block or value(block[k]) != caps.get(k)]
if value(block.get("parallel")) != info.get("parallel"):
    wrong.append("parallel")
if (value(block.get("public_suffix_list")) is None) != (caps.get("public_suffix_list") is None):
    wrong.append("public_suffix_list")
if wrong:
    print("targets.yaml disagrees with /info on " + ", ".join(wrong))
    sys.exit(1)
PY
}

smoke_one() {
  local name="$1" dir="$here/$1" out="$work/$1.out" err="$work/$1.err" pid port base r sid
  [ -f "$dir/run.sh" ] || { echo "no $dir/run.sh"; return 1; }
  if [ "${SMOKE_SKIP_INSTALL:-0}" != 1 ]; then
    bash "$dir/install.sh" >"$work/$name.install" 2>&1 || { echo "install.sh failed: $(tail -3 "$work/$name.install")"; return 1; }
  fi
  bash "$dir/run.sh" --port 0 >"$out" 2>"$err" </dev/null &
  pid=$!
  for _ in $(seq 1 300); do
    grep -q . "$out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  port="$(head -1 "$out" | sed -n 's/^LISTENING \([0-9][0-9]*\)$/\1/p')"
  if [ -z "$port" ]; then
    kill "$pid" 2>/dev/null
    echo "no LISTENING line (stdout: $(head -c 200 "$out"); stderr: $(tail -c 300 "$err"))"
    return 1
  fi
  base="http://127.0.0.1:$port"
  local status=0 why=""
  fail() { why="$1"; status=1; }
  {
    r="$(curl -sS --max-time 10 "$base/info")" || { fail "GET /info failed"; false; }
  } && {
    json_check "$r" 'd["protocol"] == "cookie-adapter/1" and d["name"] == sys.argv[3]' "$name" \
      || { fail "bad /info: $r"; false; }
  } && {
    why="$(caps_agree "$name" "$r")" || { status=1; false; }
  } && {
    r="$(curl -sS --max-time 10 -X POST "$base/sessions")" && sid="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$r")" \
      || { fail "POST /sessions: $r"; false; }
  } && {
    r="$(curl -sS --max-time 10 -X POST "$base/sessions/$sid/set" \
      -d "{\"url\":\"https://www.example.com/\",\"now\":1767225600,\"set_cookie\":[\"$(b64 'a=b; Path=/')\",\"$(b64 'c=d')\"]}")" \
      && json_check "$r" 'd == {}' || { fail "set: $r"; false; }
  } && {
    r="$(curl -sS --max-time 10 -X POST "$base/sessions/$sid/get" -d '{"url":"https://www.example.com/x","now":1767225600}')" \
      && json_check "$r" "$both(d['cookie'])" || { fail "get (expected a=b and c=d): $r"; false; }
  } && {
    r="$(curl -sS --max-time 10 -X POST "$base/sessions/$sid/get" -d '{"url":"https://other.example/","now":1767225600}')" \
      && json_check "$r" "d == {'cookie': None}" || { fail "get on another site (expected null): $r"; false; }
  } && {
    r="$(curl -sS --max-time 10 -X POST "$base/sessions/$sid/batch" \
      -d '{"ops":[{"op":"get","url":"https://www.example.com/","now":1767225600},{"op":"bogus"},{"op":"get","url":"https://www.example.com/"}]}')" \
      && json_check "$r" "len(d['results']) == 2 and $both(d['results'][0].get('cookie')) and d['results'][1]['kind'] == 'not_found'" \
      || { fail "batch: $r"; false; }
  } && {
    r="$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -X POST "$base/sessions/nope/get" -d '{}')" \
      && [ "$r" = 404 ] || { fail "unknown session: HTTP $r (expected 404)"; false; }
  } && {
    r="$(curl -sS --max-time 10 -X DELETE "$base/sessions/$sid")" && json_check "$r" 'd == {}' || { fail "DELETE: $r"; false; }
  }
  curl -sS --max-time 5 -X POST "$base/shutdown" >/dev/null 2>&1
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    [ $status = 0 ] && fail "still running 5 s after POST /shutdown"
  fi
  wait "$pid" 2>/dev/null
  [ $status = 0 ] || echo "$why"
  return $status
}

if [ $# -gt 0 ]; then names=("$@"); else mapfile -t names < <(sed -n 's/^  - name: //p' targets.yaml); fi
passed=0 failed=0
for name in "${names[@]}"; do
  if msg="$(smoke_one "$name")"; then
    echo "ok     $name"
    passed=$((passed + 1))
  else
    echo "FAIL   $name: $msg"
    failed=$((failed + 1))
  fi
done
echo "adapters: $passed passed, $failed failed"
[ "$failed" = 0 ]
