#!/usr/bin/env bash
# The load suite: machine facts, the Gatling simulations as signed-in users, and on request the ceilings
# (pgbench + Ceilings driver), all in one run against a platform started by ./run.sh with the load settings (docs/performance.md).
#
#   load-tests/run-load.sh [--start] [steps...]
#
#   --start   start ./run.sh itself with the load settings below, on an empty database of its own
#             (LOAD_DATA_DIR, default .data-load/, emptied first: earlier runs' waiting rooms keep being
#             admitted in the background and slowed registration by half), and stop it at the end; that
#             PostgreSQL runs with fsync off (./run.sh --unsafe-no-fsync, printed): its data is thrown away.
#             LOAD_DURABLE=1: with fsync and synchronous commits on instead (PostgreSQL's defaults), for
#             figures "with durable commits" (issue 17's registration target); the run prints which it was
#   steps     any of: warmup ceilings QueueSurgeSimulation SeatRushSimulation FullPurchaseSimulation
#             (default: warmup and the three simulations, in that order; warmup = a small full purchase
#             (the cold-start figure) and one rehearsal of the seat rush, whose figures are not kept, so that
#             the services' JIT compilers are done before anything is measured; ceilings only when named, and
#             always last: they leave thousands of live tokens behind; everything in one run: `--start warmup QueueSurgeSimulation SeatRushSimulation FullPurchaseSimulation ceilings`)
#
# Environment: GATEWAY_PORT QUEUE_PORT CONCERT_PORT POSTGRES_PORT KEYCLOAK_PORT (as for ./run.sh),
# GATEWAY_MANAGEMENT_PORT [9000] (the gateway's /q/health in production), OIDC_ISSUER [the local realm,
# http://127.0.0.1:$KEYCLOAK_PORT/realms/concert; must be a Keycloak: accounts are created through its admin
# API], KEYCLOAK_ADMIN/KEYCLOAK_ADMIN_PASSWORD [admin/admin], CEILINGS_OPTS and GATLING_OPTS (extra -D
# options, e.g. GATLING_OPTS="-Dsurge.peakUsersPerSecond=600 -Dsurge.accounts=8000"), QUEUE_/CONCERT_/PAYMENT_MANAGEMENT_PORT
# [9001/9002/9003] and METRICS_TAIL_SECONDS [20]: each simulation's services are scraped every second while it
# runs and this long after, and drawn as the Grafana dashboard's panels in metrics.html beside Gatling's report.
# DATA_DIR [.data]: the data directory of a platform started without --start (the ceilings sign their direct
# calls to queue-service with its hop-token key, <data dir>/keys/hop-token-private.pem; with --start: LOAD_DATA_DIR).
# Every simulation creates and signs in its accounts before its scenario starts (~20 sign-ins/s on 2 cores):
# about 4 min for the surge's 5,000, 1 min for the rush, plus ~2.5 min once to create the 5,000 in a new
# Keycloak (with --start, on every run: its data directory starts empty). The ceilings: 3,000 (-Dceil.accounts
# + -Dceil.freshAccounts), ~2.5 min.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# the services, Gatling and platform-testing are built for Java 21
source "$ROOT/scripts/use-jdk21.sh"
cd "$ROOT"

START=false
STEPS=()
for arg in "$@"; do
  case "$arg" in
    --start) START=true ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) STEPS+=("$arg") ;;
  esac
