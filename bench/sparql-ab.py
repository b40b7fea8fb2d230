"""Two SPARQL endpoints side by side: the discovery mix of `danhmuc-bench sparql` (its QUERIES,
read from registry/src/bin/danhmuc-bench.rs), sent round by round to each endpoint in turn so
that both see the same machine state. Prints the median and p90 per endpoint.

    python3 bench/sparql-ab.py http://127.0.0.1:18181/sparql http://127.0.0.1:18182/sparql 15
"""
import pathlib, re, statistics, sys, time, urllib.request

src = (pathlib.Path(__file__).parent.parent / "registry/src/bin/danhmuc-bench.rs").read_text()
block = src[src.index("const QUERIES"):]
block = block[: block.index("];")]
queries = [q.replace('\\"', '"') for q in re.findall(r'^\s*"(PREFIX.*)",\s*$', block, re.M)]
urls, rounds = sys.argv[1:3], int(sys.argv[3])


def one(url, q):
    req = urllib.request.Request(url, data=q.encode(), headers={
        "content-type": "application/sparql-query",
        "accept": "application/sparql-results+json"})
    t = time.perf_counter()
    urllib.request.urlopen(req).read()
    return (time.perf_counter() - t) * 1000


for u in urls:  # warm up
    for q in queries:
        one(u, q)
res = {u: [] for u in urls}
for _ in range(rounds):
    for u in urls:
        for q in queries:
            res[u].append(one(u, q))
for u in urls:
    v = sorted(res[u])
    print(f"{u}: median {statistics.median(v):.2f} ms, p90 {v[int(len(v) * 0.9)]:.2f} ms ({len(queries)} queries x {rounds} rounds)")
