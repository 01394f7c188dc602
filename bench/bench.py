#!/usr/bin/env python3
"""Runs the benchmark scenarios and writes bench/results/<date>.json and the table
in bench/README.md. Called by bench/run.sh, which installs the tools and builds Weft.

  bench.py --weft PATH [--quick] [--benchmarks DLL]
"""
import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, ".out")
MARK_BEGIN = "<!-- results:begin -->"
MARK_END = "<!-- results:end -->"
DIST_BEGIN = "<!-- distributed:begin -->"
DIST_END = "<!-- distributed:end -->"
NA = "not available in this build"
SERVER_URL = "http://127.0.0.1:18473"

# Published figures for the chain scenario, never measured here.
PUBLISHED = [("Airflow 2", "about 0.7 s"), ("Prefect 2", "about 30 ms"), ("Windmill", "4–8 ms")]


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception:  # a missing tool shows as an empty version
        return ""


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kb / 1024 / 1024, 1),
            "os": sh(". /etc/os-release && echo $PRETTY_NAME"), "kernel": platform.release()}


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# ---------------------------------------------------------------- measuring

class Failed(Exception):
    pass


OWN_CPU = re.compile(r"cpu (\d+) ms\)")


def measure(cmd, runs, warmup, prepare=None, cwd=None, capture=False, own_cpu=False):
    """Runs cmd warmup + runs times under /usr/bin/time. Before each run, prepare()
    (untimed) resets state. Wall time is taken around the whole process; peak RSS is
    GNU time's %M (the largest single process of the tree, in KB); tree CPU is its %U + %S
    (the process and the children it waited for: for a build tool, its tasks too).
    own_cpu: the command is weft, which with WEFT_STARTUP_TRACE=1 prints its own CPU time
    (user + sys of its process alone) at its last mark; recorded as own_cpu_s."""
    results = []
    rss_file = os.path.join(OUT, "rss.txt")
    env = dict(os.environ, WEFT_STARTUP_TRACE="1") if own_cpu else None
    for i in range(warmup + runs):
        if prepare:
            prepare()
        full = ["/usr/bin/time", "-f", "%M %U %S", "-o", rss_file] + cmd
        t0 = time.perf_counter()
        p = subprocess.run(full, cwd=cwd, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, env=env)
        wall = time.perf_counter() - t0
        if p.returncode != 0:
            raise Failed(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr.strip()[-400:]}")
        with open(rss_file) as f:
            rss, user, system = f.read().split()[-3:]
        if i >= warmup:
            result = {"wall_s": wall, "rss_kb": int(rss), "cpu_tree_s": float(user) + float(system),
                      "stdout": p.stdout if capture else None}
            marks = OWN_CPU.findall(p.stderr) if own_cpu else []
            if marks:
                result["own_cpu_s"] = int(marks[-1]) / 1000
            results.append(result)
    return results


def measure_alternately(label, plan):
    """Measures the tools of one case alternately: a run of each in turn, round after round, so that a change in
    the machine's load during the case weighs on every tool alike (what a case is for is its ratios to make).
    A tool with fewer runs takes part in the last rounds only. A failed tool gets an "error" and drops out."""
    rounds = max(p["warmup"] + p["runs"] for p in plan)
    log(f"{label}: {', '.join(p['row']['tool'] for p in plan)}, alternately ({rounds} rounds)")
    for i in range(rounds):
        for p in plan:
            nth = i - (rounds - p["warmup"] - p["runs"])  # this tool's run number in the round, < 0 before its first
            if nth < 0 or "error" in p["row"]:
                continue
            try:
                res = measure(p["cmd"], 1, 0, p["prepare"], p["cwd"], own_cpu=p["row"]["tool"].startswith("weft"))
            except Failed as e:
                p["row"]["error"] = str(e)
                p["results"].clear()
                continue
            if nth >= p["warmup"]:
                p["results"].extend(res)


def stat(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def hyperfine(cmd, runs, warmup, cwd=None):
    out = os.path.join(OUT, "hyperfine.json")
    subprocess.run(["hyperfine", "-N", "--style", "none", "--warmup", str(warmup), "--runs", str(runs),
                    "--export-json", out, cmd], cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        times = json.load(f)["results"][0]["times"]
    return stat(times)


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)


def parse_time(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def run_json_metrics(stdout, tasks):
    """From a `weft run --json` document: the run's own wall (end - start) and, for
    every task with upstreams, start - max(upstream end) in ms (one value per
    downstream task, so a sink with 10,000 upstreams counts once, not 10,000 times)."""
    run = json.loads(stdout)
    if run["state"] != "success":
        raise Failed(f"run ended {run['state']}")
    by_id = {t["task_id"]: t for t in run["tasks"]}
    handoffs = []
    for tid, deps in tasks:
        if deps:
            start = parse_time(by_id[tid]["start_date"])
            ready = max(parse_time(by_id[d]["end_date"]) for d in deps)
            handoffs.append((start - ready).total_seconds() * 1000)
    run_s = (parse_time(run["end_date"]) - parse_time(run["start_date"])).total_seconds()
    return run_s, handoffs


def percentile(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(round(p / 100 * len(v) + 0.5)) - 1))]


def tail(path, chars=400):
    try:
        with open(path, errors="replace") as f:
            return f.read()[-chars:].strip()
    except OSError:
        return ""


def stop_process(p, grace=15):
    """SIGTERM, then SIGKILL after grace seconds: every process a scenario starts ends with it."""
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


# ---------------------------------------------------------------- databases and distributed roles

def postgres_status():
    """(URL, None) when the PostgreSQL that bench/run.sh started (scripts/ensure-postgres.sh, WEFT_TEST_POSTGRES)
    answers, else (None, why not)."""
    url = os.environ.get("WEFT_TEST_POSTGRES")
    if not url:
        return None, os.environ.get("WEFT_BENCH_POSTGRES_SKIP") or "no PostgreSQL: WEFT_TEST_POSTGRES is not set"
    if not Database.psql():
        return None, "psql is not installed"
    try:
        Database.postgres(url, "public").rows("SELECT 1")
    except Failed as e:
        return None, f"PostgreSQL did not answer: {e}"
    return url, None