done
[ ${#STEPS[@]} -gt 0 ] || STEPS=(warmup QueueSurgeSimulation SeatRushSimulation FullPurchaseSimulation)
# The ceilings go last, whatever the order named: they leave 25 rooms of 1,000 active tokens and a room of 100,000
# waiting ones behind, whose expiry and admission ten minutes later is background work for whatever runs then
# (a surge measured after them, 2026-11-30: 60 s timeouts and 10,130 failed requests, against none without them).
if [[ " ${STEPS[*]} " == *" ceilings "* ]]; then
  REST=()
  for step in "${STEPS[@]}"; do [ "$step" = ceilings ] || REST+=("$step"); done
  [ "${STEPS[-1]}" = ceilings ] || echo "NOTE: the ceilings run last (they leave thousands of live tokens behind)"
  STEPS=("${REST[@]}" ceilings)
fi

# Gatling holds one socket per connection: a surge needs more than the usual 1,024 (or 20,000) descriptors.
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

GATEWAY_PORT="${GATEWAY_PORT:-8080}"
QUEUE_PORT="${QUEUE_PORT:-8081}"
CONCERT_PORT="${CONCERT_PORT:-8082}"
POSTGRES_PORT="${POSTGRES_PORT:-5432}"
export KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"   # exported: --start hands it to ./run.sh
# the management ports (health, /q/metrics), exported: --start hands them to ./run.sh
export GATEWAY_MANAGEMENT_PORT="${GATEWAY_MANAGEMENT_PORT:-9000}"
export QUEUE_MANAGEMENT_PORT="${QUEUE_MANAGEMENT_PORT:-9001}"
export CONCERT_MANAGEMENT_PORT="${CONCERT_MANAGEMENT_PORT:-9002}"
export PAYMENT_MANAGEMENT_PORT="${PAYMENT_MANAGEMENT_PORT:-9003}"
OIDC_ISSUER="${OIDC_ISSUER:-${EXTERNAL_OIDC_ISSUER:-http://127.0.0.1:$KEYCLOAK_PORT/realms/concert}}"
KEYCLOAK_ADMIN="${KEYCLOAK_ADMIN:-admin}"
KEYCLOAK_ADMIN_PASSWORD="${KEYCLOAK_ADMIN_PASSWORD:-admin}"
CEILINGS_OPTS="${CEILINGS_OPTS:-}"
GATLING_OPTS="${GATLING_OPTS:-}"
METRICS_TAIL_SECONDS="${METRICS_TAIL_SECONDS:-20}"
LOAD_DURABLE="${LOAD_DURABLE:-0}"
if $START; then
  PLATFORM_DATA_DIR="${LOAD_DATA_DIR:-$ROOT/.data-load}"
else
  PLATFORM_DATA_DIR="${DATA_DIR:-$ROOT/.data}"
fi

# The platform settings for load (exported so that --start hands them to ./run.sh):
export QUEUE_ADMISSION_BATCH_SIZE="${QUEUE_ADMISSION_BATCH_SIZE:-500}"        # 1,000 rush users admitted in 2 ticks
export QUEUE_ADMISSION_TICK="${QUEUE_ADMISSION_TICK:-1s}"
export QUEUE_ADMISSION_MAX_ACTIVE_PER_CONCERT="${QUEUE_ADMISSION_MAX_ACTIVE_PER_CONCERT:-1000}"  # the rest of a surge waits
# The rate limits count per signed-in account, which each virtual user has of its own. The one per client
# address (signature checks of identity tokens not seen before) counts the right-most X-Forwarded-For entry
# beyond the trusted proxies: the load generator plays the one proxy and names each simulated device.
export GATEWAY_RATE_LIMIT_TRUSTED_PROXIES="${GATEWAY_RATE_LIMIT_TRUSTED_PROXIES:-1}"

OUT="load-tests/target/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
echo "results in $OUT"

RUN_PID=""
RECORDER_PID=""
cleanup() {
  if [ -n "$RECORDER_PID" ]; then kill -TERM "$RECORDER_PID" 2>/dev/null || true; fi
  if [ -n "$RUN_PID" ]; then
    echo "stopping ./run.sh ($RUN_PID)"
    kill -TERM "$RUN_PID" 2>/dev/null || true
    wait "$RUN_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

if $START; then
  # Throw-away data (a fresh .data-load each run): by default durability is traded for throughput, and said so.
  FSYNC_OPTION=(--unsafe-no-fsync)
  [ "$LOAD_DURABLE" = 1 ] && FSYNC_OPTION=()
  GATEWAY_PORT=$GATEWAY_PORT QUEUE_PORT=$QUEUE_PORT CONCERT_PORT=$CONCERT_PORT POSTGRES_PORT=$POSTGRES_PORT \
    DATA_DIR="$PLATFORM_DATA_DIR" ./run.sh --clean "${FSYNC_OPTION[@]}" > "$OUT/run.sh.log" 2>&1 &
  RUN_PID=$!
  if [ "$LOAD_DURABLE" = 1 ]; then
    echo "NOTE: LOAD_DURABLE=1: this run's PostgreSQL has fsync and synchronous_commit ON (durable commits)"
  else
    echo "NOTE: ./run.sh --unsafe-no-fsync: this run's PostgreSQL has fsync, synchronous_commit and full_page_writes OFF (LOAD_DURABLE=1 for durable commits)"
  fi
  echo "started ./run.sh ($RUN_PID), waiting for the gateway..."
  for _ in $(seq 1 600); do
    grep -q "Concert platform is up" "$OUT/run.sh.log" 2>/dev/null && break
    kill -0 "$RUN_PID" 2>/dev/null || { echo "./run.sh exited, see $OUT/run.sh.log" >&2; tail -20 "$OUT/run.sh.log" >&2; exit 1; }
    sleep 1
  done
fi
# Readiness on the management port (production profile) or, without one, on the API port; failing both,
# at least the public concert list must answer.
if curl -fs "http://127.0.0.1:$GATEWAY_MANAGEMENT_PORT/q/health/ready" 2>/dev/null | grep -q '"UP"' \
    || curl -fs "http://127.0.0.1:$GATEWAY_PORT/q/health/ready" 2>/dev/null | grep -q '"UP"'; then
  :
elif curl -fs "http://127.0.0.1:$GATEWAY_PORT/api/v1/concerts" > /dev/null; then
  echo "warning: no gateway readiness found (GATEWAY_MANAGEMENT_PORT=$GATEWAY_MANAGEMENT_PORT); the concert list answers, going on" >&2
else
  echo "the gateway on port $GATEWAY_PORT is not up: start the platform first (see docs/performance.md)" >&2; exit 1
fi
curl -fs "$OIDC_ISSUER/.well-known/openid-configuration" > /dev/null \
  || { echo "no identity provider at $OIDC_ISSUER (OIDC_ISSUER / KEYCLOAK_PORT)" >&2; exit 1; }

{
  echo "date:      $(date -u +%FT%TZ)"
  echo "commit:    $(git rev-parse --short HEAD)"
  echo "cores:     $(nproc)"
  echo "memory:    $(free -g | awk '/^Mem:/ {print $2 " GiB total, " $7 " GiB available"}')"
  echo "cpu:       $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "java:      $(java -version 2>&1 | head -1)"
  echo "load avg:  $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "settings:  QUEUE_ADMISSION_BATCH_SIZE=$QUEUE_ADMISSION_BATCH_SIZE QUEUE_ADMISSION_TICK=$QUEUE_ADMISSION_TICK" \
       "QUEUE_ADMISSION_MAX_ACTIVE_PER_CONCERT=$QUEUE_ADMISSION_MAX_ACTIVE_PER_CONCERT" \
       "GATEWAY_RATE_LIMIT_TRUSTED_PROXIES=$GATEWAY_RATE_LIMIT_TRUSTED_PROXIES"
  echo "identity:  $OIDC_ISSUER"
  if $START; then
    [ "$LOAD_DURABLE" = 1 ] && echo "postgres:  durable commits (LOAD_DURABLE=1: fsync, synchronous_commit on)" \
      || echo "postgres:  commits NOT durable (./run.sh --unsafe-no-fsync: fsync, synchronous_commit, full_page_writes off)"
  else
    echo "postgres:  started by someone else (the ceilings print its fsync and synchronous_commit)"
  fi
} | tee "$OUT/machine.txt"

echo "building the load-test modules..."
# platform-testing (KeycloakAccounts) into the local repository, for the gatling:test runs below;
# offline first; online once for the first download of Gatling
# The simulations run the Gatling plugin by its full coordinates, not by the prefix "gatling:": a prefix is
# looked up in plugin-group metadata that a local repository filled by other builds may lack, and offline
# that failed with "No plugin found for prefix 'gatling'".
GATLING_PLUGIN="io.gatling:gatling-maven-plugin:$(sed -n 's:.*<gatling-maven-plugin.version>\(.*\)</gatling-maven-plugin.version>.*:\1:p' load-tests/pom.xml)"
build() {
  ./mvnw -q -B "$@" install -DskipTests -pl platform-testing -am \
    && ./mvnw -q -B "$@" -Pload -pl load-tests/ceilings,load-tests/simulations package \
    && ./mvnw -q -B "$@" -Pload -pl load-tests/simulations dependency:resolve-plugins \
    && ./mvnw -q -B "$@" -Pload -pl load-tests/simulations "$GATLING_PLUGIN:help" > /dev/null \
    && ./mvnw -q -B "$@" package -DskipTests -pl load-tests/run-metrics  # runnable offline?; the metric charts
}
build -o > "$OUT/build.log" 2>&1 || build >> "$OUT/build.log" 2>&1 \
  || { echo "build failed (or $GATLING_PLUGIN cannot be resolved), see $OUT/build.log" >&2; exit 1; }

# Where the simulations find the platform and the identity provider
SIM_OPTS=(-Dload.baseUrl="http://127.0.0.1:$GATEWAY_PORT" -Dload.issuer="$OIDC_ISSUER"
  -Dload.keycloakAdmin="$KEYCLOAK_ADMIN" -Dload.keycloakAdminPassword="$KEYCLOAK_ADMIN_PASSWORD"
  -Dload.jdbcUrl="jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/")

# The operator's metrics during each simulation (docs/performance.md, "What a healthy sale looks like"): every
# service's /q/metrics scraped every second while it runs, drawn afterwards as the Grafana dashboard's panels
# (k8s/base/grafana/concert-sale-dashboard.json, its own queries) plus CPU and heap, in one self-contained page
# next to Gatling's report (metrics.html, the samples in metrics-samples.txt.gz beside it).
RUN_METRICS=(java -Xmx1g -cp "load-tests/run-metrics/target/run-metrics.jar:load-tests/run-metrics/target/lib/*"
  io.concertticket.load.metrics.RunMetrics)
record_metrics() { # samples-file
  "${RUN_METRICS[@]}" record --out "$1" \
    "api-gateway=http://127.0.0.1:$GATEWAY_MANAGEMENT_PORT/q/metrics" \
    "queue-service=http://127.0.0.1:$QUEUE_MANAGEMENT_PORT/q/metrics" \
    "concert-service=http://127.0.0.1:$CONCERT_MANAGEMENT_PORT/q/metrics" \
    "payment-service=http://127.0.0.1:$PAYMENT_MANAGEMENT_PORT/q/metrics" > "$1.log" 2>&1 &
  RECORDER_PID=$!
}
chart_metrics() { # step samples-file
  sleep "$METRICS_TAIL_SECONDS" # the platform after the load: backlogs draining, rates falling back
  kill -TERM "$RECORDER_PID" 2>/dev/null || true
  wait "$RECORDER_PID" 2>/dev/null || true
  RECORDER_PID=""
  # beside Gatling's report of this run when it wrote one, else in the results directory
  local report dir
  report=$(sed -n 's#.*please open the following file: file://\(.*\)/index\.html.*#\1#p' "$OUT/$1.log" | tail -1)
  dir="${report:-$OUT}"
  mv "$2" "$dir/metrics-samples.txt.gz"
  "${RUN_METRICS[@]}" render --samples "$dir/metrics-samples.txt.gz" --dashboard k8s/base/grafana/concert-sale-dashboard.json \
      --title "$1: the operator's metrics during the run ($(git rev-parse --short HEAD))" \
      ${report:+--gatling index.html} --out "$dir/metrics.html" >> "$OUT/$1.log" 2>&1 \
    && echo "$1 metric charts: $dir/metrics.html" \
    || echo "$1: the metric charts could not be drawn, see $OUT/$1.log" >&2
}

# simulate <Simulation> <log> [-D options...]: one Gatling simulation against the platform, its output in <log>
simulate() {
  local simulation=$1 log=$2
  shift 2
  ./mvnw -B -o -Pload -pl load-tests/simulations "$GATLING_PLUGIN:test" \
    -Dgatling.simulationClass="io.concertticket.load.$simulation" "${SIM_OPTS[@]}" "$@" > "$log" 2>&1
}

FAILED_STEPS=()
for step in "${STEPS[@]}"; do
  case "$step" in
    ceilings)
      if command -v pgbench > /dev/null; then
        echo "== pgbench: plain single-row INSERT, 16 clients, 10 s"
        export PGPASSWORD=postgres
        psql -q -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -tc \
          "SELECT 1 FROM pg_database WHERE datname = 'load_scratch'" | grep -q 1 \
          || psql -q -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -c "CREATE DATABASE load_scratch"
        psql -q -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d load_scratch -c \
          "DROP TABLE IF EXISTS pgbench_insert; CREATE TABLE pgbench_insert (id BIGSERIAL PRIMARY KEY, payload VARCHAR(64) NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        pgbench -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -n -c 16 -j 2 -T 10 -f load-tests/pgbench-insert.sql load_scratch \
          2>&1 | tee "$OUT/pgbench.txt" | grep -E "tps|latency|number of"
        psql -q -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d load_scratch -c "DROP TABLE pgbench_insert"
      fi
      echo "== ceilings (accounts signed in first, not measured; queue-service directly with hop tokens of the run's key)"
      # shellcheck disable=SC2086
      java -Xmx1g $CEILINGS_OPTS -Dceil.out="$OUT" \
        -Dceil.gateway="http://127.0.0.1:$GATEWAY_PORT" -Dceil.queue="http://127.0.0.1:$QUEUE_PORT" \
        -Dceil.queueManagement="http://127.0.0.1:$QUEUE_MANAGEMENT_PORT" \
        -Dceil.jdbcUrl="jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/" -Dceil.dataDir="$PLATFORM_DATA_DIR" \
        -Dceil.issuer="$OIDC_ISSUER" -Dceil.keycloakAdmin="$KEYCLOAK_ADMIN" -Dceil.keycloakAdminPassword="$KEYCLOAK_ADMIN_PASSWORD" \
        -Dceil.activeCap="$QUEUE_ADMISSION_MAX_ACTIVE_PER_CONCERT" \
        -cp "load-tests/ceilings/target/ceilings.jar:load-tests/ceilings/target/lib/*" \
        io.concertticket.load.ceilings.Ceilings
      ;;
    warmup)
      # Freshly started JVMs spend the first minutes compiling: measured cold, a 72 req/s purchase wave
      # saturated both cores (p50 1.4-1.9 s); the same wave warm had p50 95-220 ms. The purchase wave alone
      # left them half done: the first seat rush after it took 1.6 times the CPU of a third one in a row
      # (docs/performance.md, "the seat rush profiled"), so the warm-up rehearses the rush once as well.
      echo "== warm-up: a small full purchase, then a seat rush (figures not kept; the purchase wave is the cold start)"
      simulate FullPurchaseSimulation "$OUT/warmup.log" -Dpurchase.users=300 -Dpurchase.rampSeconds=20 || true
      grep -E "^FullPurchase: .*(paid|accounts)" "$OUT/warmup.log" || true
      simulate SeatRushSimulation "$OUT/warmup-rush.log" || true
      grep -E "^SeatRush: [0-9]+ winners" "$OUT/warmup-rush.log" || true
      ;;
    *Simulation)
      echo "== $step"
      record_metrics "$OUT/$step.metrics.gz"
      # shellcheck disable=SC2086
      simulate "$step" "$OUT/$step.log" $GATLING_OPTS && status=passed || status=FAILED
      # the figures: Gatling's global statistics, our own summary lines, the assertions, the report
      sed -n '/^---- Global Information/,/^=====/p' "$OUT/$step.log"
      grep -E "^(QueueSurge|SeatRush|FullPurchase)|please open the following file| : (true|false)" "$OUT/$step.log" || true
      chart_metrics "$step" "$OUT/$step.metrics.gz"
      echo "$step: $status (log $OUT/$step.log)"
      [ "$status" = passed ] || FAILED_STEPS+=("$step")
      ;;
    *) echo "unknown step: $step" >&2; exit 2 ;;
  esac
done

# every step ran; the run fails if a simulation did (its assertions: zero failed requests, exact outcomes)
if [ ${#FAILED_STEPS[@]} -gt 0 ]; then
  echo "FAILED: ${FAILED_STEPS[*]} (results in $OUT)" >&2
  exit 1
fi
