# Runs once, on the first start of an empty PostgreSQL data directory (docker-entrypoint-initdb.d), as the
# superuser: one database per service, owned by that service's own login role, which can connect to nothing
# else (CONNECT is revoked from PUBLIC). No service ever uses the superuser; each service's Flyway
# migrations create its tables at start, as its own role (the owner of its database and of its public schema).
#
# Names and passwords come from the environment, never from this file (the image's entrypoint sources it):
#   <PREFIX>_DB_USER      the role (default: the database's name)
#   <PREFIX>_DB_PASSWORD  its password, or <PREFIX>_DB_PASSWORD_FILE naming a file that holds it
# with <PREFIX> QUEUE, CONCERT and PAYMENT. docker-compose.yml passes the services' own secret files,
# the k8s dev overlay the services' own Secrets. deploy-checks keeps k8s/overlays/dev/init-databases.sh equal.

service_database() { # <database> <variable prefix>
  eval "_role=\${${2}_DB_USER:-$1}"
  eval "_password=\${${2}_DB_PASSWORD:-}"
  eval "_password_file=\${${2}_DB_PASSWORD_FILE:-}"
  if [ -n "$_password_file" ]; then
    _password=$(cat "$_password_file") || exit 1
  fi
  if [ -z "$_password" ]; then
    echo "init-databases: set ${2}_DB_PASSWORD or ${2}_DB_PASSWORD_FILE (the password of role $_role)" >&2
    exit 1
  fi
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
    --set=db="$1" --set=role="$_role" --set=password="$_password" <<'SQL' || exit 1
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
  unset _role _password _password_file
}

service_database queue QUEUE
service_database concert CONCERT
service_database payment PAYMENT
