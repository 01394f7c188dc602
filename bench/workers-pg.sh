#!/usr/bin/env bash
# Distributed mode on PostgreSQL, by hand (not part of run.sh): one scheduler, N workers, a DAG of WIDTH
# `true` tasks on queue `w` and a chain of CHAIN such tasks; prints tasks/s of the wide run and the time per link
# of the chain. Uses the private test server (scripts/ensure-postgres.sh) and a fresh schema.
#   bench/workers-pg.sh [WEFT_COMMAND] [WORKERS] [WIDTH] [CHAIN]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
weft=${1:-"dotnet $here/src/Weft.Cli/bin/Release/net10.0/weft.dll"}
workers=${2:-2}
width=${3:-1000}
chain=${4:-100}
source "$here/scripts/ensure-postgres.sh" >/dev/null
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
mkdir -p "$dir/dags"
python3 - "$dir/dags" "$width" "$chain" <<'PY'
import sys
out, width, chain = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lines = ["id: wide", "max_active_tasks: 64", "tasks:"]
for i in range(width):
    lines += [f"  - id: t{i:05d}", "    queue: w", "    command: \"true\""]
open(f"{out}/wide.yaml", "w").write("\n".join(lines) + "\n")
lines = ["id: chain", "tasks:"]
for i in range(chain):
    lines += [f"  - id: c{i:05d}", "    queue: w", "    command: \"true\""] + ([f"    depends_on: [c{i-1:05d}]"] if i else [])
open(f"{out}/chain.yaml", "w").write("\n".join(lines) + "\n")
PY
cd "$dir"
export WEFT_DB="$WEFT_TEST_POSTGRES?search_path=bench_$$"
$weft scheduler --parallelism 64 >scheduler.log 2>&1 &
for i in $(seq "$workers"); do $weft worker --queues w --concurrency $((64 / workers)) --home ".w$i" >"w$i.log" 2>&1 & done
sleep 4
for dag in wide chain; do
  run=$($weft dags trigger "$dag")
  until $weft runs show "$run" --json | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)["state"] not in ("success", "failed"))'; do sleep 0.2; done
  $weft runs show "$run" --json >"$dag.json"
done
python3 - <<'PY'
import json, datetime
t = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
w = json.load(open("wide.json"))["tasks"]
span = (max(t(x["end_date"]) for x in w) - min(t(x["start_date"]) for x in w)).total_seconds()
print(f"wide: {len(w)} tasks in {span:.2f} s, {len(w) / span:.0f} tasks/s")
c = sorted(json.load(open("chain.json"))["tasks"], key=lambda x: x["task_id"])
span = (t(c[-1]["end_date"]) - t(c[0]["start_date"])).total_seconds()
print(f"chain: {len(c)} tasks in {span:.2f} s, {1000 * span / len(c):.1f} ms per link (queue, claim, start, result, next)")
PY
