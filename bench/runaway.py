#!/usr/bin/env python3
"""Runaway SPARQL queries against the real binary: how fast a cancelled query stops using CPU
after its 503, and what 20 concurrent runaway queries cost in memory and answers.

    python3 bench/runaway.py target/release/danhmuc [--timeout 2] [--clients 20]

Starts `danhmuc serve --demo` on a free port with a fresh data directory, reads the server's
CPU time and peak RSS from /proc, prints a Markdown table (BENCHMARKS.md, "Session 7")."""
import argparse, json, os, socket, subprocess, sys, tempfile, threading, time, urllib.request, urllib.error

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TICK = os.sysconf("SC_CLK_TCK")

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def cpu_seconds(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK

def status(pid, key):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024  # MB
    return 0.0

def query(url, q):
    req = urllib.request.Request(url + "/sparql", data=q.encode(), headers={"content-type": "application/sparql-query", "accept": "application/sparql-results+json"})
    t = time.time()
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, "ok", time.time() - t
    except urllib.error.HTTPError as e:
        body = json.loads(e.read() or b"{}")
        return e.code, body.get("code", "?"), time.time() - t

def until_idle(pid, since, quiet=0.3, step=0.05, limit=60.0):
    """Seconds from `since` until the process used < 5% of a core for `quiet` seconds."""
    last, last_t, calm_from = cpu_seconds(pid), time.time(), None
    while time.time() - since < limit:
        time.sleep(step)
        now, now_t = cpu_seconds(pid), time.time()
        busy = (now - last) / (now_t - last_t)
        last, last_t = now, now_t
        if busy < 0.05:
            calm_from = calm_from or now_t - step
            if now_t - calm_from >= quiet:
                return calm_from - since
        else:
            calm_from = None
    return float("inf")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary"); ap.add_argument("--timeout", type=float, default=2.0)
    ap.add_argument("--clients", type=int, default=20)
    a = ap.parse_args()
    d = tempfile.mkdtemp(); port = free_port(); url = f"http://127.0.0.1:{port}"
    subprocess.run([a.binary, "token", "create", "--data", d, "--role", "admin"], check=True, capture_output=True)
    srv = subprocess.Popen([a.binary, "serve", "--demo", "--data", d, "--bind", f"127.0.0.1:{port}", "--query-timeout", str(a.timeout)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "DANHMUC_LOG": "warn"})
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url + "/readyz", timeout=2); break
            except Exception:
                time.sleep(0.1)
        time.sleep(1)
        until_idle(srv.pid, time.time())
        rss0 = status(srv.pid, "VmRSS")
        # 1. one runaway query
        code, what, took = query(url, RUNAWAY)
        answered = time.time()
        stop = until_idle(srv.pid, answered)
        print(f"| one runaway query | {code} {what} after {took:.2f} s | CPU idle {stop:.2f} s after the answer |")
        # 2. many at once
        results = []
        def client():
            results.append(query(url, RUNAWAY))
        ts = [threading.Thread(target=client) for _ in range(a.clients)]
        start = time.time()
        for t in ts: t.start()
        peak = 0.0
        while any(t.is_alive() for t in ts):
            peak = max(peak, status(srv.pid, "VmRSS")); time.sleep(0.05)
        last = time.time()
        stop = until_idle(srv.pid, last)
        codes = {}
        for c, w, _ in results:
            codes[f"{c} {w}"] = codes.get(f"{c} {w}", 0) + 1
        alive = urllib.request.urlopen(url + "/healthz", timeout=5).status
        print(f"| {a.clients} concurrent runaway queries | {', '.join(f'{n}× {k}' for k, n in sorted(codes.items()))}; all answered in {last - start:.2f} s | "
              f"RSS {rss0:.0f} MB before, peak {peak:.0f} MB; CPU idle {stop:.2f} s after the last answer; /healthz {alive} |")
    finally:
        srv.kill(); srv.wait()

if __name__ == "__main__":
    main()
