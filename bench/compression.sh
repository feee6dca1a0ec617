#!/usr/bin/env bash
# Cost of response compression at the edge, per algorithm: one edge instance in front of nginx
# serving a 16 KiB HTML page on loopback, wrk asking for identity, gzip, br and zstd in turn.
# Prints req/s, the edge's CPU µs per request and the bytes per response.
# Run from the repository root after `mvn -q -DskipTests package`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d /tmp/portico-compression.XXXXXX)
chmod 755 "$work"  # nginx workers run as nobody
duration=${DURATION:-8}
backend_port=27301 http_port=27302 admin_port=27303 ops_port=27304 redis_port=27305
python3 - "$work/page.html" <<'PY'
import sys, random
random.seed(7)
words = "edge proxy site route certificate backend compress request header cache redis lookup".split()
body = "".join("<p>" + " ".join(random.choice(words) for _ in range(12)) + "</p>\n" for _ in range(220))
open(sys.argv[1], "w").write("<html><body>\n" + body + "</body></html>\n")
PY
cat > "$work/nginx.conf" <<NGINX
worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 1024; }
http { access_log off; types { text/html html; }
  server { listen 127.0.0.1:$backend_port; root $work; location / { try_files /page.html =404; } } }
NGINX
nginx -p "$work" -c "$work/nginx.conf" & nginx_pid=$!
PORTICO_HTTP_PORT=$http_port PORTICO_HTTPS_PORT=$((http_port + 10)) PORTICO_ADMIN_PORT=$admin_port \
  PORTICO_OPS_PORT=$ops_port PORTICO_EMBEDDED_REDIS_PORT=$redis_port PORTICO_DATA_DIR="$work/data" \
  PORTICO_EDGE_INSTANCES=1 PORTICO_BIND=127.0.0.1 PORTICO_ACCESS_LOG=off PORTICO_ROLES=edge,lookup \
  java -jar "$here/launcher/target/portico.jar" > "$work/portico.log" 2>&1 & portico_pid=$!
trap 'kill $portico_pid $nginx_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$ops_port/health/ready" >/dev/null && break; sleep 0.2; done
redis-cli -p $redis_port SET portico:site:on.bench "{\"targets\":[\"127.0.0.1:$backend_port\"]}" >/dev/null
redis-cli -p $redis_port SET portico:site:off.bench "{\"targets\":[\"127.0.0.1:$backend_port\"],\"compression\":false}" >/dev/null
sleep 1
cpu() { awk '{print $14 + $15}' /proc/$portico_pid/stat; }
printf '| site | Accept-Encoding | req/s | edge µs CPU/req | bytes/response |\n|---|---|---:|---:|---:|\n'
for run in "off.bench identity" "on.bench identity" "on.bench gzip" "on.bench br" "on.bench zstd"; do
  set -- $run
  bytes=$(curl -s -H "Host: $1" -H "Accept-Encoding: $2" "http://127.0.0.1:$http_port/" | wc -c)
  wrk -t1 -c32 -d3s -H "Host: $1" -H "Accept-Encoding: $2" "http://127.0.0.1:$http_port/" >/dev/null
  before=$(cpu)
  out=$(wrk -t1 -c32 -d${duration}s -H "Host: $1" -H "Accept-Encoding: $2" "http://127.0.0.1:$http_port/")
  after=$(cpu)
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print int($2)}')
  hz=$(getconf CLK_TCK)
  us=$(python3 -c "print(round(($after-$before)/$hz*1e6/$requests, 1))")
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$rps" "$us" "$bytes"
done
