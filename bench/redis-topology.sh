#!/usr/bin/env bash
# Redis topologies, on real redis-server processes on loopback:
#  1. replica delay: a master and a node-local replica; an edge reading the replica
#     (PORTICO_REDIS_READ_URL). WRITES sites are SET on the master one after another; for each, the
#     time until the edge routes it (curl polling every 5 ms). Prints p50 / p99 / max.
#  2. managed sweep cost: a Redis refusing CONFIG (notifications off) holding SITES sites; the
#     Redis CPU time and bytes sent over one sweep period (PORTICO_REDIS_SWEEP_S), i.e. what finding
#     direct writes costs at that size.
# Run from the repository root after `mvn -q -DskipTests package`. Needs redis-server, redis-cli, curl.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d /tmp/portico-redis-topology.XXXXXX)
writes=${WRITES:-200} sites=${SITES:-100000} sweep_s=${SWEEP_S:-20}
master=27401 replica=27402 managed=27403 http=27404 ops=27406 backend=27407
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
redis() { redis-server --port "$1" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
  --dbfilename "dump-$1.rdb" "${@:2}" > "$work/redis-$1.log" 2>&1 & pids+=($!); }
node() { env PORTICO_HTTP_PORT=$http PORTICO_HTTPS_PORT=$((http + 1)) PORTICO_ADMIN_PORT=$((http + 4)) \
  PORTICO_OPS_PORT=$ops PORTICO_BIND=127.0.0.1 PORTICO_ACCESS_LOG=off PORTICO_ROLES=edge,lookup \
  PORTICO_EDGE_INSTANCES=1 PORTICO_SECRET_KEY=bench "$@" java -jar "$here/launcher/target/portico.jar" \
  > "$work/portico-$http.log" 2>&1 & pids+=($!); node_pid=$!
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$ops/health/ready" >/dev/null && return; sleep 0.2; done
  echo "node did not become ready" >&2; exit 1; }
python3 -m http.server $backend --bind 127.0.0.1 --directory "$work" > /dev/null 2>&1 & pids+=($!)
site="{\"targets\":[\"127.0.0.1:$backend\"]}"

redis $master; redis $replica --replicaof 127.0.0.1 $master; sleep 1
node PORTICO_REDIS_URL=redis://127.0.0.1:$master PORTICO_REDIS_READ_URL=redis://127.0.0.1:$replica
for i in $(seq "$writes"); do
  host="w$i.replica.bench"
  start=$(date +%s%N)
  redis-cli -p $master SET "portico:site:$host" "$site" > /dev/null
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $host" "http://127.0.0.1:$http/")" = 200 ]; do sleep 0.005; done
  echo $(( ($(date +%s%N) - start) / 1000 ))
done | sort -n > "$work/delays"
awk -v n="$writes" '{d[NR]=$1} END {printf "| replica delay, %d writes | p50 %.1f ms | p99 %.1f ms | max %.1f ms |\n", n, d[int(n*0.5)]/1000, d[int(n*0.99)]/1000, d[n]/1000}' "$work/delays"
kill "$node_pid"; wait "$node_pid" 2>/dev/null || true

redis $managed --rename-command CONFIG ""; sleep 1
python3 - "$sites" "$site" <<'PY' | redis-cli -p $managed --pipe > /dev/null
import sys
site = sys.argv[2].encode()
out = sys.stdout.buffer
for i in range(int(sys.argv[1])):
    key = b"portico:site:s%d.managed.bench" % i
    out.write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(key), key, len(site), site))
PY
node PORTICO_REDIS_URL=redis://127.0.0.1:$managed PORTICO_REDIS_SWEEP_S=$sweep_s
sleep "$sweep_s"  # one sweep to settle
stat() { redis-cli -p $managed INFO | tr -d '\r' | awk -F: -v k="$1" '$1 == k {print $2}'; }
cpu0=$(python3 -c "print($(stat used_cpu_user) + $(stat used_cpu_sys))"); out0=$(stat total_net_output_bytes)
sleep "$sweep_s"
cpu1=$(python3 -c "print($(stat used_cpu_user) + $(stat used_cpu_sys))"); out1=$(stat total_net_output_bytes)
python3 -c "print('| managed sweep, %d sites, period %d s | Redis CPU %.2f s per sweep (%.1f %%) | %.1f MB sent per sweep |' % ($sites, $sweep_s, $cpu1 - $cpu0, ($cpu1 - $cpu0) * 100 / $sweep_s, ($out1 - $out0) / 1e6))"
