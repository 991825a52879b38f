#!/usr/bin/env bash
# Reproducer: limits::50 cookies for one domain are all kept [rfc6265bis] on curl
#
# Library:  curl 7.88.1
# Target:   the curl command line's cookie engine, live over HTTP(S) against a loopback server (virtual clock through libfaketime when installed)
# Case:     cases/limits/capacity-and-eviction.yaml:11 (cookie-conformance corpus)
# Spec:     RFC 6265bis-22 §6.1  https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis-22#section-6.1
#           RFC 6265bis-22 §5.7  https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis-22#section-5.7
#
# Recorded on curl 7.88.1 (2026-12-07T04:30:01Z): xfail, at step 2
#   observed: Cookie: "c49=49; c48=48; c47=47; c46=46; c45=45; c44=44; c43=43; c42=42; c41=41; c40=40; c39=39; c38=38; c37=37; c36=36; c35=35; c34=34; c33=33; c32=32; c31=31; c30=30; c29=29; c28=28; c27=27; c26=26; c25=25; c24=24; c23=23; c22=22; c21=21; c20=20; c19=19; c18=18; c17=17; c16=16; c15=15; c14=14; c13=13; c12=12; c11=11; c10=10; c09=9; c08=8; c07=7; c06=6; c05=5; c04=4; c03=3; c02=2; c01=1; c00=0"
#   expected: Cookie: "c00=0; c01=1; c02=2; c03=3; c04=4; c05=5; c06=6; c07=7; c08=8; c09=9; c10=10; c11=11; c12=12; c13=13; c14=14; c15=15; c16=16; c17=17; c18=18; c19=19; c20=20; c21=21; c22=22; c23=23; c24=24; c25=25; c26=26; c27=27; c28=28; c29=29; c30=30; c31=31; c32=32; c33=33; c34=34; c35=35; c36=36; c37=37; c38=38; c39=39; c40=40; c41=41; c42=42; c43=43; c44=44; c45=45; c46=46; c47=47; c48=48; c49=49"
# Known divergence (expected-failures file): curl 7.88 orders the Cookie header by path length, then domain length, then name length (longer first), then newest cookie first; §5.8.3 step 4 recommends path length then earliest creation-time first (a SHOULD: order only)
# Only the order of the cookie-pairs differs (§5.8.3 step 4 is a SHOULD).
#
# What the spec says happens, step by step (the reference jar's account):
#   1. #1 stored: c00=0 domain=example.com path=/ host-only same-site=Default session
#      #2 stored: c01=1 domain=example.com path=/ host-only same-site=Default session
#      #3 stored: c02=2 domain=example.com path=/ host-only same-site=Default session
#      #4 stored: c03=3 domain=example.com path=/ host-only same-site=Default session
#      #5 stored: c04=4 domain=example.com path=/ host-only same-site=Default session
#      #6 stored: c05=5 domain=example.com path=/ host-only same-site=Default session
#      #7 stored: c06=6 domain=example.com path=/ host-only same-site=Default session
#      #8 stored: c07=7 domain=example.com path=/ host-only same-site=Default session
#      #9 stored: c08=8 domain=example.com path=/ host-only same-site=Default session
#      #10 stored: c09=9 domain=example.com path=/ host-only same-site=Default session
#      #11 stored: c10=10 domain=example.com path=/ host-only same-site=Default session
#      #12 stored: c11=11 domain=example.com path=/ host-only same-site=Default session
#      #13 stored: c12=12 domain=example.com path=/ host-only same-site=Default session
#      #14 stored: c13=13 domain=example.com path=/ host-only same-site=Default session
#      #15 stored: c14=14 domain=example.com path=/ host-only same-site=Default session
#      #16 stored: c15=15 domain=example.com path=/ host-only same-site=Default session
#      #17 stored: c16=16 domain=example.com path=/ host-only same-site=Default session
#      #18 stored: c17=17 domain=example.com path=/ host-only same-site=Default session
#      #19 stored: c18=18 domain=example.com path=/ host-only same-site=Default session
#      #20 stored: c19=19 domain=example.com path=/ host-only same-site=Default session
#      #21 stored: c20=20 domain=example.com path=/ host-only same-site=Default session
#      #22 stored: c21=21 domain=example.com path=/ host-only same-site=Default session
#      #23 stored: c22=22 domain=example.com path=/ host-only same-site=Default session
#      #24 stored: c23=23 domain=example.com path=/ host-only same-site=Default session
#      #25 stored: c24=24 domain=example.com path=/ host-only same-site=Default session
#      #26 stored: c25=25 domain=example.com path=/ host-only same-site=Default session
#      #27 stored: c26=26 domain=example.com path=/ host-only same-site=Default session
#      #28 stored: c27=27 domain=example.com path=/ host-only same-site=Default session
#      #29 stored: c28=28 domain=example.com path=/ host-only same-site=Default session
#      #30 stored: c29=29 domain=example.com path=/ host-only same-site=Default session
#      #31 stored: c30=30 domain=example.com path=/ host-only same-site=Default session
#      #32 stored: c31=31 domain=example.com path=/ host-only same-site=Default session
#      #33 stored: c32=32 domain=example.com path=/ host-only same-site=Default session
#      #34 stored: c33=33 domain=example.com path=/ host-only same-site=Default session
#      #35 stored: c34=34 domain=example.com path=/ host-only same-site=Default session
#      #36 stored: c35=35 domain=example.com path=/ host-only same-site=Default session
#      #37 stored: c36=36 domain=example.com path=/ host-only same-site=Default session
#      #38 stored: c37=37 domain=example.com path=/ host-only same-site=Default session
#      #39 stored: c38=38 domain=example.com path=/ host-only same-site=Default session
#      #40 stored: c39=39 domain=example.com path=/ host-only same-site=Default session
#      #41 stored: c40=40 domain=example.com path=/ host-only same-site=Default session
#      #42 stored: c41=41 domain=example.com path=/ host-only same-site=Default session
#      #43 stored: c42=42 domain=example.com path=/ host-only same-site=Default session
#      #44 stored: c43=43 domain=example.com path=/ host-only same-site=Default session
#      #45 stored: c44=44 domain=example.com path=/ host-only same-site=Default session
#      #46 stored: c45=45 domain=example.com path=/ host-only same-site=Default session
#      #47 stored: c46=46 domain=example.com path=/ host-only same-site=Default session
#      #48 stored: c47=47 domain=example.com path=/ host-only same-site=Default session
#      #49 stored: c48=48 domain=example.com path=/ host-only same-site=Default session
#      #50 stored: c49=49 domain=example.com path=/ host-only same-site=Default session
#   2. sends "c00=0; c01=1; c02=2; c03=3; c04=4; c05=5; c06=6; c07=7; c08=8; c09=9; c10=10; c11=11; c12=12; c13=13; c14=14; c15=15; c16=16; c17=17; c18=18; c19=19; c20=20; c21=21; c22=22; c23=23; c24=24; c25=25; c26=26; c27=27; c28=28; c29=29; c30=30; c31=31; c32=32; c33=33; c34=34; c35=35; c36=36; c37=37; c38=38; c39=39; c40=40; c41=41; c42=42; c43=43; c44=44; c45=45; c46=46; c47=47; c48=48; c49=49"
#
# It prints each request's Cookie header next to what the spec expects, and exits 1 while
# the jar diverges from the spec, 0 once it follows it.
# Generated by: cookie-conformance repro --target curl 'limits::50 cookies for one domain are all kept [rfc6265bis]'
#
# Run: bash THIS_FILE   (needs curl, python3, openssl and libfaketime: Debian `libfaketime`)
#
# curl fetches every URL of the case in order, with its cookie engine on and `--connect-to`
# sending every host name to a loopback server, so curl's engine sees the case's URLs. One curl
# process per request, as a user running curl again with the same jar: the jar goes through a
# cookie file. Each process runs under libfaketime, its clock starting at the case's time for
# that request (the case's clock, advanced as the case advances it). The server (Python, below)
# answers the k-th request with the case's k-th response, Set-Cookie bytes as they are, and
# writes down the Cookie header curl sent. https URLs get a self-signed certificate
# (`--insecure`).
set -euo pipefail
dir=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$dir"' EXIT
n=0
urls=()
times=()
now=1767225600

