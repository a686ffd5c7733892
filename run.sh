#!/usr/bin/env bash
# Runs the whole concert platform on this machine: real PostgreSQL, Kafka and Keycloak (no Docker)
# and the four services. See ./run.sh --help.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

usage() {
  cat <<'EOF'
Usage: ./run.sh [--clean] [--build] [--unsafe-no-fsync] [--help]

Starts PostgreSQL (databases queue, concert, payment, each with its own role), a single-node Kafka
broker (KRaft), Keycloak (realm concert, demo accounts buyer1..3 and operator1, password = user name)
and the four services, waits until every /q/health/ready is UP, and prints where to go and how to get
a token. Ctrl-C or SIGTERM stops everything it started.

Options:
  --clean   delete the local data (.data/) first and start from empty
  --build   rebuild the services even if they look up to date (they are rebuilt anyway when
            a source file is newer than the built application)
  --unsafe-no-fsync  run the embedded PostgreSQL with fsync, synchronous_commit and full_page_writes
            off: faster, but a machine crash may lose committed purchases. Only for throw-away data
            (load-tests/run-load.sh --start uses it and says so); the default is durable
  --help    this text

Data persists between runs in .data/ (ignored by git); the hop-token key pair the gateway signs with
is created once in .data/keys/. Logs are in .run/logs/ (Keycloak's in .data/keycloak/keycloak.log).

Environment variables (defaults in brackets):
  GATEWAY_PORT [8080]  QUEUE_PORT [8081]  CONCERT_PORT [8082]  PAYMENT_PORT [8083]
  POSTGRES_PORT [5432] KAFKA_PORT [9092]  KAFKA_CONTROLLER_PORT [9093]  KEYCLOAK_PORT [8180]
  GATEWAY_HOST [0.0.0.0]  where the gateway listens; the three services listen on 127.0.0.1 only
  GATEWAY_MANAGEMENT_PORT [9000]  QUEUE_MANAGEMENT_PORT [9001]  CONCERT_MANAGEMENT_PORT [9002]
  PAYMENT_MANAGEMENT_PORT [9003]  health (/q/health) and metrics (/q/metrics), on 127.0.0.1 only
  DATA_DIR [.data]     where the embedded PostgreSQL, Kafka and Keycloak keep their data

  Use existing servers instead of the embedded ones:
  EXTERNAL_POSTGRES=host:port   a PostgreSQL that has the databases queue, concert and payment
  DB_USER  DB_PASSWORD          credentials for all three services; unset, each service signs in as
                                the role named like its database (password = name), as with the
                                embedded PostgreSQL
  EXTERNAL_KAFKA=host:port      a Kafka bootstrap server
  EXTERNAL_OIDC_ISSUER=url      another OpenID Connect issuer (no Keycloak is started); its access
                                tokens need aud concert-api and the operator role in a roles claim

  DEMO_DATA [true]    seed a few concerts, schedules and seats into an empty concert database
  JAVA_OPTS           extra JVM options for every service (e.g. -Xmx512m)
  AOT_CACHE [off]     on: the JDK's ahead-of-time cache for the four services (JDK 25+, JEP 483/514/515:
                      classes loaded and linked, and method profiles, from an earlier run), so a started
                      service is fast sooner. A run without a cache for the current build records one (it
                      is the training: slower, and written to .run/aot/ when the service stops, up to a
                      minute each); the runs after it start from it. With JDK 21-24 it changes nothing
  QUARKUS_LOG_CONSOLE_JSON_ENABLED [false]  true: the services log JSON lines, as in production
  QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT       an OTLP collector for the traces (unset: none are sent)
EOF
}

CLEAN=false
BUILD=false
UNSAFE_NO_FSYNC=false
for arg in "$@"; do
  case "$arg" in
    --clean) CLEAN=true ;;
    --build) BUILD=true ;;
    --unsafe-no-fsync) UNSAFE_NO_FSYNC=true ;;
    --help|-h) usage; exit 0 ;;
    *) echo "unknown option: $arg (see ./run.sh --help)" >&2; exit 2 ;;
  esac
done

