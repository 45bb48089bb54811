#!/usr/bin/env bash
# Proves a running broker works, with Debian's kcat as an outside client (exit 0 = all good):
# metadata, a small record and a 1 MiB record produced and read back, a consumer-group read
# (group coordinator, __consumer_offsets), a transactional produce read back with read_committed.
# With --transactions also the Java client's commit and abort through a read_committed consumer
# (tools/kafka/TxSmoke.java; needs the jars in work/kafka/lib, i.e. a broker started by scripts/kafka.sh).
#
#   scripts/kafka-smoke.sh [--transactions] [BOOTSTRAP]   default: $BACKSTREAM_KAFKA_BOOTSTRAP,
#                                                         else 127.0.0.1:${BACKSTREAM_KAFKA_PORT:-9092}
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tx=""
if [ "${1:-}" = "--transactions" ]; then tx=1; shift; fi
BOOTSTRAP="${1:-${BACKSTREAM_KAFKA_BOOTSTRAP:-127.0.0.1:${BACKSTREAM_KAFKA_PORT:-9092}}}"
TOPIC="backstream.smoke"
BIG=$((1024 * 1024))

fail() { echo "kafka-smoke: FAILED: $*" >&2; exit 1; }
ok() { echo "kafka-smoke: ok: $*" >&2; }
command -v kcat >/dev/null || fail "kcat not found (Debian: apt-get install kcat)"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
run="$(date +%s)-$$-$RANDOM"

# 1. metadata: the broker answers and advertises the address we dialled
timeout 20 kcat -L -b "$BOOTSTRAP" -m 10 >"$tmp/meta" 2>&1 || { cat "$tmp/meta" >&2; fail "no metadata from $BOOTSTRAP"; }
grep -q "broker 1 at $BOOTSTRAP" "$tmp/meta" || { cat "$tmp/meta" >&2; fail "broker 1 does not advertise $BOOTSTRAP"; }
ok "metadata from $BOOTSTRAP"

# 2. a small record and a 1 MiB record (the topic is auto-created on first use), both to partition 0
printf 'hello %s' "$run" >"$tmp/small"
head -c "$BIG" /dev/urandom >"$tmp/big"
timeout 30 kcat -P -b "$BOOTSTRAP" -t "$TOPIC" -p 0 -k "small-$run" "$tmp/small" 2>"$tmp/err" \
  || { cat "$tmp/err" >&2; fail "producing a small record"; }
timeout 30 kcat -P -b "$BOOTSTRAP" -t "$TOPIC" -p 0 -k "big-$run" -X message.max.bytes=$((2 * BIG)) "$tmp/big" 2>"$tmp/err" \
  || { cat "$tmp/err" >&2; fail "producing a 1 MiB record (broker message.max.bytes too small?)"; }

# read back the last two records of partition 0: ours, in order, byte for byte
timeout 30 kcat -C -b "$BOOTSTRAP" -t "$TOPIC" -p 0 -o -2 -c 2 -e -f '%k %S\n' >"$tmp/got" 2>"$tmp/err" \
  || { cat "$tmp/err" >&2; fail "consuming"; }
printf 'small-%s %s\nbig-%s %s\n' "$run" "$(wc -c <"$tmp/small")" "$run" "$BIG" >"$tmp/want"
diff "$tmp/want" "$tmp/got" >&2 || fail "read back other records than produced (want/got above)"
timeout 30 kcat -C -b "$BOOTSTRAP" -t "$TOPIC" -p 0 -o -1 -c 1 -e -D '' -f '%s' >"$tmp/big.back" 2>"$tmp/err" \
  || { cat "$tmp/err" >&2; fail "consuming the 1 MiB record"; }
cmp -s "$tmp/big" "$tmp/big.back" || fail "the 1 MiB record came back different"
ok "produced and consumed a small and a 1 MiB record on $TOPIC"

# 3. a consumer group (balanced consumer: group coordinator, __consumer_offsets)
timeout 60 kcat -C -b "$BOOTSTRAP" -G "backstream-smoke-$run" -o beginning -c 1 -e -f '%k\n' "$TOPIC" \
  >"$tmp/group" 2>"$tmp/err" || { cat "$tmp/err" >&2; fail "consumer group read"; }
[ -s "$tmp/group" ] || { cat "$tmp/err" >&2; fail "consumer group read returned nothing"; }
ok "consumer group read"

# 4. a transactional producer (InitProducerId needs the transaction state topic: replication 1 on one node)
printf 'tx %s' "$run" >"$tmp/txrec"
timeout 60 kcat -P -b "$BOOTSTRAP" -t "$TOPIC" -p 0 -k "tx-$run" -X transactional.id="backstream-smoke-$run" \
  "$tmp/txrec" 2>"$tmp/err" || { cat "$tmp/err" >&2; fail "transactional produce"; }
# (the last offset is the transaction's commit marker, which consumers skip)
timeout 30 kcat -C -b "$BOOTSTRAP" -t "$TOPIC" -p 0 -o -3 -e -X isolation.level=read_committed -f '%k %s\n' \
  >"$tmp/got" 2>"$tmp/err" || { cat "$tmp/err" >&2; fail "read_committed consume"; }
grep -qxF "tx-$run tx $run" "$tmp/got" || { cat "$tmp/got" "$tmp/err" >&2; fail "committed transactional record not read back"; }
ok "transactional produce committed, read back with read_committed"

# 5. transactions through the Java client: commit visible, abort invisible
if [ -n "$tx" ]; then
  lib="$ROOT/work/kafka/lib"
  [ -f "$lib/.pom.sha256" ] || fail "--transactions needs the Kafka jars in $lib (scripts/kafka.sh start fetches them)"
  timeout 120 java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$ROOT/tools/kafka/log4j2-tools.xml" -cp "$lib/*" \
    "$ROOT/tools/kafka/TxSmoke.java" "$BOOTSTRAP" >"$tmp/tx" 2>&1 || { cat "$tmp/tx" >&2; fail "transactional round trip"; }
  ok "$(tail -n 1 "$tmp/tx")"
fi
echo "kafka-smoke: broker at $BOOTSTRAP works" >&2
