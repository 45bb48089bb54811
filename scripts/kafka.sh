#!/usr/bin/env bash
# A real Apache Kafka broker for local runs and tests: KRaft, one node that is both broker and
# controller, on 127.0.0.1 (no Docker). Jars come from Maven Central (tools/kafka/pom.xml) into
# work/kafka/lib on first use; data in work/kafka/data, logs in work/kafka/logs.
#
#   scripts/kafka.sh start      fetch jars (first use), write server.properties, format (first use),
#                               start in the background and wait until it serves; no-op if running
#   scripts/kafka.sh stop       SIGTERM (controlled shutdown), SIGKILL after a timeout
#   scripts/kafka.sh status     "running ..." (exit 0) or "stopped" (exit 3)
#   scripts/kafka.sh wait       wait until the running broker serves
#   scripts/kafka.sh logs [-f] [N]          last N lines of server.log (default 100), -f follows
#   scripts/kafka.sh topics [TopicCommand args]   default --list
#   scripts/kafka.sh bootstrap  prints host:port
#
# Environment: BACKSTREAM_KAFKA_PORT (default 9092; the controller listens on port+1),
# BACKSTREAM_KAFKA_HEAP (default "-Xms256m -Xmx512m"), BACKSTREAM_KAFKA_START_TIMEOUT (s, default 60),
# BACKSTREAM_KAFKA_STOP_TIMEOUT (s, default 30).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KDIR="$ROOT/work/kafka"
LIB="$KDIR/lib"
DATA="$KDIR/data"
LOGS="$KDIR/logs"
PROPS="$KDIR/server.properties"
PIDFILE="$KDIR/broker.pid"
CLUSTER_ID_FILE="$KDIR/cluster.id"
OUT="$LOGS/kafka.out"          # the broker's stdout/stderr, emptied at each start
POM="$ROOT/tools/kafka/pom.xml"
BROKER_LOG4J="$ROOT/tools/kafka/log4j2-broker.xml"
TOOLS_LOG4J="$ROOT/tools/kafka/log4j2-tools.xml"
STARTED_MARKER="Kafka Server started"   # KafkaRaftServer's last startup line

HOST=127.0.0.1
PORT="${BACKSTREAM_KAFKA_PORT:-9092}"
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65534 ] \
  || { echo "kafka: BACKSTREAM_KAFKA_PORT must be a port number (1-65534), got '$PORT'" >&2; exit 2; }
CPORT=$((PORT + 1))
# shellcheck disable=SC2206
HEAP=(${BACKSTREAM_KAFKA_HEAP:--Xms256m -Xmx512m})
START_TIMEOUT="${BACKSTREAM_KAFKA_START_TIMEOUT:-60}"
STOP_TIMEOUT="${BACKSTREAM_KAFKA_STOP_TIMEOUT:-30}"

say() { echo "kafka: $*" >&2; }
die() { echo "kafka: $*" >&2; exit 1; }
rel() { echo "${1#"$ROOT"/}"; }

# --- processes and ports --------------------------------------------------------------------

# Is $1 the broker of this checkout (a live java running kafka.Kafka with our server.properties)?
# A zombie has an empty cmdline, so a dead child does not count.
is_ours() {
  local cmd
  cmd="$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline")" 2>/dev/null || return 1
  [[ "$cmd" == *" kafka.Kafka $PROPS "* ]]
}

# Is process $1 alive (not gone, not a zombie)? Also true for a child that has not exec'd java yet.
alive() {
  local stat
  stat="$(cat 2>/dev/null <"/proc/$1/stat")" 2>/dev/null || return 1
  stat="${stat##*) }"
  [[ "${stat:0:1}" != [ZX] ]]
}

# Pid of our running broker: the pid file, or (if it was lost) a process with our server.properties.
broker_pid() {
  local pid f
  if [ -f "$PIDFILE" ]; then
    pid="$(cat "$PIDFILE" 2>/dev/null || true)"
    if [[ "$pid" =~ ^[0-9]+$ ]] && is_ours "$pid"; then echo "$pid"; return 0; fi
  fi
  for f in $(grep -lsaF -- "$PROPS" /proc/[0-9]*/cmdline 2>/dev/null || true); do
    pid="${f#/proc/}"; pid="${pid%/cmdline}"
    if is_ours "$pid"; then echo "$pid"; return 0; fi
  done
  return 1
}

tcp_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null; }

# Who listens on port $1 (for messages), as ss sees it.
listener_of() {
  local line
  line="$(ss -Hltnp "sport = :$1" 2>/dev/null | head -1 || true)"
  [ -n "$line" ] && echo "$line" | sed -n 's/.*users:((\(.*\))).*/\1/p' | head -1
}

# Port in the listeners line of the server.properties a running broker was started with.
running_port() { sed -n 's|^listeners=PLAINTEXT://[^:]*:\([0-9]*\),.*|\1|p' "$PROPS" 2>/dev/null; }