# The response to the next request carries these Set-Cookie field values.
set_cookies() {
  local url=$1
  shift
  n=$((n + 1))
  urls+=("$url")
  times+=("$now")
  : > "$dir/response.$n"
  for line in "$@"; do
    printf 'Set-Cookie: %s\r\n' "$line" >> "$dir/response.$n"
  done
}

# The case's clock moves on; the next curl process starts there.
advance() {
  now=$((now + $1))
}

# The next request's Cookie header should be one of the arguments (`@none`: no header).
expect_cookie() {
  local step=$1 url=$2
  shift 2
  n=$((n + 1))
  urls+=("$url")
  times+=("$now")
  : > "$dir/response.$n"
  printf '%s' "$step" > "$dir/step.$n"
  for alternative in "$@"; do
    printf '%s\0' "$alternative" >> "$dir/expected.$n"
  done
}

set_cookies $'https://example.com/' $'c00=0' $'c01=1' $'c02=2' $'c03=3' $'c04=4' $'c05=5' $'c06=6' $'c07=7' $'c08=8' $'c09=9' $'c10=10' $'c11=11' $'c12=12' $'c13=13' $'c14=14' $'c15=15' $'c16=16' $'c17=17' $'c18=18' $'c19=19' $'c20=20' $'c21=21' $'c22=22' $'c23=23' $'c24=24' $'c25=25' $'c26=26' $'c27=27' $'c28=28' $'c29=29' $'c30=30' $'c31=31' $'c32=32' $'c33=33' $'c34=34' $'c35=35' $'c36=36' $'c37=37' $'c38=38' $'c39=39' $'c40=40' $'c41=41' $'c42=42' $'c43=43' $'c44=44' $'c45=45' $'c46=46' $'c47=47' $'c48=48' $'c49=49'
expect_cookie 2 $'https://example.com/' $'c00=0; c01=1; c02=2; c03=3; c04=4; c05=5; c06=6; c07=7; c08=8; c09=9; c10=10; c11=11; c12=12; c13=13; c14=14; c15=15; c16=16; c17=17; c18=18; c19=19; c20=20; c21=21; c22=22; c23=23; c24=24; c25=25; c26=26; c27=27; c28=28; c29=29; c30=30; c31=31; c32=32; c33=33; c34=34; c35=35; c36=36; c37=37; c38=38; c39=39; c40=40; c41=41; c42=42; c43=43; c44=44; c45=45; c46=46; c47=47; c48=48; c49=49'

