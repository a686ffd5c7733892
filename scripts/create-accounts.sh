#!/usr/bin/env bash
# Creates many accounts at once in the local Keycloak's concert realm (one admin-API call per 500 accounts):
# <prefix>-1 ... <prefix>-N, password = user name, e-mail verified, role buyer. Existing accounts are kept.
#   scripts/create-accounts.sh 500 rush
# KEYCLOAK_URL [http://127.0.0.1:${KEYCLOAK_PORT:-8180}]  KEYCLOAK_ADMIN [admin]  KEYCLOAK_ADMIN_PASSWORD [admin]
# From Java: platform-testing's KeycloakAccounts does the same (and signs the accounts in).
set -euo pipefail

if [ $# -lt 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
  echo "Usage: $0 N [prefix]   (prefix defaults to user; lower case, as Keycloak stores user names)" >&2
  exit 2
fi
N=$1
PREFIX=$(printf '%s' "${2:-user}" | tr '[:upper:]' '[:lower:]')
KEYCLOAK_URL="${KEYCLOAK_URL:-http://127.0.0.1:${KEYCLOAK_PORT:-8180}}"
REALM=concert
BATCH=500

admin_token=$(curl -sf -d grant_type=password -d client_id=admin-cli \
    --data-urlencode "username=${KEYCLOAK_ADMIN:-admin}" --data-urlencode "password=${KEYCLOAK_ADMIN_PASSWORD:-admin}" \
    "$KEYCLOAK_URL/realms/master/protocol/openid-connect/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p') || true
if [ -z "$admin_token" ]; then
  echo "Could not sign in to $KEYCLOAK_URL as the administrator (is ./run.sh running?)" >&2
  exit 1
fi

started=$(date +%s)
for ((from = 1; from <= N; from += BATCH)); do
  to=$(( from + BATCH - 1 < N ? from + BATCH - 1 : N ))
  users=""
  for ((i = from; i <= to; i++)); do
    u="$PREFIX-$i"
    users+="${users:+,}{\"username\":\"$u\",\"enabled\":true,\"email\":\"$u@accounts.concert.example\",\"emailVerified\":true,"
    users+="\"firstName\":\"Test\",\"lastName\":\"$u\",\"realmRoles\":[\"default-roles-$REALM\"],"
    users+="\"credentials\":[{\"type\":\"password\",\"value\":\"$u\",\"temporary\":false}]}"
  done
  printf '{"ifResourceExists":"SKIP","users":[%s]}' "$users" | curl -sf -o /dev/null -X POST \
      -H "Authorization: Bearer $admin_token" -H "Content-Type: application/json" --data-binary @- \
      "$KEYCLOAK_URL/admin/realms/$REALM/partialImport" \
    || { echo "Creating accounts $PREFIX-$from..$PREFIX-$to failed" >&2; exit 1; }
done
echo "Accounts $PREFIX-1 .. $PREFIX-$N ready in $(( $(date +%s) - started )) s (password = user name)."
