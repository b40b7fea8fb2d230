"""Import circles between the top-level modules of a crate (issue 15: "no import circle
inside a crate"): reads every `crate::MODULE` reference under SRC and prints each strongly
connected group of modules. Exit status 1 when there is one.

    python3 scripts/module-cycles.py registry/src
"""
import collections, os, re, sys

src_dir = sys.argv[1] if len(sys.argv) > 1 else "registry/src"
graph = collections.defaultdict(set)
for root, _, files in os.walk(src_dir):
    rel_root = os.path.relpath(root, src_dir)
    if rel_root.split(os.sep)[0] == "bin":
        continue
    for f in files:
        if not f.endswith(".rs"):
            continue
        rel = os.path.normpath(os.path.join(rel_root, f))
        top = rel.split(os.sep)[0].removesuffix(".rs")
        if top in ("lib", "main"):
            continue
        text = open(os.path.join(root, f), encoding="utf-8").read()
        # References in comments are not imports.
        text = "\n".join(line.split("//")[0] for line in text.splitlines())
        for used in re.findall(r"crate::([a-z_][a-z0-9_]*)", text):
            if used != top:
                graph[top].add(used)

index, low, stack, on, groups, counter = {}, {}, [], set(), [], [0]


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in sorted(graph[v]):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        group = []
        while True:
            w = stack.pop()
            on.discard(w)
            group.append(w)
            if w == v:
                break
        if len(group) > 1:
            groups.append(sorted(group))


for v in sorted(list(graph)):
    if v not in index:
        visit(v)
for g in groups:
    print("circle:", " <-> ".join(g))
    for m in g:
        print(f"  {m} uses", ", ".join(sorted(u for u in graph[m] if u in g)))
sys.exit(1 if groups else 0)
