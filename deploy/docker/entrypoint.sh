#!/bin/sh
# Container entrypoint: the "_FILE" convention for secrets. For every variable NAME_FILE that names a
# readable file (e.g. DB_PASSWORD_FILE=/run/secrets/db_password, a Docker/Compose secret), export NAME
# with the file's content, so a password never has to sit in the container's environment definition.
# Then start the JVM with the base image's run-java.sh (heap sized from the container limits).
set -e
for var in $(env | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)_FILE=.*/\1/p'); do
  file=$(printenv "${var}_FILE")
  if [ -r "$file" ]; then
    export "$var=$(cat "$file")"
    unset "${var}_FILE"
  else
    echo "entrypoint: ${var}_FILE=$file is not a readable file" >&2
    exit 1
  fi
done
exec /opt/jboss/container/java/run/run-java.sh "$@"
