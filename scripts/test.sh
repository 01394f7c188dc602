#!/usr/bin/env bash
# Runs every test: unit, integration (SQLite, PostgreSQL) and end-to-end (the weft binary, built both ways).
# Installs and starts what the tests need when it is missing; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ -x scripts/ensure-postgres.sh ]; then
  # shellcheck source=/dev/null
  source scripts/ensure-postgres.sh
fi

# Python tasks (type: python, .py scripts) and their tests need python3.
if ! command -v python3 >/dev/null 2>&1; then
  echo "installing python3 for the python task tests"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3 >/dev/null
fi

dotnet build Weft.slnx -c Release -nologo -clp:ErrorsOnly

results=$(mktemp -d)
status=0
dotnet test Weft.slnx -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=3000000 || status=$?

# The end-to-end tests again, on the native weft that scripts/publish.sh builds: what that build leaves out (code it
# cannot compile ahead of time, serializers it cannot generate) fails here rather than for its users.
# WEFT_SKIP_NATIVE=1 skips this (it adds a few minutes).
if [ "${WEFT_SKIP_NATIVE:-}" != "1" ]; then
  echo "publishing the native weft for its end-to-end tests"
  ./scripts/publish.sh out/test-native >/dev/null
  WEFT_TEST_EXECUTABLE="$PWD/out/test-native/weft" dotnet test tests/Weft.Cli.Tests -c Release --no-build -nologo \
    --logger "trx;LogFileName=native.trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=3000000 || status=$?
fi

# The web UI: component tests (Vitest), the OpenAPI document the UI's types come from linted (redocly), and the
# end-to-end test that drives a real weft server in Debian's headless Chromium (screenshots in
# web/e2e/screenshots/ui-e2e/). Installs Chromium and the npm packages when missing. WEFT_SKIP_WEB=1 skips this.
if [ "${WEFT_SKIP_WEB:-}" != "1" ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    echo "installing chromium for the web UI's end-to-end test"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  [ -f web/node_modules/.package-lock.json ] || (cd web && npm ci --no-audit --no-fund --loglevel=error)
  (cd web && npx vitest run --reporter=default --reporter=json --outputFile="$results/vitest.json") || status=$?
  (cd web && npx redocly lint openapi.json --format=stylish 2>&1 | grep -vE '^\s*(║|╔|╚)') || status=$?
  if (cd web && WEFT_EXE="$PWD/../src/Weft.Cli/bin/Release/net10.0/weft" node e2e/ui.e2e.mjs); then
    echo '{"numPassedTests":1,"numFailedTests":0}' >"$results/e2e.json"
  else
    echo '{"numPassedTests":0,"numFailedTests":1}' >"$results/e2e.json"; status=1
  fi
fi

# One closing line for every runner: totals across the test projects.
passed=0 failed=0 skipped=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  c=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$c"); fl=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$c")
  t=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$c"); e=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$c")
  passed=$((passed + p)); failed=$((failed + fl)); skipped=$((skipped + t - e))
done
for f in "$results"/vitest.json "$results"/e2e.json; do
  [ -f "$f" ] || continue
  read -r p fl < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests)' "$f")
  passed=$((passed + p)); failed=$((failed + fl))
done
rm -rf "$results"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ]; then
  echo "weft: error: no test ran" >&2
  exit 1
fi
exit $status
