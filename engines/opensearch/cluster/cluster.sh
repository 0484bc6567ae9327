#!/usr/bin/env bash
# A 3-node OpenSearch cluster on 127.0.0.1 from the jars fetch.sh laid out; each node its
# own JVM with a small heap. HTTP on 9201-9203, transport on 9301-9303.
#   cluster.sh start [N]   start every node (or node N), wait for green with every node
#   cluster.sh stop  [N]   SIGTERM (SIGKILL after 30 s)
#   cluster.sh kill   N    SIGKILL node N (node-loss tests)
#   cluster.sh status      pids, memory, health
#   cluster.sh clean       stop, delete the nodes' data, logs and config
# Env: OPENSEARCH_DIR (instance/opensearch) OS_VERSION (2.19.6) HEAP (256m) NODES (3)
#      TIMEOUT (180 s) OPENSEARCH_JAVA_OPTS (extra JVM flags, appended last)
set -euo pipefail
OS_VERSION="${OS_VERSION:-2.19.6}"
DIR="$(realpath -m "${OPENSEARCH_DIR:-instance/opensearch}")"
HOME_DIR="$DIR/dist-$OS_VERSION"
RUN="$DIR/run"
HEAP="${HEAP:-256m}" NODES="${NODES:-3}" TIMEOUT="${TIMEOUT:-180}"
# OpenSearch will not run as root: as root, each JVM drops to nobody (setpriv execs, so
# the pid written is the JVM's).
RUN_UID="${RUN_UID:-65534}" RUN_GID="${RUN_GID:-65534}"

pidfile() { echo "$RUN/node$1/opensearch.pid"; }
alive() { local f; f="$(pidfile "$1")"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }
health() { curl -s -m 5 "http://127.0.0.1:$((9200 + $1))/_cluster/health"; }

layout() {  # the config of node N; its data survives a restart
  local n=$1 d="$RUN/node$1" seeds="" names=""
  for i in $(seq 1 "$NODES"); do seeds+="\"127.0.0.1:$((9300 + i))\","; names+="node$i,"; done
  mkdir -p "$d/config" "$d/data" "$d/logs" "$d/tmp"
  cat >"$d/config/opensearch.yml" <<YML
cluster.name: presscut
node.name: node$n
network.host: 127.0.0.1          # loopback only: bootstrap checks warn instead of failing
http.port: $((9200 + n))
transport.port: $((9300 + n))
discovery.seed_hosts: [${seeds%,}]
cluster.initial_cluster_manager_nodes: [${names%,}]
path.data: $d/data
path.logs: $d/logs
cluster.routing.allocation.disk.threshold_enabled: false   # a dev box's disk may be >85% full
action.auto_create_index: false
YML
  cat >"$d/config/log4j2.properties" <<'LOG'
status = error
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${sys:opensearch.logs.base_path}${sys:file.separator}${sys:opensearch.logs.node_name}.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
LOG
  if [ "$(id -u)" = 0 ]; then chown -R "$RUN_UID:$RUN_GID" "$d"; fi
}

start_node() {
  local n=$1 d="$RUN/node$1" drop=()
  if alive "$n"; then echo "node$n is running (pid $(cat "$(pidfile "$n")"))"; return; fi
  layout "$n"
  if [ "$(id -u)" = 0 ]; then drop=(setpriv --reuid="$RUN_UID" --regid="$RUN_GID" --clear-groups); fi
  # The launcher's flags (jvm.options), but C1 only, the serial collector and no heap
  # pre-touch: a node starts on 10 CPU s instead of 16-19 and holds 260 MiB instead of 450.
  # shellcheck disable=SC2086
  setsid "${drop[@]}" java -Xms"$HEAP" -Xmx"$HEAP" -Xss1m \
    -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-AlwaysPreTouch \
    -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Djna.nosys=true -XX:-OmitStackTraceInFastThrow \
    -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0 \
    -Dio.netty.allocator.numDirectArenas=0 -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true \
    -Djava.locale.providers=SPI,COMPAT -Djava.io.tmpdir="$d/tmp" -XX:ErrorFile="$d/logs/hs_err_pid%p.log" \
    ${OPENSEARCH_JAVA_OPTS:-} \
    -Dopensearch.path.home="$HOME_DIR" -Dopensearch.path.conf="$d/config" \
    -cp "$HOME_DIR/lib/*" org.opensearch.bootstrap.OpenSearch \
    >"$d/logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$(pidfile "$n")"
  echo "node$n: pid $!, http://127.0.0.1:$((9200 + n)), logs in $d/logs"
}

wait_green() {
  local t0=$SECONDS n
  while (( SECONDS - t0 < TIMEOUT )); do
    for n in $(seq 1 "$NODES"); do
      if ! alive "$n"; then echo "node$n died; see $RUN/node$n/logs:" >&2; tail -20 "$RUN/node$n/logs/stdout.log" >&2; return 1; fi
      if health "$n" | grep -q "\"status\":\"green\".*\"number_of_nodes\":$NODES,"; then
        echo "green with $NODES nodes after $((SECONDS - t0)) s"; return 0; fi
    done
    sleep 1
  done
  echo "not green after $TIMEOUT s: $(health 1)" >&2; return 1
}

stop_node() {
  local n=$1 sig=${2:-TERM} pid
  alive "$n" || { rm -f "$(pidfile "$n")"; return 0; }
  pid=$(cat "$(pidfile "$n")"); kill -s "$sig" "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -f "$(pidfile "$n")"; echo "node$n stopped (SIG$sig, pid $pid)"
}

status() {
  local n
  for n in $(seq 1 "$NODES"); do
    if alive "$n"; then echo "node$n pid $(cat "$(pidfile "$n")") rss $(($(ps -o rss= -p "$(cat "$(pidfile "$n")")") / 1024)) MiB"
    else echo "node$n down"; fi
  done
  for n in $(seq 1 "$NODES"); do if alive "$n"; then health "$n"; echo; break; fi; done
}

case "${1:-}" in
  start) [ -d "$HOME_DIR/lib" ] || { echo "$HOME_DIR is missing: run fetch.sh first" >&2; exit 1; }
         if [ -n "${2:-}" ]; then start_node "$2"; else for n in $(seq 1 "$NODES"); do start_node "$n"; done; fi
         wait_green ;;
  stop)  if [ -n "${2:-}" ]; then stop_node "$2"; else for n in $(seq 1 "$NODES"); do stop_node "$n" & done; wait; fi ;;
  kill)  stop_node "${2:?which node}" KILL ;;
  status) status ;;
  clean) for n in $(seq 1 "$NODES"); do stop_node "$n"; done; rm -rf "$RUN" ;;
  *) sed -n '2,11p' "$0"; exit 2 ;;
esac
