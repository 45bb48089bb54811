#!/usr/bin/env bash
# How long a data-loader SIGKILLed and started again (as a supervisor or Kubernetes restarts it) waits
# until its three consumer groups (runs.control, runs.progress, runs.state) have their partitions
# back. Without static membership that is the dead member's session timeout (45 s); with it, the
# restarted member takes its place at once. Prints the seconds from each start to the last group's
# assignment (Kafka's "Notifying assignor about the new Assignment" log line).
#
#   mvn -B -o -q package -DskipTests -pl data-loader -am
#   BACKSTREAM_KAFKA_PORT=39092 ./backstream kafka start
#   BACKSTREAM_KAFKA_BOOTSTRAP=127.0.0.1:39092 bench/loader-rejoin.sh [http-port, default 38181]
#
# Run it with no other loader on the broker, and again only a minute after a previous run (its killed
# member must have expired first).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/data-loader/target/quarkus-app/quarkus-run.jar"
PORT="${1:-38181}"
OUT="$(mktemp -d)"
ASSIGNED="Notifying assignor about the new Assignment"
[ -f "$JAR" ] || { echo "build the loader first: $JAR is missing" >&2; exit 1; }

start() { # $1 log file; prints the pid
  java -Xmx512m -Dbackstream.home="$ROOT" -Dquarkus.http.port="$PORT" \
    -Dquarkus.log.category.\"org.apache.kafka.clients.consumer.internals.ConsumerCoordinator\".level=INFO \
    -jar "$JAR" >"$1" 2>&1 &
  echo $!
}

seconds_until_assigned() { # $1 log file; waits for 3 assignments (at most 150 s)
  local t0 now n
  t0=$(date +%s%N)
  while :; do
    n=$(grep -c "$ASSIGNED" "$1" || true)
    now=$(date +%s%N)
    if [ "$n" -ge 3 ]; then echo "scale=1; ($now - $t0) / 1000000000" | bc; return; fi
    if [ $(( (now - t0) / 1000000000 )) -ge 150 ]; then echo "more than 150"; return; fi
    sleep 0.2
  done
}

pid=$(start "$OUT/first.log")
echo "first start: groups assigned after $(seconds_until_assigned "$OUT/first.log") s"
sleep 3
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
sleep 1   # the local supervisor's first restart delay
pid=$(start "$OUT/second.log")
echo "after SIGKILL: groups assigned $(seconds_until_assigned "$OUT/second.log") s after the restart"
kill "$pid"; sleep 5; kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
echo "logs in $OUT"
