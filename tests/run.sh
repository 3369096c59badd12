#!/usr/bin/env bash
# Runs every test in the solution against real services.
# Installs RabbitMQ, PostgreSQL and Chromium from Debian packages when they are missing, starts the
# services that are not running, stops what it started, and ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/TestResults/run-$(date +%Y%m%d-%H%M%S)"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

log() { printf '[tests/run.sh] %s\n' "$*"; }

# --- packages -----------------------------------------------------------------------------------
need=()
command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/sbin/rabbitmq-server ] || need+=(rabbitmq-server)
installed_pg=0
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || { need+=(postgresql); installed_pg=1; }
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
# The ledger test tampers with a demo database the way a person would, with the sqlite3 shell.
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
# Printed evidence (compliance desk): a TrueType CJK font for the PDF (PDFsharp embeds TrueType outlines only, so
# WenQuanYi Micro Hei; Noto CJK for the HTML print view) and poppler-utils to read the PDF back in the tests.
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
[ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 || need+=(fonts-noto-cjk)
[ -x /usr/bin/pdftotext ] && [ -x /usr/bin/pdftoppm ] || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin:/usr/lib/rabbitmq/bin"

# --- services -----------------------------------------------------------------------------------
started_rabbit=0; started_pg=0
pidfile="/var/lib/rabbitmq/mnesia/rabbit@$(hostname -s).pid"
if ! $SUDO rabbitmqctl -q status >/dev/null 2>&1; then
  log "starting RabbitMQ"
  $SUDO rabbitmq-server -detached
  started_rabbit=1
fi
# rabbitmq-diagnostics ping answers before the broker is ready; wait on the pid file instead.
$SUDO rabbitmqctl wait --timeout 120 "$pidfile" >/dev/null

pgver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters 2>/dev/null | grep -q "^$pgver *main .*online"; then
  log "starting PostgreSQL $pgver"
  $SUDO pg_ctlcluster "$pgver" main start
  started_pg=1
fi
for _ in $(seq 1 30); do $SUDO runuser -u postgres -- psql -qtAc "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
# Test classes each get their own database and connection pool; Debian's default of 100 connections is tight
# once every suite runs. A cluster this script installed or started gets 300 (one it found running is left alone).
if [ "$started_pg" -eq 1 ] || [ "$installed_pg" -eq 1 ]; then
  maxconn=$($SUDO runuser -u postgres -- psql -qtAc "SHOW max_connections" 2>/dev/null || echo 0)
  if [ "${maxconn:-0}" -lt 300 ]; then
    log "PostgreSQL: max_connections 300"
    $SUDO pg_conftool "$pgver" main set max_connections 300
    $SUDO pg_ctlcluster "$pgver" main restart
    for _ in $(seq 1 30); do $SUDO runuser -u postgres -- psql -qtAc "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
  fi
fi
# Tests connect over TCP as postgres/postgres (root cannot use the local socket as postgres).
$SUDO runuser -u postgres -- psql -qc "ALTER USER postgres PASSWORD 'postgres'" >/dev/null

cleanup() {
  if [ "$started_rabbit" -eq 1 ]; then log "stopping RabbitMQ"; $SUDO rabbitmqctl stop "$pidfile" >/dev/null 2>&1; fi
  if [ "$started_pg" -eq 1 ]; then log "stopping PostgreSQL"; $SUDO pg_ctlcluster "$pgver" main stop -m fast >/dev/null 2>&1; fi
}
trap cleanup EXIT

export MODERATION_TEST_PG="${MODERATION_TEST_PG:-Host=127.0.0.1;Username=postgres;Password=postgres}"
export MODERATION_TEST_RABBITMQ_HOST="${MODERATION_TEST_RABBITMQ_HOST:-localhost}"
export MODERATION_TEST_CHROMIUM="${MODERATION_TEST_CHROMIUM:-/usr/bin/chromium}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- tests --------------------------------------------------------------------------------------
log "building"
if ! dotnet build Moderation.sln -c Release -nologo -v q; then
  cleanup; trap - EXIT
  echo "0 passed, 1 failed"
  exit 1
fi
log "testing (results in $results)"
# A hung test host (a browser or a socket that never answers) becomes a failure after 15 minutes instead of
# holding CI until its own timeout.
dotnet test Moderation.sln -c Release --no-build -nologo -v q --logger "trx" --results-directory "$results" --blame-hang-timeout 15m --blame-hang-dump-type none
status=$?

# --- fault injection (issue 8), CI size: real worker processes, a RabbitMQ node and a PostgreSQL cluster of its
# own (so it never touches the services above), one kill -9, one broker restart, one 10 s database outage.
# Counted below as one test; its output is kept beside the TRX files.
log "fault injection: moderation faults --posts 3000 (log in $results/faults.log)"
timeout 900 dotnet src/Moderation.Cli/bin/Release/net10.0/moderation.dll faults --posts 3000 --rate 150 --kills 1 --db-outage 10 --timeout 10 \
  > "$results/faults.log" 2>&1
faults_status=$?
grep -E "^FAILED|^faults: published" "$results/faults.log" | tail -6

# dotnet test prints no overall line; add up the TRX counters.
passed=0; failed=0; total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); total=$((total + ${t:-0}))
done
# Tests that did not run (errors, timeouts, skips) count as failures, never as passes.
notrun=$((total - passed - failed))
if [ "$faults_status" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

[ "$notrun" -gt 0 ] && failed=$((failed + notrun))
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
# Stop services first so the summary is the very last line CI reads.
cleanup; trap - EXIT
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