GATEWAY_PORT="${GATEWAY_PORT:-8080}"
QUEUE_PORT="${QUEUE_PORT:-8081}"
CONCERT_PORT="${CONCERT_PORT:-8082}"
PAYMENT_PORT="${PAYMENT_PORT:-8083}"
GATEWAY_MANAGEMENT_PORT="${GATEWAY_MANAGEMENT_PORT:-9000}"
QUEUE_MANAGEMENT_PORT="${QUEUE_MANAGEMENT_PORT:-9001}"
CONCERT_MANAGEMENT_PORT="${CONCERT_MANAGEMENT_PORT:-9002}"
PAYMENT_MANAGEMENT_PORT="${PAYMENT_MANAGEMENT_PORT:-9003}"
POSTGRES_PORT="${POSTGRES_PORT:-5432}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
DATA_DIR="${DATA_DIR:-$ROOT/.data}"
mkdir -p "$DATA_DIR" && DATA_DIR="$(cd "$DATA_DIR" && pwd)" # absolute: the services get key paths in it
DEMO_DATA="${DEMO_DATA:-true}"
KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"
GATEWAY_HOST="${GATEWAY_HOST:-0.0.0.0}"
JAVA_OPTS="${JAVA_OPTS:-}"
LOG_DIR="$ROOT/.run/logs"
mkdir -p "$LOG_DIR"

source "$ROOT/scripts/use-jdk21.sh"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
require_free_port() { # port variable what
  if port_in_use "$1"; then
    echo "Port $1 ($3) is already in use. Stop what is using it, or choose another port: $2=<port> ./run.sh" >&2
    exit 2
  fi
}

require_free_port "$GATEWAY_PORT" GATEWAY_PORT api-gateway
require_free_port "$QUEUE_PORT" QUEUE_PORT queue-service
require_free_port "$CONCERT_PORT" CONCERT_PORT concert-service
require_free_port "$PAYMENT_PORT" PAYMENT_PORT payment-service
require_free_port "$GATEWAY_MANAGEMENT_PORT" GATEWAY_MANAGEMENT_PORT "api-gateway management"
require_free_port "$QUEUE_MANAGEMENT_PORT" QUEUE_MANAGEMENT_PORT "queue-service management"
require_free_port "$CONCERT_MANAGEMENT_PORT" CONCERT_MANAGEMENT_PORT "concert-service management"
require_free_port "$PAYMENT_MANAGEMENT_PORT" PAYMENT_MANAGEMENT_PORT "payment-service management"
if [ -z "${EXTERNAL_POSTGRES:-}" ]; then require_free_port "$POSTGRES_PORT" POSTGRES_PORT PostgreSQL; fi
if [ -z "${EXTERNAL_KAFKA:-}" ]; then
  require_free_port "$KAFKA_PORT" KAFKA_PORT Kafka
  require_free_port "$KAFKA_CONTROLLER_PORT" KAFKA_CONTROLLER_PORT "Kafka controller"
fi
if [ -z "${EXTERNAL_OIDC_ISSUER:-}" ]; then require_free_port "$KEYCLOAK_PORT" KEYCLOAK_PORT Keycloak; fi