faketime=
for lib in /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 /usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1 /usr/local/lib/faketime/libfaketime.so.1; do
  [ -f "$lib" ] && faketime=$lib && break
done
[ -n "$faketime" ] || { echo "libfaketime is needed (Debian: apt-get install libfaketime)" >&2; exit 2; }
printf '%s\n' "${urls[@]}" > "$dir/urls"
python3 - "$dir" <<'PY' &
import os, socket, ssl, subprocess, sys, threading
d = sys.argv[1]
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=repro",
                "-keyout", f"{d}/key.pem", "-out", f"{d}/cert.pem"], check=True, capture_output=True)
tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
tls.load_cert_chain(f"{d}/cert.pem", f"{d}/key.pem")
listeners = {}
for name in ("http", "https"):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    listeners[name] = s
count = [0]
lock = threading.Lock()

def serve(name, s):
    while True:
        conn, _ = s.accept()
        if name == "https":
            conn = tls.wrap_socket(conn, server_side=True)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(65536)
            if not chunk:
                break
            head += chunk
        with lock:
            count[0] += 1
            k = count[0]
        cookies = [line[7:].strip(b" \t") for line in head.split(b"\r\n")[1:] if line[:7].lower() == b"cookie:"]
        if cookies:
            with open(f"{d}/cookie.{k}", "wb") as f:
                f.write(b"; ".join(cookies))
        try:
            with open(f"{d}/response.{k}", "rb") as f:
                fields = f.read()
        except FileNotFoundError:
            fields = b""
        body = b"<!doctype html><title>repro</title>"
        conn.sendall(b"HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Type: text/html; charset=utf-8\r\n"
                     + b"Content-Length: %d\r\n" % len(body) + fields + b"Connection: close\r\n\r\n" + body)
        conn.close()

