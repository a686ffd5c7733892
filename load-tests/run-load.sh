#!/usr/bin/env bash
# The load suite: machine facts, ceilings (pgbench + Ceilings driver) and the Gatling simulations, all in
# one run against a platform started by ./run.sh with the load settings (docs/performance.md).
#
#   load-tests/run-load.sh [--start] [steps...]
#
#   --start   start ./run.sh itself with the load settings below, on an empty database of its own
#             (LOAD_DATA_DIR, default .data-load/, emptied first: earlier runs' waiting rooms keep being
#             admitted in the background and slowed registration by half), and stop it at the end
#   steps     any of: warmup ceilings QueueSurgeSimulation SeatRushSimulation FullPurchaseSimulation
#             (default: all, in that order; warmup = a small full purchase whose figures are not kept,
#             so that the services' JIT compilers are done before anything is measured)
#
# Environment: GATEWAY_PORT QUEUE_PORT CONCERT_PORT POSTGRES_PORT (as for ./run.sh), CEILINGS_OPTS and
# GATLING_OPTS (extra -D options, e.g. GATLING_OPTS="-Dsurge.peakUsersPerSecond=600").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

START=false
STEPS=()
for arg in "$@"; do
  case "$arg" in
    --start) START=true ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) STEPS+=("$arg") ;;
  esac
done
[ ${#STEPS[@]} -gt 0 ] || STEPS=(warmup ceilings QueueSurgeSimulation SeatRushSimulation FullPurchaseSimulation)

# Gatling holds one socket per connection: a surge needs more than the usual 1,024 (or 20,000) descriptors.
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

GATEWAY_PORT="${GATEWAY_PORT:-8080}"
QUEUE_PORT="${QUEUE_PORT:-8081}"
CONCERT_PORT="${CONCERT_PORT:-8082}"
POSTGRES_PORT="${POSTGRES_PORT:-5432}"
CEILINGS_OPTS="${CEILINGS_OPTS:-}"
GATLING_OPTS="${GATLING_OPTS:-}"

# The platform settings for load (exported so that --start hands them to ./run.sh):
export QUEUE_ADMISSION_BATCH_SIZE="${QUEUE_ADMISSION_BATCH_SIZE:-500}"        # 1,000 rush users admitted in 2 ticks
export QUEUE_ADMISSION_TICK="${QUEUE_ADMISSION_TICK:-1s}"
export QUEUE_ADMISSION_MAX_ACTIVE_PER_CONCERT="${QUEUE_ADMISSION_MAX_ACTIVE_PER_CONCERT:-1000}"  # the rest of a surge waits
export GATEWAY_RATE_LIMIT_TRUST_FORWARDED_FOR="${GATEWAY_RATE_LIMIT_TRUST_FORWARDED_FOR:-true}"  # per simulated client

OUT="load-tests/target/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
echo "results in $OUT"

RUN_PID=""
cleanup() {
  if [ -n "$RUN_PID" ]; then
    echo "stopping ./run.sh ($RUN_PID)"
    kill -TERM "$RUN_PID" 2>/dev/null || true
    wait "$RUN_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

if $START; then
  GATEWAY_PORT=$GATEWAY_PORT QUEUE_PORT=$QUEUE_PORT CONCERT_PORT=$CONCERT_PORT POSTGRES_PORT=$POSTGRES_PORT \
    DATA_DIR="${LOAD_DATA_DIR:-$ROOT/.data-load}" ./run.sh --clean > "$OUT/run.sh.log" 2>&1 &
  RUN_PID=$!
  echo "started ./run.sh ($RUN_PID), waiting for the gateway..."
  for _ in $(seq 1 600); do
    grep -q "Concert platform is up" "$OUT/run.sh.log" 2>/dev/null && break
    kill -0 "$RUN_PID" 2>/dev/null || { echo "./run.sh exited, see $OUT/run.sh.log" >&2; tail -20 "$OUT/run.sh.log" >&2; exit 1; }
    sleep 1
  done
fi
curl -fs "http://127.0.0.1:$GATEWAY_PORT/q/health/ready" > /dev/null \
  || { echo "the gateway on port $GATEWAY_PORT is not ready: start the platform first (see docs/performance.md)" >&2; exit 1; }

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
       "GATEWAY_RATE_LIMIT_TRUST_FORWARDED_FOR=$GATEWAY_RATE_LIMIT_TRUST_FORWARDED_FOR"
} | tee "$OUT/machine.txt"

echo "building the load-test modules..."
# offline first; online once for the first download of Gatling
./mvnw -q -B -o -Pload -pl load-tests/ceilings,load-tests/simulations package > "$OUT/build.log" 2>&1 \
  || ./mvnw -q -B -Pload -pl load-tests/ceilings,load-tests/simulations package >> "$OUT/build.log" 2>&1 \
  || { echo "build failed, see $OUT/build.log" >&2; exit 1; }

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
      echo "== ceilings"
      # shellcheck disable=SC2086
      java -Xmx1g $CEILINGS_OPTS -Dceil.out="$OUT" \
        -Dceil.gateway="http://127.0.0.1:$GATEWAY_PORT" -Dceil.queue="http://127.0.0.1:$QUEUE_PORT" \
        -Dceil.jdbcUrl="jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/" \
        -Dceil.activeCap="$QUEUE_ADMISSION_MAX_ACTIVE_PER_CONCERT" \
        -cp "load-tests/ceilings/target/ceilings.jar:load-tests/ceilings/target/lib/*" \
        io.concertticket.load.ceilings.Ceilings
      ;;
    warmup)
      # Freshly started JVMs spend the first minute compiling: measured cold, a 72 req/s purchase wave
      # saturated both cores (p50 1.4-1.9 s); the same wave warm had p50 95-220 ms.
      echo "== warm-up: a small full purchase (figures not kept)"
      ./mvnw -B -o -Pload -pl load-tests/simulations gatling:test \
        -Dgatling.simulationClass=io.concertticket.load.FullPurchaseSimulation \
        -Dload.baseUrl="http://127.0.0.1:$GATEWAY_PORT" -Dload.concertAdminUrl="http://127.0.0.1:$CONCERT_PORT" \
        -Dload.jdbcUrl="jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/" -Dpurchase.users=300 -Dpurchase.rampSeconds=20 \
        > "$OUT/warmup.log" 2>&1 || true
      grep -E "^FullPurchase: .* paid" "$OUT/warmup.log" || true
      ;;
    *Simulation)
      echo "== $step"
      # shellcheck disable=SC2086
      ./mvnw -B -o -Pload -pl load-tests/simulations gatling:test \
        -Dgatling.simulationClass="io.concertticket.load.$step" \
        -Dload.baseUrl="http://127.0.0.1:$GATEWAY_PORT" -Dload.concertAdminUrl="http://127.0.0.1:$CONCERT_PORT" \
        -Dload.jdbcUrl="jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/" $GATLING_OPTS \
        > "$OUT/$step.log" 2>&1 && status=passed || status=FAILED
      # the figures: Gatling's global statistics, our own summary lines, the assertions, the report
      sed -n '/^---- Global Information/,/^=====/p' "$OUT/$step.log"
      grep -E "^(QueueSurge|SeatRush|FullPurchase)|please open the following file| : (true|false)" "$OUT/$step.log" || true
      echo "$step: $status (log $OUT/$step.log)"
      ;;
    *) echo "unknown step: $step" >&2; exit 2 ;;
  esac
done