# ---- build what is missing -------------------------------------------------------------------
SERVICES=(queue-service concert-service payment-service api-gateway)
need_build=$BUILD
[ -f local-infra/target/local-infra.jar ] || need_build=true
for s in "${SERVICES[@]}"; do
  jar="$s/target/quarkus-app/quarkus-run.jar"
  # missing, or older than its own sources or the shared libraries it is built from
  if [ ! -f "$jar" ] || [ -n "$(find "$s/src/main" "$s/pom.xml" local-infra/src/main local-infra/pom.xml event-backbone/src/main http-problem/src/main service-identity/src/main pom.xml \
        -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
    need_build=true
  fi
done
if $need_build; then
  echo "Building the platform (first run downloads dependencies; this takes a few minutes)..."
  ./mvnw -q -B install -DskipTests -pl local-infra,event-backbone,service-identity,queue-service,concert-service,payment-service,api-gateway -am \
    > "$LOG_DIR/build.log" 2>&1 || { echo "Build failed, see $LOG_DIR/build.log" >&2; tail -30 "$LOG_DIR/build.log" >&2; exit 1; }
fi

# ---- process management ----------------------------------------------------------------------
PIDS=()
stopping=false
stop_all() {
  $stopping && return
  stopping=true
  echo
  echo "Stopping..."
  # services first (they flush their outboxes and leave their consumer groups), infrastructure last;
  # a service recording its AOT cache writes it on the way out (up to a minute on 2 busy cores)
  local waits=150
  ${aot_enabled:-false} && waits=600
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
    for _ in $(seq 1 $waits); do kill -0 "${PIDS[$i]}" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "${PIDS[$i]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  echo "Stopped."
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

if $CLEAN; then
  echo "Deleting $DATA_DIR"
  rm -rf "$DATA_DIR"
fi

# ---- infrastructure --------------------------------------------------------------------------
INFRA_ARGS=(--data-dir "$DATA_DIR")
if [ -n "${EXTERNAL_POSTGRES:-}" ]; then
  INFRA_ARGS+=(--no-postgres)
  DB_HOST="${EXTERNAL_POSTGRES%:*}"; DB_PORT="${EXTERNAL_POSTGRES##*:}"
else
  INFRA_ARGS+=(--postgres-port "$POSTGRES_PORT")
  DB_HOST=127.0.0.1; DB_PORT=$POSTGRES_PORT
  if $UNSAFE_NO_FSYNC; then
    INFRA_ARGS+=(--unsafe-no-fsync)
    echo "WARNING: --unsafe-no-fsync: PostgreSQL runs with fsync off; a machine crash may lose committed data"
  fi
fi
if [ -n "${EXTERNAL_KAFKA:-}" ]; then
  INFRA_ARGS+=(--no-kafka)
  KAFKA_BOOTSTRAP_SERVERS="$EXTERNAL_KAFKA"
else
  INFRA_ARGS+=(--kafka-port "$KAFKA_PORT" --kafka-controller-port "$KAFKA_CONTROLLER_PORT")
  KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT"
fi

if [ -n "${EXTERNAL_OIDC_ISSUER:-}" ]; then
  INFRA_ARGS+=(--no-keycloak)
  OIDC_ISSUER="$EXTERNAL_OIDC_ISSUER"
else
  INFRA_ARGS+=(--keycloak-port "$KEYCLOAK_PORT")
  OIDC_ISSUER="http://127.0.0.1:$KEYCLOAK_PORT/realms/concert"
fi
# Written by local-infra once per data directory (docs/identity.md): the gateway signs, the services verify.
HOP_TOKEN_PRIVATE_KEY_LOCATION="$DATA_DIR/keys/hop-token-private.pem"
HOP_TOKEN_PUBLIC_KEY_LOCATION="$DATA_DIR/keys/hop-token-public.pem"

started_at=$(date +%s)
# Always started: besides what is not external it creates the hop-token key pair.
echo "Starting infrastructure (PostgreSQL ${EXTERNAL_POSTGRES:-127.0.0.1:$POSTGRES_PORT}, Kafka $KAFKA_BOOTSTRAP_SERVERS, identity provider $OIDC_ISSUER)..."
java -Xmx768m -jar local-infra/target/local-infra.jar "${INFRA_ARGS[@]}" > "$LOG_DIR/infra.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 600); do
  grep -q "INFRA READY" "$LOG_DIR/infra.log" 2>/dev/null && break
  kill -0 "${PIDS[0]}" 2>/dev/null || { echo "Infrastructure failed to start, see $LOG_DIR/infra.log" >&2; tail -20 "$LOG_DIR/infra.log" >&2; exit 1; }
  sleep 0.5
done
grep -q "INFRA READY" "$LOG_DIR/infra.log" || { echo "Infrastructure not ready after 5 minutes, see $LOG_DIR/infra.log" >&2; exit 1; }

# ---- services --------------------------------------------------------------------------------
# AOT_CACHE=on, JDK 25+ (docs/performance.md, "Warm before ready"): a run without a cache for the current build
# of a service records one, which the JVM writes when the service exits normally (an assembly step of up to a
# minute, hence the longer stop wait); a run with one starts from it. A cache older than any file of the
# build is recorded again (the JVM itself also ignores, with a warning, a cache whose class path differs).
# Opt-in: the recording run is slower, which a load run that happens to train would measure.
AOT_CACHE="${AOT_CACHE:-off}"
AOT_DIR="$ROOT/.run/aot"
aot_enabled=false
java_major=$(_jdk_major "$JAVA_HOME/bin/java")
if [ "$AOT_CACHE" = on ]; then
  if [ "${java_major:-0}" -ge 25 ]; then
    aot_enabled=true
    mkdir -p "$AOT_DIR"
  else
    echo "AOT_CACHE=on needs JDK 25 or newer (this is $java_major): starting without an AOT cache"
  fi
fi
aot_options() { # name -> the JVM options for its AOT cache (none without one)
  $aot_enabled || return 0
  local cache="$AOT_DIR/$1.aot"
  if [ -f "$cache" ] && [ -z "$(find "$1/target/quarkus-app" -newer "$cache" -type f 2>/dev/null | head -1)" ]; then
    echo "-XX:AOTCache=$cache"
  else
    rm -f "$cache"
    echo "-XX:AOTCacheOutput=$cache"
  fi
}
start_service() { # name port management-port [extra env...]
  local name=$1 port=$2 management=$3; shift 3
  local aot; aot=$(aot_options "$name")
  [ -z "$aot" ] || echo "  $name: ${aot#-XX:}"
  # health and metrics on a port of their own, loopback only (monitoring, not clients); logs as text, not the
  # prod profile's JSON (docs/observability.md): people and load-tests/route-latency.py read .run/logs
  env HTTP_PORT="$port" MANAGEMENT_PORT="$management" QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
      QUARKUS_LOG_CONSOLE_JSON_ENABLED="${QUARKUS_LOG_CONSOLE_JSON_ENABLED:-false}" \
      KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP_SERVERS" "$@" \
      java -Xmx512m $aot $JAVA_OPTS -jar "$name/target/quarkus-app/quarkus-run.jar" > "$LOG_DIR/$name.log" 2>&1 &
  PIDS+=($!)
}
# A service behind the gateway: loopback only, its own database role, verifies the gateway's hop tokens.
start_backend() { # name port management-port database [extra env...]
  local name=$1 port=$2 management=$3 db=$4; shift 4
  start_service "$name" "$port" "$management" QUARKUS_HTTP_HOST=127.0.0.1 \
    DB_HOST="$DB_HOST" DB_PORT="$DB_PORT" DB_NAME="$db" DB_USER="${DB_USER:-$db}" DB_PASSWORD="${DB_PASSWORD:-$db}" \
    HOP_TOKEN_PUBLIC_KEY_LOCATION="$HOP_TOKEN_PUBLIC_KEY_LOCATION" "$@"
}

echo "Starting services..."
start_backend queue-service "$QUEUE_PORT" "$QUEUE_MANAGEMENT_PORT" queue
start_backend concert-service "$CONCERT_PORT" "$CONCERT_MANAGEMENT_PORT" concert DEMO_DATA_ENABLED="$DEMO_DATA"
start_backend payment-service "$PAYMENT_PORT" "$PAYMENT_MANAGEMENT_PORT" payment
start_service api-gateway "$GATEWAY_PORT" "$GATEWAY_MANAGEMENT_PORT" QUARKUS_HTTP_HOST="$GATEWAY_HOST" \
  OIDC_ISSUER="$OIDC_ISSUER" HOP_TOKEN_PRIVATE_KEY_LOCATION="$HOP_TOKEN_PRIVATE_KEY_LOCATION" \
  GATEWAY_QUEUE_SERVICE_URL="http://127.0.0.1:$QUEUE_PORT" \
  GATEWAY_CONCERT_SERVICE_URL="http://127.0.0.1:$CONCERT_PORT" \
  GATEWAY_PAYMENT_SERVICE_URL="http://127.0.0.1:$PAYMENT_PORT"

wait_ready() { # name management-port
  local name=$1 port=$2
  for _ in $(seq 1 600); do
    if curl -fs "http://127.0.0.1:$port/q/health/ready" 2>/dev/null | grep -q '"UP"'; then return 0; fi
    sleep 0.5
  done
  echo "$name is not ready after 5 minutes, see $LOG_DIR/$name.log" >&2
  tail -30 "$LOG_DIR/$name.log" >&2
  return 1
}
wait_ready queue-service "$QUEUE_MANAGEMENT_PORT"
wait_ready concert-service "$CONCERT_MANAGEMENT_PORT"
wait_ready payment-service "$PAYMENT_MANAGEMENT_PORT"
wait_ready api-gateway "$GATEWAY_MANAGEMENT_PORT"

cat <<EOF

Concert platform is up (ready in $(( $(date +%s) - started_at )) s).
  Web page for buyers:       http://127.0.0.1:$GATEWAY_PORT/  (sign in as buyer1 / buyer1)
  Gateway (the public API):  http://127.0.0.1:$GATEWAY_PORT/api/v1  (listening on $GATEWAY_HOST)
  API documentation:         http://127.0.0.1:$GATEWAY_PORT/q/swagger-ui  (OpenAPI: /q/openapi)
  Identity provider:         $OIDC_ISSUER
  Health and metrics:        http://127.0.0.1:{$GATEWAY_MANAGEMENT_PORT,$QUEUE_MANAGEMENT_PORT,$CONCERT_MANAGEMENT_PORT,$PAYMENT_MANAGEMENT_PORT}/q/health, /q/metrics
  PostgreSQL:                ${EXTERNAL_POSTGRES:-127.0.0.1:$POSTGRES_PORT} (databases queue, concert, payment)
  Kafka:                     $KAFKA_BOOTSTRAP_SERVERS
  Logs:                      $LOG_DIR

Sign in as a demo account (buyer1..buyer3, operator1; password = user name) and keep its identity token:
  TOKEN=\$(curl -s -d grant_type=password -d client_id=concert-cli -d username=buyer1 -d password=buyer1 $OIDC_ISSUER/protocol/openid-connect/token | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
then call the gateway with -H "Authorization: Bearer \$TOKEN". Many accounts: scripts/create-accounts.sh N [prefix]
Press Ctrl-C to stop.
EOF

# Stay in the foreground until a child dies or we are told to stop.
while true; do
  for pid in "${PIDS[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "A process ($pid) exited unexpectedly; see $LOG_DIR. Stopping the rest." >&2
      exit 1
    fi
  done
  sleep 1 &
  wait $! || true
done
