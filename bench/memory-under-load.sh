#!/usr/bin/env bash
# Resident memory of Portico started by bin/portico (its default JVM flags, or PORTICO_JAVA_OPTS)
# while wrk holds many keep-alive connections on rotating hosts. Needs nginx, redis-server, wrk.
#   bench/memory-under-load.sh [connections=1024] [seconds=600] [hosts=1000]
# Prints an RSS sample (MB) every 10 s and the maximum; wrk's summary at the end. Portico runs at its
# defaults (all roles, PORTICO_TRANSPORT and the like from the environment) but for the per-address
# connection limit: every wrk connection comes from 127.0.0.1, and the default limit (512) would close
# the rest as they are accepted, which measures the limit, not 1,024 connections.
# Ports 27300..27303 (backend, Portico HTTP, admin, Redis).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
connections="${1:-1024}"; seconds="${2:-600}"; hosts="${3:-1000}"
work="$(mktemp -d /tmp/portico-memory.XXXXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

redis-server --port 27303 --save "" --appendonly no --daemonize no > "$work/redis.log" 2>&1 & pids+=($!)
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes 1; daemon off; pid $work/nginx/nginx.pid; error_log $work/nginx/error.log warn;
worker_rlimit_nofile 16384; events { worker_connections 8192; }
http { access_log off; keepalive_requests 100000000; client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy; fastcgi_temp_path $work/nginx/f; uwsgi_temp_path $work/nginx/u; scgi_temp_path $work/nginx/s;
  server { listen 127.0.0.1:27300 default_server backlog=4096; location / { return 200 "backend body of a fixed size"; } } }
NGINX
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" & pids+=($!)

for i in $(seq 1 "$hosts"); do echo "h$i.bench.test"; done > "$work/hosts.txt"
sleep 1
while read -r h; do printf 'SET portico:site:%s "{\\"targets\\":[\\"127.0.0.1:27300\\"]}"\n' "$h"; done < "$work/hosts.txt" \
  | redis-cli -p 27303 > /dev/null

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
PORTICO_HTTP_PORT=27301 PORTICO_ADMIN_PORT=27302 PORTICO_REDIS_URL=redis://127.0.0.1:27303 \
  PORTICO_SECRET_KEY=bench-secret-key PORTICO_BIND=127.0.0.1 PORTICO_DATA_DIR="$work/data" \
  PORTICO_MAX_CONNECTIONS_PER_ADDRESS="${PORTICO_MAX_CONNECTIONS_PER_ADDRESS:-4096}" \
  "$root/bin/portico" > >(grep -v '^{"time"' > "$work/portico.log") 2>&1 & pids+=($!) # no access-log lines (GBs)
portico=$!
for _ in $(seq 1 60); do curl -fs -o /dev/null -H 'Host: h1.bench.test' http://127.0.0.1:27301/ && break; sleep 1; done

wrk -t2 -c"$connections" -d"${seconds}s" --timeout 5s -s "$root/../shared/bench/wrk/rotate_hosts.lua" \
  http://127.0.0.1:27301/ -- "$work/hosts.txt" > "$work/wrk.txt" 2>&1 & wrk=$!; pids+=($wrk)
max=0
while kill -0 "$wrk" 2>/dev/null; do
  sleep 10
  rss=$(( $(awk '/VmRSS/ {print $2}' "/proc/$portico/status") / 1024 ))
  [ "$rss" -gt "$max" ] && max=$rss
  echo "rss_mb $rss"
done
echo "max_rss_mb $max (connections $connections, ${seconds}s, PORTICO_JAVA_OPTS='${PORTICO_JAVA_OPTS:-}')"
grep -v BENCH_JSON "$work/wrk.txt"
