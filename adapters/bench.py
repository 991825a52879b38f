#!/usr/bin/env python3
"""Rough throughput of the adapters (PROTOCOL.md), with a keep-alive stdlib HTTP client.

    python3 adapters/bench.py [NAME...] [--requests 2000] [--batches 20] [--ops 500]

For each adapter (installed beforehand): single requests (alternating set and get over one
connection), then batches (one session, one connection), then two workers at once (two
sessions in one process when the adapter says `parallel`, else two processes). Each phase is
bounded by its request count; the adapters are stopped at the end.
"""
import argparse
import base64
import http.client
import json
import os
import subprocess
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
NOW = 1767225600


def start(name):
    proc = subprocess.Popen(
        ["bash", os.path.join(HERE, name, "run.sh"), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
    )
    line = proc.stdout.readline().split()
    if len(line) != 2 or line[0] != "LISTENING":
        proc.kill()
        raise RuntimeError(f"{name}: no LISTENING line")
    return proc, int(line[1])


def stop(proc, port):
    try:
        call(http.client.HTTPConnection("127.0.0.1", port, timeout=5), "POST", "/shutdown", {})
    except OSError:
        pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()


def call(conn, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else b""
    conn.request(method, path, data, {"Content-Type": "application/json"})
    resp = conn.getresponse()
    payload = resp.read()
    if resp.status != 200:
        raise RuntimeError(f"{method} {path}: HTTP {resp.status} {payload[:200]!r}")
    return json.loads(payload)


def op(i):
    """Alternating set/get steps over a few hosts and paths, like a case's steps."""
    url = f"https://h{i % 7}.example.com/p{i % 3}/x"
    if i % 2 == 0:
        line = base64.b64encode(f"c{i % 11}=v{i}; Path=/p{i % 3}".encode()).decode()
        return {"op": "set", "url": url, "now": NOW, "set_cookie": [line]}
    return {"op": "get", "url": url, "now": NOW}


def single(port, n):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sid = call(conn, "POST", "/sessions", {})["id"]
    t = time.perf_counter()
    for i in range(n):
        o = op(i)
        call(conn, "POST", f"/sessions/{sid}/{o.pop('op')}", o)
    return n / (time.perf_counter() - t)


def batches(port, n, size, out=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sid = call(conn, "POST", "/sessions", {})["id"]
    reset = {"op": "reset", "profile": "rfc6265bis", "config": {}, "now": NOW}
    bodies = [{"ops": [reset] + [op(b * size + i) for i in range(size - 1)]} for b in range(n)]
    t = time.perf_counter()
    for body in bodies:
        results = call(conn, "POST", f"/sessions/{sid}/batch", body)["results"]
        if len(results) != size:
            raise RuntimeError(f"batch stopped early: {results[-1]}")
    rate = n * size / (time.perf_counter() - t)
    if out is not None:
        out.append(rate)
    return rate


def two_workers(name, parallel, port, n, size):
    procs = []
    ports = [port, port]
    if not parallel:
        procs = [start(name)]
        ports = [port, procs[0][1]]
    rates = []
    threads = [threading.Thread(target=batches, args=(p, n, size, rates)) for p in ports]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t
    for proc, p in procs:
        stop(proc, p)
    return 2 * n * size / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--ops", type=int, default=500)
    args = parser.parse_args()
    names = args.names or sorted(
        d for d in os.listdir(HERE) if os.path.isfile(os.path.join(HERE, d, "run.sh"))
    )
    print(f"{'adapter':24} {'single req/s':>12} {'batch steps/s':>14} {'2 workers steps/s':>18}")
    for name in names:
        proc, port = start(name)
        try:
            parallel = call(http.client.HTTPConnection("127.0.0.1", port), "GET", "/info")["parallel"]
            batches(port, 2, args.ops)  # warm-up (JIT, caches)
            single(port, 300)
            s = single(port, args.requests)
            b = batches(port, args.batches, args.ops)
            w = two_workers(name, parallel, port, args.batches, args.ops)
            how = "sessions" if parallel else "processes"
            print(f"{name:24} {s:12.0f} {b:14.0f} {w:18.0f}  (2 {how})", flush=True)
        finally:
            stop(proc, port)


if __name__ == "__main__":
    main()