# Serves: our process is alive, its startup finished, and the client port accepts connections.
ready() { is_ours "$1" && grep -qF "$STARTED_MARKER" "$OUT" 2>/dev/null && tcp_open "$PORT"; }

# The broker's output and the end of server.log (from byte $1 on, where this start began, if given).
show_failure_logs() {
  local from="${1:-0}" log="$LOGS/server.log"
  if [ -s "$OUT" ]; then echo "--- $(rel "$OUT") (last 20 lines)" >&2; tail -n 20 "$OUT" >&2; fi
  if [ -s "$log" ]; then
    [ "$(stat -c %s "$log")" -ge "$from" ] || from=0     # rolled over meanwhile
    echo "--- $(rel "$log") (last 30 lines)" >&2; tail -c +"$((from + 1))" "$log" | tail -n 30 >&2
  fi
}

# Wait until broker $1 serves, at most $2 seconds. Non-zero if it died or the time ran out.
wait_ready() {
  local pid="$1" deadline=$((SECONDS + $2))
  while :; do
    alive "$pid" || { say "the broker (pid $pid) exited during startup"; return 1; }
    ready "$pid" && return 0
    [ "$SECONDS" -lt "$deadline" ] || { say "the broker (pid $pid) did not come up within $2 s"; return 1; }
    sleep 0.5
  done
}

# SIGTERM, wait up to $2 s for the controlled shutdown, then SIGKILL. $1 is our broker or our own child.
terminate() {
  local pid="$1" deadline=$((SECONDS + $2))
  kill -TERM "$pid" 2>/dev/null || true
  while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.3; done
  if alive "$pid"; then
    say "no exit $2 s after SIGTERM: sending SIGKILL to pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
    while alive "$pid"; do sleep 0.2; done
  fi
}

# Serialise start/stop of this checkout's broker (fd 9; closed for the broker itself).
lock() { mkdir -p "$KDIR"; exec 9>"$KDIR/.lock"; flock -w 120 9 || die "another kafka.sh holds $(rel "$KDIR")/.lock"; }

# --- setup ----------------------------------------------------------------------------------

need_java() { command -v java >/dev/null || die "java not found (Debian: apt-get install openjdk-17-jdk-headless)"; }

# Command-line tools (StorageTool, TopicCommand) on the broker's classpath, quiet logging.
java_tool() {
  java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dlog4j2.configurationFile="$TOOLS_LOG4J" \
    -cp "$LIB/*" "$@"
}

# Jars into work/kafka/lib, again whenever tools/kafka/pom.xml changes (fetched aside, then swapped).
fetch_libs() {
  local want log
  want="$(sha256sum "$POM" | cut -d' ' -f1)"
  [ "$(cat "$LIB/.pom.sha256" 2>/dev/null || true)" = "$want" ] && return 0
  command -v mvn >/dev/null || die "Maven not found (Debian: apt-get install maven): needed once to fetch the Kafka jars"
  say "fetching Apache Kafka jars from Maven Central into $(rel "$LIB") (first use)..."
  mkdir -p "$KDIR"; rm -rf "$LIB.tmp"; log="$KDIR/fetch.log"
  if ! mvn -B -q -f "$POM" -Dkafka.lib.dir="$LIB.tmp" package >"$log" 2>&1; then
    tail -n 30 "$log" >&2; rm -rf "$LIB.tmp"; die "fetching the jars failed (full log: $(rel "$log"))"
  fi
  echo "$want" >"$LIB.tmp/.pom.sha256"
  rm -rf "$LIB"; mv "$LIB.tmp" "$LIB"; rm -f "$log"
}

write_props() {
  mkdir -p "$DATA" "$LOGS"
  cat >"$PROPS.tmp" <<EOF
# Written by scripts/kafka.sh at each start (edits are overwritten). Single-node KRaft: broker + controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CPORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CPORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA

# one node: every replication factor and min ISR is 1
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=0

# large records: a 256-image batch is ~800 KB, an ONNX snapshot ~600 KB
message.max.bytes=16777216
replica.fetch.max.bytes=16777216

# small footprint on a shared 2-core machine
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.cleaner.dedupe.buffer.size=16777216
EOF
  mv "$PROPS.tmp" "$PROPS"
}

# Format the storage once (KRaft needs meta.properties); the cluster id is kept in work/kafka/cluster.id.
format_storage() {
  [ -f "$DATA/meta.properties" ] && return 0
  if [ ! -s "$CLUSTER_ID_FILE" ]; then
    java_tool kafka.tools.StorageTool random-uuid >"$CLUSTER_ID_FILE.tmp"
    mv "$CLUSTER_ID_FILE.tmp" "$CLUSTER_ID_FILE"
  fi
  say "formatting $(rel "$DATA") (cluster id $(cat "$CLUSTER_ID_FILE"))"
  java_tool kafka.tools.StorageTool format -t "$(cat "$CLUSTER_ID_FILE")" -c "$PROPS" >/dev/null
}

