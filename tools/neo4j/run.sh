#!/usr/bin/env bash
# Neo4j Community 5.26 in-process (tools/neo4j/Server.java), for graphkit's tests and benches. No Docker.
#
#   tools/neo4j/run.sh build                 build target/ with Maven if pom.xml or the source changed
#   tools/neo4j/run.sh start [--data DIR] [--run-dir DIR] [--read-only] [--no-plugins]
#                                            build if needed, start in the background, wait until Bolt
#                                            answers, print NEO4J_URI=neo4j://127.0.0.1:PORT; --no-plugins:
#                                            without APOC (graphkit calls none of it; its registration costs
#                                            CPU at each start: the tests' servers start so)
#   tools/neo4j/run.sh status [--run-dir DIR]  print NEO4J_URI=… of the running server, or exit 1
#   tools/neo4j/run.sh stop [--run-dir DIR]    stop it (SIGTERM, then SIGKILL after 60 s); a temporary
#                                            data folder is removed
#   tools/neo4j/run.sh import --data DIR ARGS   neo4j-admin database import full @ARGS (database neo4j) into the data
#                                            folder DIR (ARGS: the import.args that graphkit load
#                                            --neo4j-import-dir writes); then run.sh start --data DIR
#
# Credentials: NEO4J_USER (default neo4j) and NEO4J_PASSWORD (default graphkit-test, the tests' password;
# 8 characters or more). Bolt listens on 127.0.0.1 only, on a free port (NEO4J_PORT to choose one),
# authentication on, APOC core installed. The data folder is a new temporary folder unless --data DIR
# is given (DIR is kept). --read-only starts the neo4j database read-only (server.databases.read_only):
# every user can read, none can write (Community has no roles; see docker/README.md); the database
# must exist (written by a start without --read-only on the same --data DIR).
# Memory: NEO4J_HEAP (JVM -Xmx, default 1g), NEO4J_PAGECACHE (default 512m). NEO4J_JVM_OPTS: more JVM options for
# the server and the importer (the tests set -XX:TieredStopAtLevel=1: see tests/conftest.py). Start timeout:
# NEO4J_START_TIMEOUT seconds (default 300). The pid, the URI and the log are in the run folder
# (default tools/neo4j/target/run).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TARGET="$HERE/target"
JAR="$TARGET/graphkit-neo4j-server-1.jar"
STAMP="$TARGET/.built"
MAIN=org.graphkit.neo4j.Server

die() { echo "run.sh: $*" >&2; exit 1; }

java_bin() {
  local j="java"
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then j="$JAVA_HOME/bin/java"; fi
  command -v "$j" >/dev/null 2>&1 || die "no java on PATH (Java 17 or newer is needed)"
  local v
  v="$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [[ "${v%%.*}" -ge 17 ]] 2>/dev/null || die "Java 17 or newer is needed, $j is ${v:-unknown}"
  echo "$j"
}

build() {
  local stale=""
  if [[ ! -f "$STAMP" ]]; then
    stale=yes
  elif [[ -n "$(find "$HERE/pom.xml" "$HERE/src" -newer "$STAMP" -print -quit)" ]]; then
    stale=yes
  fi
  [[ -z "$stale" ]] && return 0
  command -v mvn >/dev/null 2>&1 || die "no mvn on PATH (Maven builds the server)"
  rm -f "$STAMP"
  # offline first (everything already in the local Maven repository), else fetch from Maven Central
  local log
  log="$(mktemp)"
  if ! mvn -B -q -o -f "$HERE/pom.xml" package >"$log" 2>&1; then
    mvn -B -q -f "$HERE/pom.xml" package >&2 || { rm -f "$log"; die "mvn package failed (see above)"; }
  fi
  rm -f "$log"
  touch "$STAMP"
}

RUN_DIR="${NEO4J_RUN_DIR:-$TARGET/run}"
DATA=""
READ_ONLY=""
PLUGINS=yes
parse() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --data) DATA="${2:?--data needs a folder}"; shift 2 ;;
      --run-dir) RUN_DIR="${2:?--run-dir needs a folder}"; shift 2 ;;
      --read-only) READ_ONLY=yes; shift ;;
      --no-plugins) PLUGINS=""; shift ;;
      *) die "unknown argument $1" ;;
    esac
  done
}

bytes() {  # 512m, 1g, 1048576 -> bytes
  local v="${1,,}"
  case "$v" in
    *g) echo $(( ${v%g} * 1024 * 1024 * 1024 )) ;;
    *m) echo $(( ${v%m} * 1024 * 1024 )) ;;
    *k) echo $(( ${v%k} * 1024 )) ;;
    *) echo $(( v )) ;;
  esac
}

alive() {  # the pid is running and is our server (not a reused pid)
  local pid="$1"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$MAIN"
}