# One --connect-to per port the URLs use: curl's engine keeps seeing the real host and port.
rules = set()
for url in open(f"{d}/urls").read().split("\n"):
    if not url:
        continue
    scheme, rest = url.split("://", 1)
    hostport = rest.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]
    port = hostport.rsplit(":", 1)[1] if ":" in hostport and not hostport.endswith("]") else ("443" if scheme == "https" else "80")
    rules.add(f":{port}:127.0.0.1:{listeners[scheme].getsockname()[1]}")
for name, s in listeners.items():
    threading.Thread(target=serve, args=(name, s), daemon=True).start()
with open(f"{d}/connect.tmp", "w") as f:
    f.write("\n".join(sorted(rules)) + "\n")
os.rename(f"{d}/connect.tmp", f"{d}/connect")
threading.Event().wait()
PY
server=$!
for _ in $(seq 100); do [ -f "$dir/connect" ] && break; sleep 0.1; done
connect=()
while read -r rule; do connect+=(--connect-to "$rule"); done < "$dir/connect"

# The curl command line under test, once per request, its clock at the case's time ($1).
fetch() {
  LD_PRELOAD=$faketime FAKETIME="@$(date -u -d "@$1" '+%Y-%m-%d %H:%M:%S')" TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1 \
    FAKETIME_DISABLE_SHM=1 curl -q --silent --show-error --globoff --http1.1 --insecure --noproxy '*' --max-time 10 \
    --cookie "$dir/jar" --cookie-jar "$dir/jar" "${connect[@]}" "$2" > /dev/null
  # curl writes its jar newest cookie first and numbers the cookies it reads in file order:
  # reversed, the next process gives them the creation order they had in this one.
  [ -f "$dir/jar" ] && awk '/^#/ && !/^#HttpOnly_/ {print; next} NF {c[n++] = $0} END {for (i = n - 1; i >= 0; i--) print c[i]}' \
    "$dir/jar" > "$dir/jar.next" && mv "$dir/jar.next" "$dir/jar"
  return 0
}
for k in "${!urls[@]}"; do
  fetch "${times[$k]}" "${urls[$k]}"
done

# Each expected request: what curl sent against what the spec expects.
python3 - "$dir" "$n" <<'PY'
import sys
d, n = sys.argv[1], int(sys.argv[2])
urls = open(f"{d}/urls").read().split("\n")

def shown(v):
    """Octets for people and for machines: printable ASCII as is, the rest as \\xNN."""
    if v is None:
        return "(no Cookie header)"
    return '"' + "".join(chr(b) if 0x20 <= b < 0x7F and b not in (0x22, 0x5C) else "\\x%02x" % b for b in v) + '"'

def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None

diverged = False
for k in range(1, n + 1):
    step = read(f"{d}/step.{k}")
    if step is None:
        continue
    observed = read(f"{d}/cookie.{k}")
    expected = [None if a == b"@none" else a for a in read(f"{d}/expected.{k}").split(b"\0")[:-1]]
    ok = observed in expected
    print(f"step {step.decode()}: GET {urls[k - 1]}")
    print(f"  observed: {shown(observed)}")
    print(f"  expected: {' or '.join(shown(e) for e in expected)}")
    print("  ok" if ok else "  DIVERGES from the spec")
    diverged |= not ok
sys.exit(1 if diverged else 0)
PY