# --- commands -------------------------------------------------------------------------------

STARTING_PID=""
abort_start() {
  [ -n "$STARTING_PID" ] || return 0
  # our own child: alive even before it has exec'd java
  if alive "$STARTING_PID"; then say "stopping the half-started broker (pid $STARTING_PID)"; terminate "$STARTING_PID" 10; fi
  rm -f "$PIDFILE"
}

cmd_start() {
  need_java
  lock
  local pid rport who t0 log_from
  if pid="$(broker_pid)"; then
    rport="$(running_port)"
    [ "$rport" = "$PORT" ] || die "this checkout's broker already runs on port $rport (pid $pid): stop it first, or use BACKSTREAM_KAFKA_PORT=$rport"
    echo "$pid" >"$PIDFILE"
    if ! ready "$pid"; then wait_ready "$pid" "$START_TIMEOUT" || { show_failure_logs; die "the running broker (pid $pid) does not serve"; }; fi
    say "already running (pid $pid) on $HOST:$PORT"
    return 0
  fi
  rm -f "$PIDFILE"
  for p in "$PORT" "$CPORT"; do
    if tcp_open "$p"; then
      who="$(listener_of "$p")"
      die "port $HOST:$p is already in use by another process${who:+ ($who)}, not this checkout's broker ($(rel "$KDIR")).
       Stop that process, or choose other ports: BACKSTREAM_KAFKA_PORT=<port> (the controller uses port+1)."
    fi
  done

  fetch_libs
  write_props
  format_storage

  t0=$(date +%s.%N)
  log_from="$(stat -c %s "$LOGS/server.log" 2>/dev/null || echo 0)"
  : >"$OUT"
  trap 'abort_start' EXIT
  trap 'exit 130' INT TERM
  # setsid: its own session, so a terminal's Ctrl-C or hang-up does not reach it (`stop` does)
  setsid java "${HEAP[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dkafka.logs.dir="$LOGS" -Dlog4j2.configurationFile="$BROKER_LOG4J" \
    -cp "$LIB/*" kafka.Kafka "$PROPS" >"$OUT" 2>&1 </dev/null 9>&- &
  STARTING_PID=$!
  echo "$STARTING_PID" >"$PIDFILE"
  if ! wait_ready "$STARTING_PID" "$START_TIMEOUT"; then
    show_failure_logs "$log_from"
    exit 1     # the EXIT trap stops the half-started broker
  fi
  pid="$STARTING_PID"; STARTING_PID=""
  trap - EXIT INT TERM
  say "started (pid $pid) on $HOST:$PORT in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s; data $(rel "$DATA"), logs $(rel "$LOGS")"
}

cmd_stop() {
  lock
  local pid
  if ! pid="$(broker_pid)"; then rm -f "$PIDFILE"; say "not running"; return 0; fi
  say "stopping (pid $pid)..."
  terminate "$pid" "$STOP_TIMEOUT"
  rm -f "$PIDFILE"
  say "stopped"
}

cmd_status() {
  local pid who
  if pid="$(broker_pid)"; then
    if ready "$pid"; then
      echo "running (pid $pid, bootstrap $HOST:$(running_port), data $(rel "$DATA"), logs $(rel "$LOGS"))"
    else
      echo "running, not serving yet (pid $pid)"
    fi
    return 0
  fi
  if tcp_open "$PORT"; then
    who="$(listener_of "$PORT")"
    echo "stopped (but another process listens on $HOST:$PORT${who:+: $who})"
  else
    echo "stopped"
  fi
  return 3
}

cmd_wait() {
  local pid
  pid="$(broker_pid)" || die "not running (start it with: scripts/kafka.sh start)"
  wait_ready "$pid" "$START_TIMEOUT" || { show_failure_logs; exit 1; }
  say "ready on $HOST:$PORT"
}

cmd_logs() {
  local follow="" n=100
  while [ $# -gt 0 ]; do
    case "$1" in
      -f|--follow) follow=1 ;;
      [0-9]*) n="$1" ;;
      *) die "usage: kafka.sh logs [-f] [N]" ;;
    esac
    shift
  done
  [ -f "$LOGS/server.log" ] || die "no log yet ($(rel "$LOGS")/server.log)"
  if [ -n "$follow" ]; then exec tail -n "$n" -F "$LOGS/server.log"; fi
  tail -n "$n" "$LOGS/server.log"
}

cmd_topics() {
  need_java
  broker_pid >/dev/null || die "not running (start it with: scripts/kafka.sh start)"
  [ $# -gt 0 ] || set -- --list
  java_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$HOST:$PORT" "$@"
}

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; cmd_status "$@" ;;
  wait) shift; cmd_wait "$@" ;;
  logs) shift; cmd_logs "$@" ;;
  topics) shift; cmd_topics "$@" ;;
  bootstrap) echo "$HOST:$PORT" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
