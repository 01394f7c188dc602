#!/usr/bin/env bash
# Benchmarks Weft against make, ninja and snakemake on the same graphs.
#   bench/run.sh           full run (5 measured runs each, about 20-25 minutes on 2 cores)
#   bench/run.sh --quick   3 runs each, peers' slowest cases skipped (under 5 minutes)
#   bench/run.sh --only distributed   scheduler and workers on PostgreSQL beside SQLite, alone (a few minutes);
#                          --only takes bench.py's comma-separated scenario names (shell, engine, chain, footprint,
#                          load, distributed, api)
#   bench/run.sh --jit     measure the JIT-compiled Release build (`dotnet weft.dll`) instead of publishing natively
# Writes bench/results/<date>[-quick][-<only>].json and the tables in bench/README.md.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
quick=""
only=""
jit=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick="--quick" ;;
    --jit) jit=1 ;;
    --only) [ $# -ge 2 ] || { echo "bench/run.sh: --only needs a list of scenarios" >&2; exit 2; }; only=$2; shift ;;
    --only=*) only=${1#--only=} ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
say() { echo "[bench $(date +%H:%M:%S)] $*"; }
# wants SCENARIO: the run includes it (every scenario when --only is not given).
wants() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }

# 1. Tools, from Debian's packages when missing.
declare -A pkg_of=([make]=make [ninja]=ninja-build [snakemake]=snakemake [hyperfine]=hyperfine [wrk]=wrk [/usr/bin/time]=time)
missing=()
for tool in "${!pkg_of[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${pkg_of[$tool]}")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  for p in "${missing[@]}"; do
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$p" >/dev/null \
      || say "could not install $p; the scenarios that need it will say so"
  done
fi
for tool in python3 hyperfine /usr/bin/time dotnet; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh: $tool is required" >&2; exit 3; }
done

# 2. Weft in Release, as a native executable (scripts/publish.sh): compiled ahead of time, it starts in
#    milliseconds and spends less CPU per task than the JIT-compiled build. Making it takes a few minutes;
#    when it cannot be made, a self-contained ReadyToRun publish stands in. The plain build output
#    (`dotnet weft.dll`, what `dotnet run` gives) is measured beside it in the shell scenario, and measured
#    alone with --jit.
out="$root/bench/.out"
mkdir -p "$out"
jit_build() {
  say "building Weft (JIT, the plain build output)"
  dotnet build src/Weft.Cli -c Release -v quiet -nologo >"$out/build.log"
  printf '#!/bin/sh\nexec dotnet "%s" "$@"\n' "$root/src/Weft.Cli/bin/Release/net10.0/weft.dll" >"$out/weft-jit.sh"
  chmod +x "$out/weft-jit.sh"
}
jit_peer=()
if [ -n "$jit" ]; then
  jit_build
  weft="$out/weft-jit.sh"
  build="the JIT-compiled Release build (dotnet weft.dll)"
else
  stale=$(find src Directory.Build.props Directory.Packages.props \( -name bin -o -name obj \) -prune \
            -o -type f -newer "$out/weft/.published" -print 2>/dev/null | head -1 || true)
  if [ -f "$out/weft/.published" ] && [ -z "$stale" ]; then
    say "Weft is already published and up to date: $out/weft"
  elif rm -rf "$out/weft" && say "publishing Weft (native, scripts/publish.sh)" \
       && ./scripts/publish.sh "$out/weft" >"$out/publish.log" 2>&1; then
    echo "native executable (scripts/publish.sh)" >"$out/weft/.published"
  elif rm -rf "$out/weft" && say "native publish failed (see $out/publish.log); publishing self-contained ReadyToRun" \
       && dotnet publish src/Weft.Cli -c Release -r linux-x64 --self-contained true \
            -p:PublishReadyToRun=true -o "$out/weft" -v quiet -nologo >"$out/publish-r2r.log" 2>&1; then
    echo "self-contained ReadyToRun publish (the native publish failed)" >"$out/weft/.published"
  else
    echo "bench/run.sh: Weft did not publish (see $out/publish-r2r.log)" >&2
    exit 3
  fi
  weft="$out/weft/weft"
  build=$(cat "$out/weft/.published")
  build=${build:-published ahead of time}
  if wants shell; then
    jit_build
    jit_peer=(--weft-jit "$out/weft-jit.sh")
  fi
fi

# 3. The bare .NET loop peer (Process.Start per task), published like Weft: native.
bare=()
if ! wants shell; then
  :
elif [ ! -x "$out/bareloop/BareLoop" ] || [ -n "$(find bench/BareLoop \( -name bin -o -name obj \) -prune -o -type f -newer "$out/bareloop/BareLoop" -print | head -1)" ]; then
  say "publishing bench/BareLoop"
  rm -rf "$out/bareloop"
  dotnet publish bench/BareLoop -c Release -r linux-x64 -p:PublishAot=true \
    -o "$out/bareloop" -v quiet -nologo >"$out/bareloop-publish.log" 2>&1 \
    || say "bench/BareLoop did not publish (see $out/bareloop-publish.log)"
fi
if wants shell && [ -x "$out/bareloop/BareLoop" ]; then bare=(--bare-loop "$out/bareloop/BareLoop"); fi

# 4. The in-process load benchmark (full mode only).
bdn=()
if [ -z "$quick" ] && wants load; then
  say "building bench/Weft.Benchmarks"
  if dotnet build bench/Weft.Benchmarks -c Release -v quiet -nologo >"$out/benchmarks-build.log" 2>&1; then
    bdn=(--benchmarks "$root/bench/Weft.Benchmarks/bin/Release/net10.0/Weft.Benchmarks.dll")
  else
    say "bench/Weft.Benchmarks did not build (see $out/benchmarks-build.log)"
  fi
fi

# 5. PostgreSQL for the distributed scenarios: the private server of the tests (scripts/ensure-postgres.sh, installed
#    from Debian's packages when missing), stopped when this script exits. When it cannot start, those rows say why
#    and the rest runs.
if wants distributed || wants scheduler; then
  say "starting PostgreSQL (scripts/ensure-postgres.sh)"
  # shellcheck source=/dev/null
  if ! source scripts/ensure-postgres.sh >"$out/postgres.log" 2>&1; then
    unset WEFT_TEST_POSTGRES
    export WEFT_BENCH_POSTGRES_SKIP="PostgreSQL did not start: $(grep -m1 'error' "$out/postgres.log" || tail -1 "$out/postgres.log")"
    say "$WEFT_BENCH_POSTGRES_SKIP (see $out/postgres.log); its rows say so"
  fi
fi

# 6. The scenarios. Not exec: the EXIT trap stops PostgreSQL afterwards.
args=(--weft "$weft" --weft-build "$build" $quick "${jit_peer[@]}" "${bdn[@]}" "${bare[@]}")
[ -z "$only" ] || args+=(--only "$only")
python3 bench/bench.py "${args[@]}" --command "bench/run.sh${quick:+ --quick}${only:+ --only $only}${jit:+ --jit}"
