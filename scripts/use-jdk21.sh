# Sourced by ./run.sh, .ci/run and the load-test scripts: finds a JDK 21 or newer and exports
# JAVA_HOME and PATH for it (the Maven wrapper, the services and Keycloak all need Java 21+).
# Order: $JAVA_HOME, the `java` on PATH, then every JDK under /usr/lib/jvm and /opt (newest first).

_jdk_major() { # java executable -> major version, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -1
}

_jdk_ok() { # JDK home -> true when it has a java and javac of version 21 or newer
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local v; v=$(_jdk_major "$1/bin/java")
  [ -n "$v" ] && [ "$v" -ge 21 ]
}

_find_jdk21() {
  if [ -n "${JAVA_HOME:-}" ] && _jdk_ok "$JAVA_HOME"; then echo "$JAVA_HOME"; return 0; fi
  if command -v java >/dev/null 2>&1; then
    local home; home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if _jdk_ok "$home"; then echo "$home"; return 0; fi
  fi
  local d
  for d in $(ls -d /usr/lib/jvm/* /opt/*jdk* /opt/java/* 2>/dev/null | sort -rV); do
    if [ -d "$d" ] && [ ! -L "$d" ] && _jdk_ok "$d"; then echo "$d"; return 0; fi
  done
  return 1
}

if _jdk21_home=$(_find_jdk21); then
  export JAVA_HOME="$_jdk21_home"
  export PATH="$JAVA_HOME/bin:$PATH"
else
  echo "A JDK 21 or newer is needed (Keycloak and the services are built for Java 21)." >&2
  echo "None found in JAVA_HOME, on PATH, or under /usr/lib/jvm and /opt." >&2
  echo "Install one (e.g. apt-get install openjdk-21-jdk-headless, or Temurin 21/25) or set JAVA_HOME." >&2
  return 1 2>/dev/null || exit 1
fi
unset _jdk21_home