bolt_answers() {  # a Bolt handshake: magic, four proposed versions; the server answers with one it speaks
  local port="$1" answer
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf '\x60\x60\xb0\x17\x00\x08\x08\x05\x00\x00\x04\x04\x00\x00\x00\x00\x00\x00\x00\x00' >&3
  answer="$(timeout 10 head -c 4 <&3 | od -An -tx1 | tr -d ' \n')" || true
  exec 3<&- 3>&-
  [[ ${#answer} -eq 8 && "$answer" != "00000000" ]]
}

start() {
  parse "$@"
  local java pid uri port deadline home
  java="$(java_bin)"
  mkdir -p "$RUN_DIR"
  if [[ -f "$RUN_DIR/neo4j.pid" ]] && alive "$(cat "$RUN_DIR/neo4j.pid")"; then
    die "already running (pid $(cat "$RUN_DIR/neo4j.pid"), $(cat "$RUN_DIR/neo4j.uri" 2>/dev/null)); run.sh stop first"
  fi
  rm -f "$RUN_DIR/neo4j.pid" "$RUN_DIR/neo4j.uri" "$RUN_DIR/neo4j.tmpdata" "$RUN_DIR/neo4j.conf"
  build
  export NEO4J_USER="${NEO4J_USER:-neo4j}"
  export NEO4J_PASSWORD="${NEO4J_PASSWORD:-graphkit-test}"
  if [[ -n "$DATA" ]]; then
    mkdir -p "$DATA"
    home="$(cd "$DATA" && pwd)"
  else
    home="$(mktemp -d "${TMPDIR:-/tmp}/graphkit-neo4j.XXXXXX")"
    echo "$home" >"$RUN_DIR/neo4j.tmpdata"
  fi
  local conf_args=()
  if [[ -n "$READ_ONLY" ]]; then
    echo "server.databases.read_only=neo4j" >"$RUN_DIR/neo4j.conf"
    conf_args=(--conf "$RUN_DIR/neo4j.conf")
  fi
  local port_arg="${NEO4J_PORT:-0}"
  local plugin_args=()
  if [[ -n "$PLUGINS" ]]; then plugin_args=(--plugins "$TARGET/plugins"); fi
  # setsid: its own session, so a terminal's Ctrl-C or a test runner's process group does not reach it
  # shellcheck disable=SC2086  # NEO4J_JVM_OPTS: options split on spaces
  setsid "$java" -Xmx"${NEO4J_HEAP:-1g}" -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError ${NEO4J_JVM_OPTS:-} \
    -cp "$JAR:$TARGET/lib/*" "$MAIN" --home "$home" --uri-file "$RUN_DIR/neo4j.uri" --port "$port_arg" \
    "${plugin_args[@]}" --pagecache "$(bytes "${NEO4J_PAGECACHE:-512m}")" "${conf_args[@]}" \
    </dev/null >"$RUN_DIR/neo4j.log" 2>&1 &
  pid=$!
  echo "$pid" >"$RUN_DIR/neo4j.pid"
  deadline=$(( SECONDS + ${NEO4J_START_TIMEOUT:-300} ))
  until [[ -s "$RUN_DIR/neo4j.uri" ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$RUN_DIR/neo4j.log" >&2
      rm -f "$RUN_DIR/neo4j.pid"
      die "the server exited before Bolt answered (log: $RUN_DIR/neo4j.log)"
    fi
    if (( SECONDS > deadline )); then
      stop_pid "$pid"
      die "Bolt did not answer within ${NEO4J_START_TIMEOUT:-300} s (log: $RUN_DIR/neo4j.log)"
    fi
    sleep 0.5
  done
  uri="$(cat "$RUN_DIR/neo4j.uri")"
  port="${uri##*:}"
  bolt_answers "$port" || { stop_pid "$pid"; die "port $port does not speak Bolt"; }
  echo "$uri"
}

gone() {  # no such process any more (a zombie left for init to reap counts as gone)
  local pid="$1" state
  [[ -e "/proc/$pid" ]] || return 0
  state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$pid/status" 2>/dev/null)"
  [[ -z "$state" || "$state" == Z ]]
}

stop_pid() {  # only our server (checked once); then wait until the process itself has ended
  local pid="$1" i
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 120); do
    gone "$pid" && return 0
    sleep 0.5
  done
  echo "run.sh: pid $pid did not stop within 60 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  until gone "$pid"; do sleep 0.2; done
}

stop() {
  parse "$@"
  if [[ -f "$RUN_DIR/neo4j.pid" ]]; then
    stop_pid "$(cat "$RUN_DIR/neo4j.pid")"
  fi
  if [[ -f "$RUN_DIR/neo4j.tmpdata" ]]; then
    local tmp
    tmp="$(cat "$RUN_DIR/neo4j.tmpdata")"
    [[ "$tmp" == */graphkit-neo4j.* ]] && rm -rf "$tmp"
  fi
  rm -f "$RUN_DIR/neo4j.pid" "$RUN_DIR/neo4j.uri" "$RUN_DIR/neo4j.tmpdata" "$RUN_DIR/neo4j.conf"
}

status() {
  parse "$@"
  [[ -f "$RUN_DIR/neo4j.pid" ]] && alive "$(cat "$RUN_DIR/neo4j.pid")" && [[ -s "$RUN_DIR/neo4j.uri" ]] \
    || die "not running (run folder $RUN_DIR)"
  cat "$RUN_DIR/neo4j.uri"
}

import_full() {  # neo4j-admin's importer from the same Maven artifacts (org.neo4j:neo4j-import-tool)
  local args=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --data) DATA="${2:?--data needs a folder}"; shift 2 ;;
      *) args="$1"; shift ;;
    esac
  done
  [[ -n "$DATA" && -f "$args" ]] || die "usage: run.sh import --data DIR IMPORT_ARGS_FILE"
  local java
  java="$(java_bin)"
  build
  mkdir -p "$DATA"
  # shellcheck disable=SC2086
  NEO4J_HOME="$(cd "$DATA" && pwd)" "$java" -Xmx"${NEO4J_HEAP:-1g}" ${NEO4J_JVM_OPTS:-} -cp "$TARGET/lib/*" org.neo4j.cli.AdminTool \
    database import full --report-file="$(cd "$DATA" && pwd)/import.report" "@$args"  # not into the caller's folder
}

cmd="${1:-}"
shift || true
case "$cmd" in
  build) mkdir -p "$TARGET"; build ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  status) status "$@" ;;
  import) import_full "$@" ;;
  *) die "usage: run.sh build | start [--data DIR] [--run-dir DIR] [--read-only] | status | stop | import --data DIR ARGS" ;;
esac
