#!/usr/bin/env python3
"""Writes one DAG description in every tool's format.

A DAG here is a name, a list of (task_id, [upstream ids]) in topological order,
and one command for every task ("noop" means a Weft noop task; the other tools
only get shell commands). The same graph goes to every tool:

  dag.yaml     Weft
  Makefile     make   (phony targets, `all` depends on the leaves)
  build.ninja  ninja  (one edge per task; outputs are never written, so every
                       run rebuilds everything, like phony make targets)
  Snakefile    snakemake (one rule per task; snakemake needs an output file
                       per job, so each rule declares touch("o/ID"))
  graph.txt    bench/BareLoop (a line per task: its id, then its upstreams)

Usage as a script:  gen.py SHAPE N COMMAND OUTDIR
  SHAPE: layered (20 layers, each task depends on two of the layer before),
         fanout (one root, N-2 middle tasks, one sink), chain, dense
         (20 layers of N/20, three or four upstreams each: 10,000 tasks give
         30,000 edges).
"""
import json
import os
import sys


def layered(n, layers=20, fan_in=2):
    width = max(1, n // layers)
    tasks = []
    for layer in range(layers):
        for j in range(width):
            deps = []
            if layer > 0:
                for k in range(min(fan_in, width)):
                    deps.append(f"t{layer - 1}_{(j + k) % width}")
            tasks.append((f"t{layer}_{j}", deps))
    return tasks


def dense(n, layers=20):
    """Layered with three upstreams per task, four in layers 1-3: for n = 10,000
    (width 500) that is 9,500 x 3 + 1,500 = 30,000 edges."""
    width = n // layers
    tasks = []
    for layer in range(layers):
        for j in range(width):
            deps = []
            if layer > 0:
                fan_in = 4 if layer <= 3 else 3
                deps = [f"t{layer - 1}_{(j + k) % width}" for k in range(fan_in)]
            tasks.append((f"t{layer}_{j}", deps))
    return tasks


def fanout(n):
    middle = [f"m{i}" for i in range(n - 2)]
    return [("root", [])] + [(m, ["root"]) for m in middle] + [("sink", middle)]


def chain(n):
    return [(f"c{i}", [f"c{i - 1}"] if i else []) for i in range(n)]


SHAPES = {"layered": layered, "dense": dense, "fanout": fanout, "chain": chain}


def leaves(tasks):
    used = {d for _, deps in tasks for d in deps}
    return [t for t, _ in tasks if t not in used]


def weft_yaml(name, tasks, command):
    lines = [f"id: {name}", "tasks:"]
    for tid, deps in tasks:
        lines.append(f"  - id: {tid}")
        if command == "noop":
            lines.append("    type: noop")
        else:
            lines.append(f"    command: {json.dumps(command)}")
        if deps:
            lines.append(f"    depends_on: [{', '.join(deps)}]")
    return "\n".join(lines) + "\n"


def makefile(tasks, command):
    ids = [t for t, _ in tasks]
    out = [".PHONY: all " + " ".join(ids), "all: " + " ".join(leaves(tasks)), ""]
    for tid, deps in tasks:
        out.append(f"{tid}: {' '.join(deps)}".rstrip())
        out.append(f"\t{command}")
    return "\n".join(out) + "\n"


def ninja(tasks, command):
    out = ["rule run", f"  command = {command}", ""]
    for tid, deps in tasks:
        out.append(f"build {tid}: run {' '.join(deps)}".rstrip())
    return "\n".join(out) + "\n"


def snakefile(tasks, command):
    def files(ids):
        return ", ".join(f'"o/{i}"' for i in ids)

    out = ["rule all:", f"    input: {files(leaves(tasks))}", ""]
    for tid, deps in tasks:
        out.append(f"rule {tid}:")
        if deps:
            out.append(f"    input: {files(deps)}")
        out.append(f'    output: touch("o/{tid}")')
        out.append(f"    shell: {json.dumps(command)}")
        out.append("")
    return "\n".join(out)


def write_all(outdir, name, tasks, command, peers=True):
    """Writes the DAG for Weft and, unless peers is False or the command is a
    Weft noop, for make, ninja and snakemake. Returns the edge count."""
    os.makedirs(outdir, exist_ok=True)
    files = {"dag.yaml": weft_yaml(name, tasks, command)}
    if peers and command != "noop":
        files["Makefile"] = makefile(tasks, command)
        files["build.ninja"] = ninja(tasks, command)
        files["Snakefile"] = snakefile(tasks, command)
        files["graph.txt"] = "".join(" ".join([tid, *deps]) + "\n" for tid, deps in tasks)
    for fname, text in files.items():
        with open(os.path.join(outdir, fname), "w") as f:
            f.write(text)
    return sum(len(d) for _, d in tasks)


def main(argv):
    if len(argv) != 5 or argv[1] not in SHAPES:
        print(__doc__, file=sys.stderr)
        return 2
    shape, n, command, outdir = argv[1], int(argv[2]), argv[3], argv[4]
    tasks = SHAPES[shape](n)
    edges = write_all(outdir, f"{shape}_{n}", tasks, command)
    print(f"{len(tasks)} tasks, {edges} edges -> {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
