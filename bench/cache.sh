#!/usr/bin/env bash
# The response cache against nginx proxy_cache, one worker each, on loopback: a backend (nginx)
# serving a 1 KiB page with Cache-Control: max-age=300; nginx proxy_cache in front of it; one edge
# instance with a cached site and an uncached one. wrk asks for the same page (cache hits), then
# for a new URL each request (misses, stored), on both the cached and the uncached site.
# Prints req/s and the proxy's CPU time per request (nginx: its worker, which also serves the
# backend on misses; portico: the JVM). Run from the repository root after `mvn -q -DskipTests package`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d /tmp/portico-cache-bench.XXXXXX)
chmod 755 "$work"  # nginx workers run as nobody
duration=${DURATION:-8}
connections=${CONNECTIONS:-32}
backend_port=27311 nginx_cache_port=27312 http_port=27313 admin_port=27314 ops_port=27315 redis_port=27316
head -c 1024 /dev/zero | tr '\0' 'x' > "$work/page.html"
mkdir -p "$work/nginx-cache"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 4096; }
http { access_log off; types { text/html html; }
  proxy_cache_path $work/nginx-cache keys_zone=bench:10m max_size=32m;
  upstream backend { server 127.0.0.1:$backend_port; keepalive 64; }
  server { listen 127.0.0.1:$backend_port; root $work;
    location / { add_header Cache-Control "max-age=300"; try_files /page.html =404; } }
  server { listen 127.0.0.1:$nginx_cache_port;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_cache bench; add_header X-Cache \$upstream_cache_status; } } }
NGINX
nginx -p "$work" -c "$work/nginx.conf" & nginx_pid=$!
PORTICO_HTTP_PORT=$http_port PORTICO_HTTPS_PORT=$((http_port + 10)) PORTICO_ADMIN_PORT=$admin_port \
  PORTICO_OPS_PORT=$ops_port PORTICO_EMBEDDED_REDIS_PORT=$redis_port PORTICO_DATA_DIR="$work/data" \
  PORTICO_EDGE_INSTANCES=1 PORTICO_BIND=127.0.0.1 PORTICO_ACCESS_LOG=off PORTICO_ROLES=edge,lookup \
  java -jar "$here/launcher/target/portico.jar" > "$work/portico.log" 2>&1 & portico_pid=$!
trap 'kill $portico_pid $nginx_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$ops_port/health/ready" >/dev/null && break; sleep 0.2; done
redis-cli -p $redis_port SET portico:site:cached.bench \
  "{\"targets\":[\"127.0.0.1:$backend_port\"],\"compression\":false,\"cache\":{}}" >/dev/null
redis-cli -p $redis_port SET portico:site:plain.bench \
  "{\"targets\":[\"127.0.0.1:$backend_port\"],\"compression\":false}" >/dev/null
cat > "$work/unique.lua" <<'LUA'
local n = 0
request = function() n = n + 1; return wrk.format("GET", "/u/" .. tostring(math.random(1e9)) .. "-" .. n) end
LUA
sleep 1
# CPU seconds (user + system) of the processes given, in clock ticks: a cost per request that holds on a busy machine
ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat))); done; echo $t; }
nginx_workers=$(pgrep -P $nginx_pid -f "worker process" | tr '\n' ' ')
run() {  # name port host pids [script]
  local script=()
  [ -n "${5:-}" ] && script=(-s "$5")
  curl -s -o /dev/null -H "Host: $3" "http://127.0.0.1:$2/"
  wrk -t1 -c"$connections" -d3s -H "Host: $3" "${script[@]}" "http://127.0.0.1:$2/" >/dev/null
  local before after out rps requests
  before=$(ticks $4)
  out=$(wrk -t1 -c"$connections" -d"${duration}s" -H "Host: $3" "${script[@]}" "http://127.0.0.1:$2/")
  after=$(ticks $4)
  echo "$out" >> "$work/wrk.txt"
  rps=$(echo "$out" | awk '/Requests\/sec/ {print int($2)}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  printf '| %s | %s | %s |\n' "$1" "$rps" "$(python3 -c "print(round(($after-$before)/$(getconf CLK_TCK)*1e6/$requests, 1))")"
}
# the JVM compiles its hot paths first (the other rows' warm-ups are short)
for _ in 1 2; do
  wrk -t1 -c"$connections" -d"${WARMUP:-10}s" -H "Host: cached.bench" "http://127.0.0.1:$http_port/" >/dev/null
  wrk -t1 -c"$connections" -d"${WARMUP:-10}s" -H "Host: plain.bench" "http://127.0.0.1:$http_port/" >/dev/null
done
printf 'X-Cache: nginx %s, portico %s\n' \
  "$(curl -s -D- -o /dev/null "http://127.0.0.1:$nginx_cache_port/" | tr -d '\r' | awk -F': ' '/^X-Cache/ {print $2}')" \
  "$(curl -s -D- -o /dev/null -H 'Host: cached.bench' "http://127.0.0.1:$http_port/" | tr -d '\r' | awk -F': ' '/^X-Cache/ {print $2}')"
printf '| %s | req/s | proxy CPU µs/request |\n|---|---:|---:|\n' "row ($connections connections, ${duration} s, one worker each)"
run "nginx proxy_cache, hit" $nginx_cache_port localhost "$nginx_workers"
run "portico cache, hit" $http_port cached.bench $portico_pid
run "portico uncached site (every request to the backend)" $http_port plain.bench $portico_pid
run "portico uncached site, a new URL each request" $http_port plain.bench $portico_pid "$work/unique.lua"
run "portico cache, miss (a new URL each request, stored)" $http_port cached.bench $portico_pid "$work/unique.lua"
run "portico uncached site, a new URL each request (again, after the misses)" $http_port plain.bench $portico_pid \
  "$work/unique.lua"
if [ -n "${VERBOSE:-}" ]; then cat "$work/wrk.txt"; fi
