#!/usr/bin/env bash
# Quick-start command 2: the whole test suite.
#
#   OpenAPI spec up to date → type check → lint → prettier → unit and
#   database tests (Jest; every database test on SQLite and PostgreSQL;
#   among them the spec-driven fuzz stage, plugins/incidents-backend/src/fuzz,
#   which prints its seed: VIGIL_FUZZ_SEED=<seed> replays it) → the fault
#   test (yarn chaos --short: two demo backends, kill -9, a PostgreSQL
#   restart) → end-to-end tests in headless Chromium against the demo portal.
#
# PostgreSQL: BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING when set;
# otherwise a server answering on 127.0.0.1:5432 as user postgres; otherwise
# (or with VIGIL_TEST_POSTGRES=throwaway) a throwaway server this script
# starts on a loopback port (installing the Debian postgresql package when
# its binaries are missing) and removes.
# Chromium: CHROMIUM_PATH, /usr/bin/chromium, or Debian's package.
#
# Ends with one line `N passed, N failed` (Jest and Playwright tests, and
# the fault test as one).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
. scripts/bootstrap.sh || exit 1
set +e

RESULTS="$ROOT/test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS/screenshots"
CLEANUP=()
cleanup() { for c in "${CLEANUP[@]}"; do eval "$c" >/dev/null 2>&1; done; }
trap cleanup EXIT