class Database:
    """The state of one scenario: a fresh SQLite file or a fresh PostgreSQL schema. `conn` is what weft gets as
    --db; the harness reads the same tables itself (sqlite3 read-only, or psql), so waiting costs no weft process."""

    def __init__(self, kind, conn, path=None, url=None, schema=None):
        self.kind, self.conn, self.path, self.url, self.schema = kind, conn, path, url, schema

    @staticmethod
    def sqlite(path):
        return Database("SQLite", path, path=path)

    @staticmethod
    def postgres(url, schema):
        conn = f"{url}{'&' if '?' in url else '?'}search_path={schema}"
        return Database("PostgreSQL", conn, url=url, schema=schema)

    @staticmethod
    def psql():
        found = shutil.which("psql")
        if not found and os.environ.get("WEFT_PG_BINDIR"):
            found = os.path.join(os.environ["WEFT_PG_BINDIR"], "psql")
        return found if found and os.access(found, os.X_OK) else None

    def rows(self, sql):
        """The rows of a query, every value a string (None for NULL)."""
        if self.kind == "SQLite":
            try:
                con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)
                try:
                    return [[None if v is None else str(v) for v in r] for r in con.execute(sql)]
                finally:
                    con.close()
            except sqlite3.Error as e:
                raise Failed(f"reading {self.path}: {e}")
        cmd = [self.psql(), self.url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-F", "\t",
               "-c", f'SET search_path TO "{self.schema}"', "-c", sql]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        except subprocess.TimeoutExpired:
            raise Failed("psql did not answer within 30 s")
        if p.returncode != 0:
            raise Failed(f"psql exited {p.returncode}: {p.stderr.strip()[-300:]}")
        return [[v if v != "" else None for v in line.split("\t")] for line in p.stdout.splitlines()]

    def run_state(self, dag_id, run_id):
        q = lambda s: "'" + s.replace("'", "''") + "'"
        found = self.rows(f"SELECT state FROM dag_runs WHERE dag_id = {q(dag_id)} AND run_id = {q(run_id)}")
        return found[0][0] if found else None

    def drop(self):
        if self.kind == "PostgreSQL":
            try:
                Database.postgres(self.url, "public").rows(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
            except Failed as e:
                log(f"could not drop schema {self.schema}: {e}")


class Cluster:
    """One `weft scheduler --parallelism 64` and N `weft worker --queues w --concurrency 64/N` on one database,
    each with its own --home, for the length of a `with` block: started and waited for (60 s at most), then
    stopped with SIGTERM (SIGKILL 15 s later) however the block ends."""

    PARALLELISM = 64

    def __init__(self, weft, base, dags, db, workers, dag_ids):
        self.weft, self.base, self.dags, self.db, self.workers, self.dag_ids = weft, base, dags, db, workers, dag_ids
        self.procs = []

    def _start(self, name, args):
        path = os.path.join(self.base, f"{name}.log")
        with open(path, "w") as out:
            p = subprocess.Popen([self.weft, *args, "--dags", self.dags, "--home", os.path.join(self.base, name),
                                  "--db", self.db.conn], cwd=self.base, stdout=out, stderr=subprocess.STDOUT)
        self.procs.append((name, p, path))

    def __enter__(self):
        fresh_dir(self.base)
        try:
            self._start("scheduler", ["scheduler", "--parallelism", str(self.PARALLELISM)])
            for i in range(1, self.workers + 1):
                self._start(f"worker{i}", ["worker", "--queues", "w", "--concurrency",
                                           str(self.PARALLELISM // self.workers), "--name", f"bench{i}"])
            # Ready: the scheduler registered the DAGs, every worker logged its start.
            deadline = time.time() + 60
            while True:
                self.check()
                logs = {name: tail(path, 100000) for name, _, path in self.procs}
                if (all(f"DAG {d}: registered" in logs["scheduler"] for d in self.dag_ids)
                        and all(" started: " in text for name, text in logs.items() if name != "scheduler")):
                    return self
                if time.time() > deadline:
                    raise Failed("the scheduler and workers were not ready within 60 s: "
                                 + " | ".join(f"{n}: {t[-200:]}" for n, t in logs.items()))
                time.sleep(0.2)
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        for _, p, _ in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for _, p, _ in self.procs:
            stop_process(p)

    def check(self):
        for name, p, path in self.procs:
            if p.poll() is not None:
                raise Failed(f"weft {name} exited {p.returncode}: {tail(path)}")

    def run(self, dag_id, timeout):
        """Triggers a run and waits (polling the database every 50 ms) until it ends. Returns the wall-clock time
        just before `weft dags trigger` started and the run JSON (`weft runs show --json`, read afterwards)."""
        cli = ["--dags", self.dags, "--home", os.path.join(self.base, "cli"), "--db", self.db.conn]
        t0 = time.time()
        p = subprocess.run([self.weft, "dags", "trigger", dag_id, *cli], capture_output=True, text=True, timeout=60)
        if p.returncode != 0 or not p.stdout.strip():
            raise Failed(f"weft dags trigger {dag_id} exited {p.returncode}: {p.stderr.strip()[-300:]}")
        run_id = p.stdout.strip().splitlines()[-1]
        deadline = time.time() + timeout
        state = None
        while state not in ("success", "failed"):
            self.check()
            if time.time() > deadline:
                raise Failed(f"run {run_id} of {dag_id} did not end within {timeout} s (state {state})")
            time.sleep(0.05)
            state = self.db.run_state(dag_id, run_id)
        p = subprocess.run([self.weft, "runs", "show", run_id, "--json", *cli], capture_output=True, text=True,
                           timeout=120)
        if p.returncode != 0:
            raise Failed(f"weft runs show {run_id} exited {p.returncode}: {p.stderr.strip()[-300:]}")
        doc = json.loads(p.stdout)
        if doc["state"] != "success":
            raise Failed(f"run {run_id} of {dag_id} ended {doc['state']}")
        return t0, doc


def task_span_s(doc):
    """First task start to last task end of a run JSON, in seconds."""
    tasks = doc["tasks"]
    return (max(parse_time(t["end_date"]) for t in tasks)
            - min(parse_time(t["start_date"]) for t in tasks)).total_seconds()


def chain_edges_ms(doc, order):
    """Start of task i+1 − end of task i along a chain, in ms."""
    by_id = {t["task_id"]: t for t in doc["tasks"]}
    return [(parse_time(by_id[b]["start_date"]) - parse_time(by_id[a]["end_date"])).total_seconds() * 1000
            for a, b in zip(order, order[1:])]


# ---------------------------------------------------------------- scenarios

class Bench:
    def __init__(self, weft, quick, benchmarks_dll, bare_loop=None, weft_jit=None):
        self.weft = weft
        self.weft_jit = weft_jit
        self.bare_loop = bare_loop
        self.quick = quick
        self.benchmarks_dll = benchmarks_dll
        self.runs = 3 if quick else 5
        self.warmup = 1
        self.tmp = tempfile.mkdtemp(prefix="weft-bench-")
        self.help = sh(f"{weft} --help")
        self.results = {}

    def has_command(self, name):
        return re.search(rf"^\s+{name}\b", self.help, re.M) is not None

    def weft_cmd(self, *args, exe=None):
        home = os.path.join(self.tmp, "home")
        return [exe or self.weft, *args, "--home", home, "--db", os.path.join(home, "weft.db")]

    def reset_weft(self):
        shutil.rmtree(os.path.join(self.tmp, "home"), ignore_errors=True)

    def graph(self, key, tasks, command):
        d = os.path.join(OUT, "graphs", key)
        edges = gen.write_all(d, key.replace("-", "_"), tasks, command)
        return d, edges

    # -- Shell DAG: the same layered graph under every tool, parallelism 2
    def shell_dag(self):
        rows = []
        cases = [(100, "true"), (1000, "true"), (5000, "true"), (1000, "sleep 0.01")]
        for n, command in cases:
            key = f"layered-{n}-{command.replace(' ', '').replace('.', '')}"
            d, edges = self.graph(key, gen.layered(n), command)
            work = os.path.join(self.tmp, "work")
            tools = [
                ("weft", self.weft_cmd("run", os.path.join(d, "dag.yaml"), "--parallelism", "2", "--quiet"),
                 self.reset_weft, None),
                ("make", ["make", "-s", "-j2", "-f", os.path.join(d, "Makefile")], None, d),
                ("ninja", ["ninja", "-j2", "--quiet", "-f", os.path.join(d, "build.ninja")],
                 lambda: fresh_dir(work), work),
                ("snakemake", ["snakemake", "--cores", "2", "--quiet", "all", "--snakefile",
                               os.path.join(d, "Snakefile"), "--directory", work],
                 lambda: fresh_dir(work), None),
            ]
            if self.weft_jit:
                # The same engine JIT-compiled (`dotnet weft.dll`, what `dotnet run` gives).
                tools.insert(1, ("weft (JIT)", self.weft_cmd("run", os.path.join(d, "dag.yaml"), "--parallelism", "2",
                                                             "--quiet", exe=self.weft_jit), self.reset_weft, None))
            if self.bare_loop:
                # The floor for a .NET program: Process.Start per task, nothing recorded (bench/BareLoop).
                graph = os.path.join(d, "graph.txt")
                at = 3 if self.weft_jit else 2
                tools.insert(at, (".NET loop", [self.bare_loop, graph, "2", "direct", command], None, None))
                if n <= 1000:
                    tools.insert(at + 1, (".NET loop, bash -c", [self.bare_loop, graph, "2", "bash", command], None, None))
            plan = []
            for tool, cmd, prepare, cwd in tools:
                row = {"scenario": "shell", "n": n, "edges": edges, "command": command, "tool": tool}
                runs, warmup = self.runs, self.warmup
                if self.quick and (n >= 5000 or command != "true"):
                    warmup = 0  # --quick budget; the short cases before these have warmed the caches
                if tool == "snakemake" and n >= 1000:
                    # Snakemake spends about 50 ms per job here (about 50 s for 1,000 jobs).
                    if self.quick:
                        row["skipped"] = "skipped in --quick: about 50 ms per job, a run takes minutes"
                        rows.append(row)
                        continue
                    warmup = 0  # runs of a minute and more: a warm-up changes nothing but the budget
                    if n >= 5000:
                        runs = 1
                        row["note"] = "1 run: one run takes several minutes"
                rows.append(row)
                plan.append({"row": row, "cmd": cmd, "prepare": prepare, "cwd": cwd, "runs": runs,
                             "warmup": warmup, "results": []})
            measure_alternately(f"shell N={n} '{command}'", plan)
            for p in plan:
                if p["results"]:
                    p["row"]["wall_s"] = stat([r["wall_s"] for r in p["results"]])
                    p["row"]["rss_kb"] = stat([r["rss_kb"] for r in p["results"]])
                    p["row"]["per_task_ms"] = p["row"]["wall_s"]["median"] / n * 1000
                    p["row"]["cpu_tree_ms_per_task"] = statistics.median(r["cpu_tree_s"] for r in p["results"]) / n * 1000
                    own = [r["own_cpu_s"] for r in p["results"] if "own_cpu_s" in r]
                    if own:
                        p["row"]["own_cpu_ms_per_task"] = statistics.median(own) / n * 1000
            # The tasks' own CPU is the same whoever starts them: weft's tree minus weft itself. A peer's own CPU
            # is then its tree minus that (an estimate: its children are the same tasks).
            weft = next((p["row"] for p in plan if p["row"]["tool"] == "weft" and "own_cpu_ms_per_task" in p["row"]), None)
            if weft:
                tasks_cpu = weft["cpu_tree_ms_per_task"] - weft["own_cpu_ms_per_task"]
                for p in plan:
                    row = p["row"]
                    if "cpu_tree_ms_per_task" in row and "own_cpu_ms_per_task" not in row:
                        row["own_cpu_ms_per_task"] = max(0.0, row["cpu_tree_ms_per_task"] - tasks_cpu)
                        row["own_cpu_estimated"] = True
        for row in rows:
            base = next((r for r in rows if r["tool"] == "make" and r["n"] == row["n"]
                         and r["command"] == row["command"] and "wall_s" in r), None)
            if base and "wall_s" in row:
                row["ratio_to_make"] = row["wall_s"]["median"] / base["wall_s"]["median"]
        self.results["shell_dag"] = rows

    # -- Engine overhead: noop tasks, durable on SQLite, engine defaults
    def engine(self):
        rows = []
        for n in (1000, 10000):
            for shape in ("layered", "fanout"):
                tasks = gen.layered(n) if shape == "layered" else gen.fanout(n)
                d, edges = self.graph(f"{shape}-{n}-noop", tasks, "noop")
                log(f"engine {shape} N={n}")
                row = {"scenario": "engine", "shape": shape, "n": len(tasks), "edges": edges}
                try:
                    res = measure(self.weft_cmd("run", os.path.join(d, "dag.yaml"), "--json"),
                                  self.runs, self.warmup, self.reset_weft, capture=True)
                except Failed as e:
                    row["error"] = str(e)
                    rows.append(row)
                    continue
                per_run = [run_json_metrics(r["stdout"], tasks) for r in res]
                row["run_s"] = stat([p[0] for p in per_run])
                row["process_s"] = stat([r["wall_s"] for r in res])
                row["rss_kb"] = stat([r["rss_kb"] for r in res])
                row["tasks_per_s_run"] = len(tasks) / row["run_s"]["median"]
                row["tasks_per_s_process"] = len(tasks) / row["process_s"]["median"]
                row["handoff_p50_ms"] = statistics.median(percentile(p[1], 50) for p in per_run)
                row["handoff_p99_ms"] = statistics.median(percentile(p[1], 99) for p in per_run)
                rows.append(row)
        self.results["engine"] = rows

    # -- Chain latency: 100 tasks in a line
    def chain(self):
        rows = []
        for command in ("noop", "true"):
            tasks = gen.chain(100)
            d, _ = self.graph(f"chain-100-{command}", tasks, command)
            log(f"chain 100 {command}")
            row = {"scenario": "chain", "n": 100, "command": command}
            try:
                res = measure(self.weft_cmd("run", os.path.join(d, "dag.yaml"), "--json"),
                              self.runs, self.warmup, self.reset_weft, capture=True)
            except Failed as e:
                row["error"] = str(e)
                rows.append(row)
                continue
            per_run = [run_json_metrics(r["stdout"], tasks) for r in res]
            row["edge_ms"] = stat([statistics.median(p[1]) for p in per_run])
            row["edge_mean_ms"] = stat([statistics.mean(p[1]) for p in per_run])
            row["run_s"] = stat([p[0] for p in per_run])
            row["process_s"] = stat([r["wall_s"] for r in res])
            rows.append(row)
        self.results["chain"] = rows

    # -- Footprint: process start to exit; idle server RSS when there is a server
    def footprint(self):
        d, _ = self.graph("layered-10-true", [(f"t{i}", [f"t{i - 1}"] if i else []) for i in range(10)], "true")
        rows = []
        for label, args in (("weft --version", ["--version"]),
                            ("weft validate (10 tasks)", ["validate", os.path.join(d, "dag.yaml")])):
            log(f"footprint {label}")
            row = {"scenario": "footprint", "what": label}
            try:
                row["wall_s"] = hyperfine(" ".join([self.weft, *args]), self.runs * 4, 3)
                row["rss_kb"] = stat([r["rss_kb"] for r in measure([self.weft, *args], self.runs, 1)])
            except (Failed, subprocess.CalledProcessError) as e:
                row["error"] = str(e)
            rows.append(row)
        row = {"scenario": "footprint", "what": "weft server idle RSS"}
        if self.has_command("server"):
            row.update(self.server_idle())
        else:
            row["skipped"] = NA
        rows.append(row)
        self.results["footprint"] = rows

    def start_server(self):
        """Starts `weft server` on a fresh home and waits (up to 30 s) until health answers."""
        home = os.path.join(self.tmp, "server-home")
        fresh_dir(home)
        p = subprocess.Popen([self.weft, "server", "--urls", SERVER_URL, "--home", home,
                              "--db", os.path.join(home, "weft.db"), "--dags", home],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            if p.poll() is not None:
                raise Failed(f"weft server exited {p.returncode}")
            try:
                urllib.request.urlopen(SERVER_URL + "/api/v1/health", timeout=2).read()
                return p
            except OSError:
                time.sleep(0.2)
        p.terminate()
        raise Failed("weft server did not answer /api/v1/health within 30 s")

    def server_idle(self):
        try:
            p = self.start_server()
        except Failed as e:
            return {"error": str(e)}
        try:
            time.sleep(5)
            with open(f"/proc/{p.pid}/status") as f:
                rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))
            return {"rss_kb": stat([rss])}
        finally:
            p.terminate()
            p.wait(10)

    # -- Distributed mode: scheduler + workers (PostgreSQL, and SQLite) beside `weft run` on SQLite in one process
    WIDE, CHAIN = 2000, 100

    def distributed(self):
        base = os.path.join(self.tmp, "distributed")
        dags = os.path.join(base, "dags")
        fresh_dir(dags)
        order = [f"c{i:05d}" for i in range(self.CHAIN)]
        # Two kinds of task on queue `w`: `true` (a process per task) and a no-op that names the queue, which a
        # worker takes like any task and ends at once (the no-cost task: the hand-off alone). max_active_tasks as
        # large as the DAG: the scheduler's --parallelism and the workers' concurrency are what limit it.
        kinds = {"noop": "    type: noop\n", "true": "    command: \"true\"\n"}
        files = {}
        for kind, body in kinds.items():
            files[("throughput", kind)] = wide = os.path.join(dags, f"dist_wide_{kind}.yaml")
            files[("chain", kind)] = chain = os.path.join(dags, f"dist_chain_{kind}.yaml")
            with open(wide, "w") as f:
                f.write(f"id: dist_wide_{kind}\nmax_active_tasks: {self.WIDE}\ntasks:\n" + "".join(
                    f"  - id: t{i:05d}\n    queue: w\n{body}" for i in range(self.WIDE)))
            with open(chain, "w") as f:
                f.write(f"id: dist_chain_{kind}\ntasks:\n" + "".join(
                    f"  - id: {t}\n    queue: w\n{body}"
                    + (f"    depends_on: [{order[i - 1]}]\n" if i else "") for i, t in enumerate(order)))
        rows = []

        def row(case, kind, database, how, workers):
            r = {"scenario": "distributed", "case": case, "task": kind, "database": database, "how": how,
                 "workers": workers, "n": self.WIDE if case == "throughput" else self.CHAIN}
            rows.append(r)
            return r

        # Beside: the same DAGs through `weft run` (one process, SQLite), as many at once as the workers run.
        for (case, kind), path in files.items():
            r = row(case, kind, "SQLite", f"weft run (in process, --parallelism {Cluster.PARALLELISM})", 0)
            log(f"distributed: {case} of {kind} tasks, weft run on SQLite")
            try:
                res = measure(self.weft_cmd("run", path, "--json", "--parallelism", str(Cluster.PARALLELISM)),
                              self.runs, self.warmup, self.reset_weft, capture=True)
                docs = [json.loads(x["stdout"]) for x in res]
                for d in docs:
                    if d["state"] != "success":
                        raise Failed(f"run ended {d['state']}")
                self.distributed_metrics(r, [x["wall_s"] for x in res], docs, order)
            except (Failed, ValueError, KeyError) as e:
                r["error"] = str(e)

        configs = [("SQLite", 2)] + [("PostgreSQL", n) for n in (1, 2, 4)]
        pg_url, pg_skip = postgres_status()
        for database, workers in configs:
            how = f"weft scheduler + {workers} weft worker{'s' if workers > 1 else ''}"
            mine = {key: row(key[0], key[1], database, how, workers) for key in files}
            if not self.has_command("worker"):
                for r in mine.values():
                    r["skipped"] = NA
                continue
            if database == "PostgreSQL" and pg_skip:
                for r in mine.values():
                    r["skipped"] = pg_skip
                continue
            cluster_dir = os.path.join(base, f"{database.lower()}-{workers}")
            db = (Database.sqlite(os.path.join(base, f"{database.lower()}-{workers}.db")) if database == "SQLite"
                  else Database.postgres(pg_url, f"bench_dist_{os.getpid()}_{workers}"))
            log(f"distributed: {how} on {database}")
            try:
                with Cluster(self.weft, cluster_dir, dags, db, workers,
                             [f"dist_{'wide' if c == 'throughput' else 'chain'}_{k}" for c, k in files]) as cluster:
                    for (c, k), r in mine.items():
                        dag_id, timeout = f"dist_{'wide' if c == 'throughput' else 'chain'}_{k}", 300 if c == "throughput" else 120
                        try:
                            walls, docs = [], []
                            for i in range(self.warmup + self.runs):
                                t0, doc = cluster.run(dag_id, timeout)
                                if i >= self.warmup:
                                    walls.append(parse_time(doc["end_date"]).timestamp() - t0)
                                    docs.append(doc)
                            self.distributed_metrics(r, walls, docs, order)
                        except (Failed, ValueError, KeyError, subprocess.SubprocessError) as e:
                            r["error"] = str(e)
            except Failed as e:
                for r in mine.values():
                    r.setdefault("error", str(e))
            finally:
                db.drop()
        self.results["distributed"] = rows
        # The scheduler pass, on SQLite and on PostgreSQL, belongs to the same group.
        self.scheduler()

    def distributed_metrics(self, row, walls, docs, order):
        row["wall_s"] = stat(walls)
        if row["case"] == "throughput":
            spans = [task_span_s(d) for d in docs]
            row["span_s"] = stat(spans)
            row["tasks_per_s"] = stat([row["n"] / max(s, 0.001) for s in spans])
        else:
            edges = [e for d in docs for e in chain_edges_ms(d, order)]
            row["edge_ms"] = {"p50": percentile(edges, 50), "p90": percentile(edges, 90),
                              "mean": statistics.mean(edges), "max": max(edges), "n": len(edges)}
            row["span_s"] = stat([task_span_s(d) for d in docs])
            row["per_link_ms"] = stat([task_span_s(d) * 1000 / row["n"] for d in docs])
            durations = [t["duration_ms"] for d in docs for t in d["tasks"]]
            row["task_duration_ms"] = {"p50": percentile(durations, 50), "p90": percentile(durations, 90),
                                       "n": len(durations)}

    # -- Scheduler: 1,000 DAGs on a 15-second cron, one noop task each, on SQLite and on PostgreSQL
    def scheduler(self):
        n, every = 1000, 15
        due_points = 1 if self.quick else 3
        what = (f"{n:,} DAGs, schedule \"*/{every} * * * * *\", catchup false, one noop task, "
                f"at least {due_points} due point{'s' if due_points > 1 else ''}")
        rows = [{"scenario": "scheduler", "database": d, "what": what, "dags": n, "cron": f"*/{every} * * * * *"}
                for d in ("SQLite", "PostgreSQL")]
        self.results["scheduler"] = rows
        if not self.has_command("scheduler"):
            for row in rows:
                row["skipped"] = NA
            return
        base = os.path.join(self.tmp, "scheduler")
        dags = os.path.join(base, "dags")
        fresh_dir(dags)
        for i in range(n):
            with open(os.path.join(dags, f"s{i:04d}.yaml"), "w") as f:
                f.write(f"id: s{i:04d}\nschedule: \"*/{every} * * * * *\"\ncatchup: false\n"
                        "tasks:\n  - id: t\n    type: noop\n")
        pg_url, pg_skip = postgres_status()
        for row in rows:
            if row["database"] == "PostgreSQL" and pg_skip:
                row["skipped"] = pg_skip
                continue
            home = os.path.join(base, f"home-{row['database'].lower()}")
            fresh_dir(home)
            db = (Database.sqlite(os.path.join(home, "weft.db")) if row["database"] == "SQLite"
                  else Database.postgres(pg_url, f"bench_sched_{os.getpid()}"))
            try:
                self.scheduler_on(row, db, dags, home, every, due_points)
            finally:
                db.drop()

    def scheduler_on(self, row, db, dags, home, every, due_points):
        err_path = os.path.join(home, "scheduler.stderr")
        log(f"scheduler on {db.kind}: {row['dags']} DAGs, cron */{every} s, {due_points} due point(s)")
        env = dict(os.environ, WEFT_SCHEDULER_TRACE="1")
        with open(err_path, "w") as err:
            p = subprocess.Popen([self.weft, "scheduler", "--dags", dags, "--home", home, "--db", db.conn],
                                 stdout=subprocess.DEVNULL, stderr=err, env=env)
        try:
            # Wait for the first pass (it registers the files), then for due_points ticks after the next
            # one (with catchup false and no start_date the first run is the interval that starts at the
            # first tick), then 8 s for the runs to finish. Bounded: at most 120 s in all.
            hard = time.time() + 120
            while time.time() < hard and p.poll() is None and "scheduler pass" not in open(err_path).read():
                time.sleep(0.2)
            first_tick = (int(time.time()) // every + 1) * every
            stop_at = min(hard, first_tick + due_points * every + 8)
            while time.time() < stop_at and p.poll() is None:
                time.sleep(0.5)
            if p.poll() is not None:
                raise Failed(f"weft scheduler exited {p.returncode}: {open(err_path).read()[-400:]}")
        except Failed as e:
            row["error"] = str(e)
        finally:
            stop_process(p)
        if "error" not in row:
            try:
                row.update(self.scheduler_metrics(err_path, home, db))
            except (Failed, subprocess.SubprocessError, ValueError, KeyError) as e:
                row["error"] = str(e)

    def scheduler_metrics(self, err_path, home, db):
        # Pass durations, in order; a pass that created runs is preceded by its "created N run(s)" line
        # (or, from older builds, one "created run" line per run).
        passes, due, quiet = [], [], []
        created = 0
        with open(err_path) as f:
            for line in f:
                if ": created run " in line:
                    created += 1
                m = re.search(r"weft: created (\d+) run", line)
                if m:
                    created += int(m.group(1))
                m = re.search(r"scheduler pass ([\d.]+) ms", line)
                if m:
                    passes.append(float(m.group(1)))
                    if created:
                        due.append((float(m.group(1)), created))
                    elif len(passes) > 1:
                        quiet.append(float(m.group(1)))
                    created = 0
        if len(passes) < 2:
            raise Failed("fewer than two scheduler passes were logged (WEFT_SCHEDULER_TRACE)")
        steady = passes[1:]  # the first pass registers the 1,000 files
        out = {"first_pass_ms": passes[0],
               "pass_ms": {"p50": percentile(steady, 50), "p99": percentile(steady, 99), "max": max(steady),
                           "n": len(steady)},
               "due_passes": [{"ms": ms, "runs_created": c} for ms, c in due]}
        if quiet:
            out["quiet_pass_ms"] = {"p50": percentile(quiet, 50), "p99": percentile(quiet, 99), "max": max(quiet),
                                    "n": len(quiet)}
        # Runs from weft's JSON; each run's first task start from the database (the run JSON of
        # `runs list` carries no tasks, and `runs show` per run would take minutes).
        doc = json.loads(subprocess.run([self.weft, "runs", "list", "--json", "--limit", "100000",
                                         "--home", home, "--db", db.conn], capture_output=True, text=True,
                                        check=True, timeout=120).stdout)
        runs = [r for r in doc["dag_runs"] if r["run_type"] == "scheduled"]
        first = {(d, r): float(s) for d, r, s in db.rows(
            "SELECT dag_id, run_id, MIN(start_date) FROM task_instances GROUP BY dag_id, run_id") if s is not None}
        delays, unstarted = [], 0
        for r in runs:
            start_ms = first.get((r["dag_id"], r["run_id"]))
            if start_ms is None:
                unstarted += 1
                continue
            due_ms = parse_time(r["data_interval_end"]).timestamp() * 1000
            delays.append(start_ms - due_ms)
        if not delays:
            raise Failed("no scheduled run started a task")
        out.update({"runs": len(runs), "runs_succeeded": sum(r["state"] == "success" for r in runs),
                    "runs_without_start": unstarted,
                    "due_times": len({r["data_interval_end"] for r in runs}),
                    "delay_ms": {"p50": percentile(delays, 50), "p99": percentile(delays, 99),
                                 "min": min(delays), "max": max(delays), "n": len(delays)}})
        return out

    # -- Load/validate: 10,000 tasks, 30,000 edges
    def load(self):
        d, edges = self.graph("dense-10000-noop", gen.dense(10000), "noop")
        path = os.path.join(d, "dag.yaml")
        rows = []
        log("load: weft validate 10k/30k")
        row = {"scenario": "load", "what": f"weft validate (10,000 tasks, {edges:,} edges)"}
        try:
            row["wall_s"] = hyperfine(f"{self.weft} validate {path}", self.runs, self.warmup)
            row["rss_kb"] = stat([r["rss_kb"] for r in measure([self.weft, "validate", path], self.runs, 0)])
        except (Failed, subprocess.CalledProcessError) as e:
            row["error"] = str(e)
        rows.append(row)
        row = {"scenario": "load", "what": "DagLoader.LoadText in process (BenchmarkDotNet)"}
        if self.quick:
            row["skipped"] = "full mode only"
        elif not self.benchmarks_dll:
            row["error"] = "benchmark project did not build"
        else:
            log("load: BenchmarkDotNet DagLoader.LoadText")
            row.update(self.bdn(path))
        rows.append(row)
        self.results["load"] = rows

    def bdn(self, path):
        art = os.path.join(OUT, "bdn")
        shutil.rmtree(art, ignore_errors=True)
        env = dict(os.environ, WEFT_BENCH_DAG=path)
        p = subprocess.run(["dotnet", self.benchmarks_dll, art], env=env, capture_output=True, text=True)
        if p.returncode != 0:
            return {"error": "BenchmarkDotNet failed: " + (p.stdout + p.stderr).strip()[-400:]}
        found = [os.path.join(r, f) for r, _, fs in os.walk(art) for f in fs if f.endswith("-report-full.json")]
        with open(found[0]) as f:
            b = json.load(f)["Benchmarks"][0]
        s = b["Statistics"]
        ns = 1e-9
        return {"wall_s": {"median": s["Median"] * ns, "min": s["Min"] * ns, "max": s["Max"] * ns, "n": s["N"]},
                "allocated_bytes": (b.get("Memory") or {}).get("BytesAllocatedPerOperation")}

    # -- API
    def api(self):
        rows = []
        secs = 5 if self.quick else 10
        targets = [("dags", "GET /api/v1/dags (20 DAGs)"),
                   ("tasks", "GET …/dagRuns/{run_id}/taskInstances (20 tasks)")]
        skip = NA if not self.has_command("server") else None if shutil.which("wrk") else "wrk is not installed"
        if skip:
            rows += [{"scenario": "api", "what": w, "skipped": skip} for _, w in targets]
        else:
            log(f"api: wrk -t2 -c32 -d{secs}s on /api/v1/dags and taskInstances")
            rows += self.api_wrk(targets, secs)
        self.results["api"] = rows

    def api_wrk(self, targets, secs):
        base = os.path.join(self.tmp, "api")
        home, dags = os.path.join(base, "home"), os.path.join(base, "dags")
        fresh_dir(dags)
        os.makedirs(home)
        for i in range(19):
            gen.write_all(os.path.join(base, "g"), f"api_dag_{i:02d}", gen.chain(3), "noop", peers=False)
            os.replace(os.path.join(base, "g", "dag.yaml"), os.path.join(dags, f"api_dag_{i:02d}.yaml"))
        gen.write_all(os.path.join(base, "g"), "api_wide", gen.layered(20, layers=4), "noop", peers=False)
        os.replace(os.path.join(base, "g", "dag.yaml"), os.path.join(dags, "api_wide.yaml"))
        out_path = os.path.join(base, "server.stdout")
        with open(out_path, "w") as out:
            p = subprocess.Popen([self.weft, "server", "--urls", SERVER_URL, "--home", home,
                                  "--db", os.path.join(home, "weft.db"), "--dags", dags],
                                 cwd=base, stdout=out, stderr=subprocess.DEVNULL)
        rows = [{"scenario": "api", "what": w, "connections": 32, "threads": 2, "seconds": secs} for _, w in targets]
        try:
            deadline = time.time() + 30
            token = None
            while time.time() < deadline and not token:
                if p.poll() is not None:
                    raise Failed(f"weft server exited {p.returncode}")
                m = re.search(r"token=(\S+)", open(out_path).read())
                token = m.group(1) if m else None
                time.sleep(0.2)
            if not token:
                raise Failed("weft server printed no token= line within 30 s")
            auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

            def call(method, path, body=None):
                req = urllib.request.Request(SERVER_URL + path, method=method, headers=auth,
                                             data=json.dumps(body).encode() if body is not None else None)
                with urllib.request.urlopen(req, timeout=10) as r:
                    return json.loads(r.read())

            while time.time() < deadline and len(call("GET", "/api/v1/dags").get("dags", [])) < 20:
                time.sleep(0.2)
            time.sleep(3)  # idle: started, DAGs registered, nothing requested yet
            rss_idle = proc_rss_kb(p.pid)
            run_id = call("POST", "/api/v1/dags/api_wide/dagRuns", {"conf": {}})["run_id"]
            state = None
            while time.time() < deadline + 30 and state not in ("success", "failed"):
                time.sleep(0.2)
                state = call("GET", f"/api/v1/dags/api_wide/dagRuns/{run_id}")["state"]
            if state != "success":
                raise Failed(f"the triggered run ended {state}")
            ntasks = len(call("GET", f"/api/v1/dags/api_wide/dagRuns/{run_id}/taskInstances")["task_instances"])
            paths = {"dags": "/api/v1/dags",
                     "tasks": f"/api/v1/dags/api_wide/dagRuns/{urllib.parse.quote(run_id)}/taskInstances"}
            for row, (key, _) in zip(rows, targets):
                # 2 s warm-up (JIT, connection set-up), not counted.
                subprocess.run(["wrk", "-t2", "-c32", "-d2s", "-H", f"Authorization: Bearer {token}",
                                SERVER_URL + paths[key]], capture_output=True, check=True, timeout=40)
                wrk = subprocess.run(["wrk", "-t2", "-c32", f"-d{secs}s", "--latency", "-H",
                                      f"Authorization: Bearer {token}", SERVER_URL + paths[key]],
                                     capture_output=True, text=True, check=True, timeout=secs + 30).stdout
                row.update(parse_wrk(wrk))
                row["rss_idle_kb"] = rss_idle
                if key == "tasks":
                    row["task_instances"] = ntasks
            rows[-1]["rss_after_kb"] = proc_rss_kb(p.pid)
        except (Failed, OSError, KeyError, ValueError, AttributeError, subprocess.SubprocessError) as e:
            for row in rows:
                row.setdefault("error", str(e))
        finally:
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        return rows


def proc_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))


def wrk_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[m.group(2)]


def parse_wrk(out):
    """Requests/s, latency percentiles (ms), and the error counts wrk reports."""
    res = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
           "latency_ms": {q: wrk_ms(re.search(rf"^\s+{q}%\s+(\S+)", out, re.M).group(1)) for q in ("50", "99")},
           "requests": int(re.search(r"(\d+) requests in", out).group(1))}
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        res["non_2xx"] = int(m.group(1))
    if m := re.search(r"Socket errors:.*", out):
        res["socket_errors"] = m.group(0)
    return res


def versions(weft):
    return {
        "weft": sh(f"{weft} --version") + (f" (commit {c}{' with uncommitted changes in src/' if sh('git status --porcelain src') else ''})"
                                           if (c := sh("git rev-parse --short HEAD")) else ""),
        "dotnet": sh("dotnet --version"),
        "make": sh("make --version | head -1"),
        "ninja": sh("ninja --version"),
        "snakemake": sh("snakemake --version"),
        "hyperfine": sh("hyperfine --version"),
        "wrk": sh("wrk -v 2>&1 | head -1").split(" Copyright")[0],
        "python3": sh("python3 --version"),
        "GNU time": sh("dpkg-query -W -f '${Version}' time"),
    }


# ---------------------------------------------------------------- report

def fmt_s(s):
    if s is None:
        return "–"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 0.001:
        return f"{s * 1000:.0f} ms" if s >= 0.1 else f"{s * 1000:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def fmt_range(st, f=fmt_s):
    if st["n"] == 1:
        return f"{f(st['median'])} (1 run)"
    if st["min"] == st["max"]:
        return f"{f(st['median'])} (every run)"
    return f"{f(st['median'])} ({f(st['min'])}–{f(st['max'])})"


def fmt_ms(v):
    if v == 0:
        return "< 1 ms"  # run JSON times have millisecond resolution
    return f"{v:.0f} ms" if v >= 10 else f"{v:.1f} ms" if v >= 1 else f"{v:.2f} ms"


def fmt_mb(kb):
    return f"{kb / 1024:.0f} MB" if kb >= 10240 else f"{kb / 1024:.1f} MB"


def status(row):
    return row.get("skipped") or ("error: " + row["error"][:160] if "error" in row else None)


def header(doc):
    m = doc["machine"]
    build = f" Weft measured: {doc['weft_build']}." if doc.get("weft_build") else ""
    return [f"Run of {doc['date']} (`{doc['command']}`{', quick: 3 runs' if doc['quick'] else ', 5 runs'} "
            f"after 1 warm-up unless noted; median (min–max)).", "",
            f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, kernel {m['kernel']}. "
            f"Load average before / after: {doc['load_before']} / {doc['load_after']}.{build}", "",
            "Versions: " + ", ".join(f"{k} {v or 'missing'}" for k, v in doc["versions"].items()) + ".", ""]


def table(doc):
    r = doc["results"]
    out = header(doc)

    out += ["### Shell DAG (20 layers, two upstreams per task, parallelism 2)", "",
            "| tasks | command | tool | wall | peak RSS | wall / task | × make | CPU / task (tree) | own CPU / task |",
            "|---|---|---|---|---|---|---|---|---|"]
    for row in r.get("shell_dag", []):
        head = f"| {row['n']:,} | `{row['command']}` | {row['tool']} |"
        if status(row):
            out.append(f"{head} {status(row)} | | | | | |")
            continue
        note = f" ({row['note']})" if "note" in row and row["wall_s"]["n"] > 1 else ""
        ratio = f"{row['ratio_to_make']:.2f}×" if "ratio_to_make" in row else "–"
        tree = f"{row['cpu_tree_ms_per_task']:.2f} ms" if "cpu_tree_ms_per_task" in row else "–"
        own = (f"{'≈ ' if row.get('own_cpu_estimated') else ''}{row['own_cpu_ms_per_task']:.2f} ms"
               if "own_cpu_ms_per_task" in row else "–")
        out.append(f"{head} {fmt_range(row['wall_s'])}{note} | {fmt_mb(row['rss_kb']['median'])} | "
                   f"{row['per_task_ms']:.2f} ms | {ratio} | {tree} | {own} |")
    out += ["", "CPU / task (tree): user + sys of the tool and the tasks it waited for, ÷ tasks (GNU time). "
            "Own CPU / task: weft's own process alone (its `WEFT_STARTUP_TRACE` report); for the other tools "
            "≈ their tree minus the tasks' share (weft's tree minus weft's own, same tasks)."]
    t = next((x for x in r.get("shell_dag", []) if x["tool"] == "weft" and x["n"] == 1000
              and x["command"] == "true" and "ratio_to_make" in x), None)
    out += ["", "Target (engine issue): 1,000 × `true` at parallelism 2 within 1.2× of `make -j2`: " +
            (f"**{'met' if t['ratio_to_make'] <= 1.2 else 'not met'}** ({t['ratio_to_make']:.2f}×)." if t
             else "pending."), ""]

    out += ["### Engine overhead (`noop` tasks, SQLite, engine defaults)", "",
            "| DAG | tasks | run (run JSON) | tasks/s (run) | process wall | tasks/s (process) | "
            "hand-off p50 | hand-off p99 | peak RSS |", "|---|---|---|---|---|---|---|---|---|"]
    for row in r.get("engine", []):
        head = f"| {row['shape']} | {row['n']:,} |"
        if status(row):
            out.append(f"{head} {status(row)} | | | | | | |")
            continue
        out.append(f"{head} {fmt_range(row['run_s'])} | {row['tasks_per_s_run']:,.0f} | "
                   f"{fmt_range(row['process_s'])} | {row['tasks_per_s_process']:,.0f} | "
                   f"{fmt_ms(row['handoff_p50_ms'])} | {fmt_ms(row['handoff_p99_ms'])} | "
                   f"{fmt_mb(row['rss_kb']['median'])} |")
    big = [x for x in r.get("engine", []) if x["n"] == 10000 and "tasks_per_s_run" in x]
    out += ["", "Target (engine issue): 10,000-task no-op DAG at ≥ 10,000 tasks/s (run JSON): " +
            ("; ".join(f"{x['shape']} **{'met' if x['tasks_per_s_run'] >= 10000 else 'not met'}** "
                       f"({x['tasks_per_s_run']:,.0f}/s)" for x in big) if big else "pending") + ".", ""]

    out += ["### Chain latency (100 tasks in a line)", "",
            "| chain | per-edge transition: median | per-edge transition: mean | run (run JSON) | "
            "run / task | process wall |", "|---|---|---|---|---|---|"]
    for row in r.get("chain", []):
        head = f"| 100 × `{row['command']}` |"
        if status(row):
            out.append(f"{head} {status(row)} | | |")
            continue
        out.append(f"{head} {fmt_range(row['edge_ms'], fmt_ms)} | {fmt_range(row['edge_mean_ms'], fmt_ms)} | "
                   f"{fmt_range(row['run_s'])} | {row['run_s']['median'] * 10:.2f} ms | "
                   f"{fmt_range(row['process_s'])} |")
    out += ["", "Transition = downstream `start_date` − upstream `end_date` from the run JSON, whose times "
            "have millisecond resolution: \"< 1 ms\" is a median of 0 at that resolution; the mean is finer.", "",
            "Published figures, **not measured here**, for scale: per-edge transition " +
            ", ".join(f"{a} {b}" for a, b in PUBLISHED) + ".", ""]

    out += ["### Footprint and load", "", "| what | wall | peak RSS |", "|---|---|---|"]
    for row in r.get("footprint", []) + r.get("load", []):
        head = f"| {row['what']} |"
        if status(row):
            out.append(f"{head} {status(row)} | |")
            continue
        wall = fmt_range(row["wall_s"]) if "wall_s" in row else "–"
        if "allocated_bytes" in row and row["allocated_bytes"]:
            mem = f"{row['allocated_bytes'] / 1048576:.0f} MB allocated per load"
        else:
            mem = fmt_mb(row["rss_kb"]["median"]) if "rss_kb" in row else "–"
        out.append(f"{head} {wall} | {mem} |")
    out += [""]
    out += ["### API", ""]
    api = [x for x in r.get("api", []) if x["scenario"] == "api"]
    if api:
        secs = next((x["seconds"] for x in api if "seconds" in x), None)
        out += [f"`wrk -t2 -c32 -d{secs}s --latency` with an admin token, against `weft server` on the same "
                "2 cores, after one run of a 20-task DAG succeeded and a 2 s warm-up of the same endpoint; "
                "20 DAGs in the folder. Idle RSS: `VmRSS` once the DAGs are registered, before any load.", "",
                "| endpoint | requests/s | latency p50 | latency p99 | requests | server idle RSS |",
                "|---|---|---|---|---|---|"]
        for row in api:
            if status(row):
                out.append(f"| {row['what']} | {status(row)} | | | | |")
                continue
            errs = f" ({row['non_2xx']:,} non-2xx)" if row.get("non_2xx") else ""
            out.append(f"| {row['what']} | {row['requests_per_s']:,.0f}{errs} | {fmt_ms(row['latency_ms']['50'])} | "
                       f"{fmt_ms(row['latency_ms']['99'])} | {row['requests']:,} | {fmt_mb(row['rss_idle_kb'])} |")
        ok = [x for x in api if "requests_per_s" in x]
        out += ["", "Targets (API issue): ≥ 10,000 requests/s and p99 under 20 ms: " +
                ("; ".join(f"`{x['what'].split(' (')[0].replace('GET ', '')}` "
                           f"**{'met' if x['requests_per_s'] >= 10000 and x['latency_ms']['99'] < 20 and not x.get('non_2xx') else 'not met'}** "
                           f"({x['requests_per_s']:,.0f}/s, p99 {fmt_ms(x['latency_ms']['99'])})" for x in ok)
                 if ok else "pending") + ".", ""]
    return "\n".join(out) + "\n"


def fmt_rate(v):
    return f"{v:,.0f}"


def distributed_table(doc):
    r = doc["results"]
    out = header(doc)
    dist = r.get("distributed", [])
    if dist:
        kinds = {"noop": "no-op (`type: noop`, `queue: w`: the no-cost task)", "true": "`true` (a process each)"}
        out += ["### Throughput: 2,000 tasks on queue `w`, one DAG without edges", "",
                f"`max_active_tasks: 2000`; `weft scheduler --parallelism {Cluster.PARALLELISM}` and N "
                f"`weft worker --queues w --concurrency {Cluster.PARALLELISM}/N`, each its own `--home`, all on "
                "the same machine. Two kinds of task: " + "; ".join(kinds.values()) + ". A no-op that names a queue "
                "goes to a worker like any task; in `weft run` it ends in the run's loop. Tasks/s: 2,000 ÷ (last "
                "task end − first task start) of the run JSON. Trigger → finished: from just before `weft dags "
                "trigger` to the run's `end_date`; for `weft run`, the whole process (start-up and a new database "
                "included).", "",
                "| task | database | how | tasks/s | first start → last end | trigger → finished |",
                "|---|---|---|---|---|---|"]
        for row in (x for x in dist if x["case"] == "throughput"):
            head = f"| {row.get('task', 'true')} | {row['database']} | {row['how']} |"
            if status(row):
                out.append(f"{head} {status(row)} | | |")
                continue
            out.append(f"{head} {fmt_range(row['tasks_per_s'], fmt_rate)} | {fmt_range(row['span_s'])} | "
                       f"{fmt_range(row['wall_s'])} |")
        ok = [x for x in dist if x["case"] == "throughput" and x["database"] == "PostgreSQL" and "tasks_per_s" in x
              and x.get("task") == "noop"]
        out += ["", "Goal (distributed issue): ≥ 2,000 no-cost tasks/s through workers on PostgreSQL: " +
                ("; ".join(f"{x['workers']} worker{'s' if x['workers'] > 1 else ''} "
                           f"**{'met' if x['tasks_per_s']['median'] >= 2000 else 'not met'}** "
                           f"({x['tasks_per_s']['median']:,.0f}/s)" for x in ok) if ok else "pending") + ".", ""]

        out += ["### Per-edge latency: a chain of 100 tasks on queue `w`", "",
                "Edge: start of task i+1 − end of task i, from the run JSON (millisecond resolution), over the 99 "
                "edges of every measured run together. A worker's task starts and ends when the worker began and "
                "ended it, so an edge holds the whole hand-off: the result back to the scheduler, its decision, "
                "the queue, the claim. Per link: first task start → last task end ÷ 100.", "",
                "| task | database | how | edge p50 | edge p90 | edge mean | task duration p50 | per link | "
                "trigger → finished |", "|---|---|---|---|---|---|---|---|---|"]
        for row in (x for x in dist if x["case"] == "chain"):
            head = f"| {row.get('task', 'true')} | {row['database']} | {row['how']} |"
            if status(row):
                out.append(f"{head} {status(row)} | | | | | |")
                continue
            e = row["edge_ms"]
            out.append(f"{head} {fmt_ms(e['p50'])} | {fmt_ms(e['p90'])} | {fmt_ms(e['mean'])} | "
                       f"{fmt_ms(row['task_duration_ms']['p50'])} | {fmt_range(row['per_link_ms'], fmt_ms)} | "
                       f"{fmt_range(row['wall_s'])} |")
        ok = [x for x in dist if x["case"] == "chain" and x["database"] == "PostgreSQL" and "edge_ms" in x
              and x.get("task") == "noop"]
        out += ["", "Goal (distributed issue): per-edge p50 ≤ 5 ms through workers on PostgreSQL (no-op chain): " +
                ("; ".join(f"{x['workers']} worker{'s' if x['workers'] > 1 else ''}: edge p50 "
                           f"**{'met' if x['edge_ms']['p50'] <= 5 else 'not met'}** ({fmt_ms(x['edge_ms']['p50'])}), "
                           f"per link **{'met' if x['per_link_ms']['median'] <= 5 else 'not met'}** "
                           f"({fmt_ms(x['per_link_ms']['median'])})" for x in ok) if ok else "pending") + ".", ""]

    sched = r.get("scheduler", [])
    if sched:
        cron = sched[0]["cron"]
        out += ["### Scheduler pass: 1,000 DAGs, `weft scheduler` executing in process", "",
                f"Every DAG `schedule: \"{cron}\"` (6-field cron, seconds first: a due point every 15 s instead "
                "of every minute, so several fall in the run's time), `catchup: false`, no `start_date`, one "
                "`noop` task; a fresh SQLite file, and a fresh PostgreSQL schema."]
        for row in sched:
            if not status(row):
                out[-1] += (f" {row.get('database', 'SQLite')}: {row['due_times']} due "
                            f"point{'s' if row['due_times'] != 1 else ''}, {row['runs']:,} scheduled runs, "
                            f"{row['runs_succeeded']:,} succeeded.")
        out += ["", "| database | what | p50 | p99 | max | count |", "|---|---|---|---|---|---|"]
        targets = []
        for row in sched:
            db = row.get("database", "SQLite")
            if status(row):
                out.append(f"| {db} | {status(row)} | | | | |")
                continue
            ps, d, due = row["pass_ms"], row["delay_ms"], row["due_passes"]
            out += [f"| {db} | loop pass (all passes but the first) | {ps['p50']:.1f} ms | {ps['p99']:.1f} ms | "
                    f"{ps['max']:.1f} ms | {ps['n']:,} passes |"]
            if q := row.get("quiet_pass_ms"):
                out += [f"| {db} | loop pass that created no run | {q['p50']:.1f} ms | {q['p99']:.1f} ms | "
                        f"{q['max']:.1f} ms | {q['n']:,} passes |"]
            out += [f"| {db} | loop pass that created the runs of a due point | " +
                    (f"{statistics.median(x['ms'] for x in due):.1f} ms | – | {max(x['ms'] for x in due):.1f} ms | "
                     f"{len(due)} pass{'es' if len(due) > 1 else ''}, {sum(x['runs_created'] for x in due):,} runs |"
                     if due else "– | – | – | none |"),
                    f"| {db} | first pass (registers the {row['dags']:,} files) | – | – | "
                    f"{row['first_pass_ms']:.0f} ms | 1 |",
                    f"| {db} | due → first task start (`start_date` − `data_interval_end`) | {d['p50']:.0f} ms | "
                    f"{d['p99']:.0f} ms | {d['max']:.0f} ms | {d['n']:,} runs |"]
            targets.append(f"{db}: loop pass under 50 ms **{'met' if ps['p99'] < 50 else 'not met'}** at p99 "
                           f"({ps['p99']:.1f} ms; max {ps['max']:.0f} ms"
                           + (f", {max(x['ms'] for x in due):.0f} ms in a pass that created runs" if due else "")
                           + f"), due → first task under 100 ms at the median "
                           f"**{'met' if d['p50'] < 100 else 'not met'}** ({d['p50']:.0f} ms)")
        out += ["", "Targets (scheduler issue): " + ("; ".join(targets) if targets else "pending") + ".", ""]
    return "\n".join(out) + "\n"


# Which README section each scenario's results go to (its markers, its table); a run rewrites only the sections
# it measured, so `--only distributed` leaves the main table as it was.
SECTIONS = [(MARK_BEGIN, MARK_END, table, {"shell", "engine", "chain", "footprint", "load", "api"}),
            (DIST_BEGIN, DIST_END, distributed_table, {"distributed", "scheduler"})]


def write_readme(doc):
    path = os.path.join(HERE, "README.md")
    with open(path) as f:
        text = f.read()
    for begin, end, render, keys in SECTIONS:
        if not keys & set(doc["results"]):
            continue
        if begin not in text or end not in text:
            raise SystemExit(f"{path} lacks the {begin} / {end} markers")
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + begin + "\n" + render(doc) + end + tail
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weft", required=True, help="the weft executable")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--benchmarks", help="Weft.Benchmarks.dll (full mode)")
    ap.add_argument("--weft-jit", help="weft JIT-compiled (a script running `dotnet weft.dll`), beside --weft in the shell scenario")
    ap.add_argument("--bare-loop", help="the BareLoop executable (bench/BareLoop), a peer in the shell scenario")
    ap.add_argument("--only", help="comma-separated scenarios (shell,engine,chain,footprint,load,distributed,api; "
                                   "scheduler is part of distributed)")
    ap.add_argument("--weft-build", help="how --weft was built, for the report (native, ReadyToRun, JIT)")
    ap.add_argument("--command", default="bench/run.sh")
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    b = Bench(os.path.abspath(a.weft), a.quick, a.benchmarks,
              os.path.abspath(a.bare_loop) if a.bare_loop else None,
              os.path.abspath(a.weft_jit) if a.weft_jit else None)
    now = dt.datetime.now(dt.timezone.utc)
    doc = {"date": now.strftime("%Y-%m-%d %H:%M UTC"), "command": a.command, "quick": a.quick,
           "machine": machine(), "versions": versions(b.weft), "weft_build": a.weft_build, "only": a.only,
           "load_before": loadavg()}
    # distributed: scheduler and workers beside `weft run`, then the scheduler pass on SQLite and PostgreSQL.
    steps = {"shell": b.shell_dag, "engine": b.engine, "chain": b.chain, "footprint": b.footprint,
             "load": b.load, "distributed": b.distributed, "api": b.api}
    chosen = a.only.split(",") if a.only else list(steps)
    steps["scheduler"] = b.scheduler
    if unknown := [x for x in chosen if x not in steps]:
        ap.error(f"unknown scenario {', '.join(unknown)}; known: {', '.join(steps)}")
    t0 = time.time()
    try:
        for name in chosen:
            steps[name]()
    finally:
        shutil.rmtree(b.tmp, ignore_errors=True)
    doc["load_after"] = loadavg()
    doc["duration_s"] = round(time.time() - t0)
    doc["results"] = b.results
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    out = os.path.join(HERE, "results", now.strftime("%Y-%m-%d") + ("-quick" if a.quick else "")
                       + ("-" + "-".join(chosen) if a.only else "") + ".json")
    if os.path.exists(out):  # keep the day's earlier results, which the reading may cite
        out = out[:-5] + now.strftime("-%H%M") + ".json"
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
    write_readme(doc)
    log(f"done in {doc['duration_s']} s: {out}, bench/README.md")


if __name__ == "__main__":
    main()
