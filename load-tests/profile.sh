#!/usr/bin/env bash
# Profiles a running platform while load is applied (by run-load.sh or a single simulation):
#   load-tests/profile.sh <service> [seconds] [out-dir]
# <service>: queue-service | concert-service | payment-service | api-gateway
# Writes a JFR recording of that service's JVM and a sample of PostgreSQL wait events, and prints the
# hottest frames (top of stack) and what the database sessions were waiting for.
set -euo pipefail
SERVICE="${1:?service name}"
SECONDS_TO_RECORD="${2:-20}"
OUT="${3:-load-tests/target/profile}"
POSTGRES_PORT="${POSTGRES_PORT:-5432}"
mkdir -p "$OUT"

PID=$(pgrep -f -- "$SERVICE/target/quarkus-app/quarkus-run.jar" | head -1 || true)
[ -n "$PID" ] || { echo "$SERVICE is not running (started by ./run.sh?)" >&2; exit 1; }
STAMP=$(date -u +%H%M%S)
JFR="$(cd "$OUT" && pwd)/$SERVICE-$STAMP.jfr"
jcmd "$PID" JFR.start name=load settings=profile duration="${SECONDS_TO_RECORD}s" filename="$JFR" > /dev/null

# PostgreSQL: what every active session waits for, sampled 10 times a second
export PGPASSWORD="${DB_PASSWORD:-postgres}"
SAMPLES="$OUT/$SERVICE-$STAMP-pg-waits.txt"
end=$(( $(date +%s) + SECONDS_TO_RECORD ))
: > "$SAMPLES"
while [ "$(date +%s)" -lt "$end" ]; do
  psql -qAt -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -c \
    "SELECT datname || ' | ' || coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-') || ' | ' || left(regexp_replace(query, '\s+', ' ', 'g'), 70)
       FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND datname IN ('queue','concert','payment')" \
    >> "$SAMPLES" 2>/dev/null || true
  sleep 0.1
done
sleep 2
echo "== $SERVICE: hottest frames (top of stack, JFR execution samples)"
jfr print --events jdk.ExecutionSample --stack-depth 1 "$JFR" \
  | grep -E '^\s+[a-zA-Z].*line:' | sed -E 's/^\s+//; s/\s+line:.*//' | sort | uniq -c | sort -rn | head -25
echo "== PostgreSQL active sessions by database | wait | statement (samples)"
sort "$SAMPLES" | uniq -c | sort -rn | head -20
echo "recording: $JFR"