say() { printf '\n=== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
APT_UPDATED=
apt_install() {
  [ -n "$APT_UPDATED" ] || { as_root apt-get update -qq && APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@"
}

# ---- PostgreSQL --------------------------------------------------------------
pg_answers() {
  node -e "
    const { Client } = require('pg');
    const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    c.connect().then(() => c.query('select 1')).then(() => c.end()).then(() => process.exit(0), () => process.exit(1));
  " "$1"
}

start_throwaway_postgres() {
  local bindir port dir owner
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "PostgreSQL server binaries not found; installing Debian's postgresql package"
    apt_install postgresql >/dev/null || return 1
    bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  fi
  port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
  dir="$(mktemp -d /tmp/vigil-pg.XXXXXX)"
  owner="$(id -un)"
  # initdb refuses to run as root
  if [ "$(id -u)" = 0 ]; then owner=postgres; chown "$owner" "$dir"; fi
  local as=()
  [ "$owner" = "$(id -un)" ] || as=(runuser -u "$owner" --)
  "${as[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log"; return 1; }
  local ctl=("$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200")
  "${as[@]}" "${ctl[@]}" start >/dev/null || { cat "$dir/server.log"; return 1; }
  CLEANUP+=("${as[*]} $bindir/pg_ctl -D $dir/data -m immediate stop; rm -rf $dir")
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres@127.0.0.1:$port"
  echo "started a throwaway PostgreSQL ($("$bindir/postgres" --version)) on 127.0.0.1:$port"
}

say "PostgreSQL"
if [ -n "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  echo "using BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING"
elif [ "${VIGIL_TEST_POSTGRES:-}" != throwaway ] && pg_answers "postgresql://postgres@127.0.0.1:5432/postgres"; then
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres@127.0.0.1:5432"
  echo "using the PostgreSQL server on 127.0.0.1:5432"
else
  start_throwaway_postgres || { echo "could not start PostgreSQL"; echo "0 passed, 1 failed"; exit 1; }
fi
pg_answers "$BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING/postgres" \
  || { echo "PostgreSQL does not answer"; echo "0 passed, 1 failed"; exit 1; }

# ---- Chromium ----------------------------------------------------------------
say "Chromium"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "installing Debian's chromium package"
  apt_install chromium >/dev/null
fi
"$CHROMIUM_PATH" --version || { echo "Chromium missing"; echo "0 passed, 1 failed"; exit 1; }

# ---- Static checks ------------------------------------------------------------
CHECKS_FAILED=()
run_check() {
  local name="$1"; shift
  say "$name"
  if "$@"; then echo "ok: $name"; else CHECKS_FAILED+=("$name"); echo "FAILED: $name"; fi
}
run_check "OpenAPI generated code up to date" yarn openapi:check
run_check "type check (tsc)" yarn tsc
run_check "lint" yarn lint:all
run_check "prettier" yarn prettier:check

# ---- Unit and database tests --------------------------------------------------
say "Jest: unit and database tests (SQLite and PostgreSQL)"
CI=true BACKSTAGE_TEST_DISABLE_DOCKER=1 VIGIL_REQUIRE_POSTGRES=1 \
  yarn backstage-cli repo test --verbose --json --outputFile="$RESULTS/jest-results.json"
JEST_EXIT=$?

# ---- Fault test ------------------------------------------------------------------
# Two demo backends on a throwaway PostgreSQL (ports 7201 and 7202), kill -9
# and a PostgreSQL restart under load; see plugins/incidents-backend/chaos.
say "Fault test: yarn chaos --short"
yarn chaos --short 2>&1 | tee "$RESULTS/chaos.log"
CHAOS_EXIT=${PIPESTATUS[0]}

# ---- End-to-end tests --------------------------------------------------------
say "End-to-end: demo portal in headless Chromium"
for port in 3000 7007; do
  if node -e "require('net').connect($port,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; then
    echo "port $port is in use: stop the running portal (scripts/demo.sh) first"
    CHECKS_FAILED+=("e2e: port $port free")
  fi
done
E2E_EXIT=1
if [ ${#CHECKS_FAILED[@]} -eq 0 ] || ! printf '%s\n' "${CHECKS_FAILED[@]}" | grep -q '^e2e:'; then
  setsid yarn start --config "$ROOT/app-config.yaml" --config "$ROOT/app-config.e2e.yaml" >"$RESULTS/portal.log" 2>&1 &
  PORTAL_PID=$!
  CLEANUP=("kill -TERM -$PORTAL_PID; sleep 2; kill -KILL -$PORTAL_PID" "${CLEANUP[@]}")
  ready=
  for _ in $(seq 1 300); do
    if curl -sf http://localhost:7007/api/incidents/health >/dev/null && curl -sf http://localhost:3000 >/dev/null; then
      ready=1; break
    fi
    kill -0 "$PORTAL_PID" 2>/dev/null || break
    sleep 2
  done
  if [ -n "$ready" ]; then
    echo "portal is up"
    yarn playwright test
    E2E_EXIT=$?
  else
    echo "the portal did not come up; last lines of its log:"
    tail -n 40 "$RESULTS/portal.log"
  fi
fi

# ---- Totals ---------------------------------------------------------------------
say "Summary"
node - "$RESULTS" "$JEST_EXIT" "$E2E_EXIT" "$CHAOS_EXIT" "${CHECKS_FAILED[@]}" <<'NODE'
const fs = require('fs');
const [results, jestExit, e2eExit, chaosExit, ...checksFailed] = process.argv.slice(2);
let passed = 0, failed = 0, skipped = 0;
const read = f => { try { return JSON.parse(fs.readFileSync(`${results}/${f}`, 'utf8')); } catch { return undefined; } };

const jest = read('jest-results.json');
if (jest) {
  passed += jest.numPassedTests; failed += jest.numFailedTests;
  skipped += jest.numPendingTests + jest.numTodoTests;
  const per = { SQLITE_3: 0, POSTGRES_15: 0 };
  for (const suite of jest.testResults)
    for (const t of suite.assertionResults)
      for (const id of Object.keys(per))
        if (t.status === 'passed' && t.fullName.includes(`"${id}"`)) per[id] += 1;
  console.log(`jest: ${jest.numPassedTests} passed, ${jest.numFailedTests} failed; database tests passed on SQLITE_3: ${per.SQLITE_3}, on POSTGRES_15: ${per.POSTGRES_15}`);
  if (per.POSTGRES_15 === 0 || per.SQLITE_3 === 0) { console.log('database tests did not run on both engines'); failed += 1; }
  if (jestExit !== '0' && jest.numFailedTests === 0) { console.log(`jest exited ${jestExit}`); failed += 1; }
} else { console.log('jest produced no results'); failed += 1; }

const e2e = read('e2e-results.json');
if (e2e) {
  const s = e2e.stats;
  passed += s.expected + s.flaky; failed += s.unexpected; skipped += s.skipped;
  console.log(`e2e: ${s.expected + s.flaky} passed, ${s.unexpected} failed; screenshots in test-results/screenshots`);
  if (e2eExit !== '0' && s.unexpected === 0) { console.log(`playwright exited ${e2eExit}`); failed += 1; }
} else { console.log('e2e tests produced no results'); failed += 1; }

// The fault test counts as one test.
if (chaosExit === '0') { passed += 1; console.log('chaos: passed (test-results/chaos.log)'); }
else { failed += 1; console.log(`chaos: FAILED (exit ${chaosExit}; test-results/chaos.log)`); }

for (const c of checksFailed) { console.log(`failed check: ${c}`); failed += 1; }
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
NODE
