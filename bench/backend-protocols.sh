#!/usr/bin/env bash
# Speaking to backends over TLS and over h2c (issue 18): one run each of wrk through Portico and
# through nginx doing the same, against one nginx backend serving a small page on loopback over
# HTTPS (certificate from a CA this script makes, verified by both proxies, SNI backend.bench)
# and over cleartext HTTP/2 (prior knowledge). nginx cannot proxy plain HTTP to an h2c backend
# (only grpc_pass speaks HTTP/2 upstream), so its h2c row goes to the same backend over HTTP/1.1.
# Prints a table of req/s. Run from the repository root after `mvn -q -DskipTests package`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d /tmp/portico-backendproto.XXXXXX)
chmod 755 "$work"  # nginx workers run as nobody
duration=${DURATION:-8} connections=${CONNECTIONS:-32}
tls_port=27401 h2c_port=27402 h1_port=27403 http_port=27404 admin_port=27405 ops_port=27406 redis_port=27407
nginx_proxy_port=27408
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench-ca \
  -addext basicConstraints=critical,CA:TRUE -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=backend.bench \
  -keyout "$work/backend.key" -out "$work/backend.csr" 2>/dev/null
printf 'subjectAltName=DNS:backend.bench\n' > "$work/san.ext"
openssl x509 -req -in "$work/backend.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
  -extfile "$work/san.ext" -out "$work/backend.pem" 2>/dev/null
head -c 1024 /dev/urandom | base64 -w 0 > "$work/page.txt"
cat > "$work/backend.conf" <<NGINX
worker_processes 1; daemon off; pid $work/backend.pid; error_log $work/backend.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$tls_port ssl http2; ssl_certificate $work/backend.pem;
    ssl_certificate_key $work/backend.key; root $work; location / { try_files /page.txt =404; } }
  server { listen 127.0.0.1:$h2c_port http2; root $work; location / { try_files /page.txt =404; } }
  server { listen 127.0.0.1:$h1_port; root $work; location / { try_files /page.txt =404; } } }
NGINX
cat > "$work/proxy.conf" <<NGINX
worker_processes 1; daemon off; pid $work/proxy.pid; error_log $work/proxy.err;
events { worker_connections 4096; }
http { access_log off;
  upstream tls { server 127.0.0.1:$tls_port; keepalive 64; }
  upstream h1 { server 127.0.0.1:$h1_port; keepalive 64; }
  server { listen 127.0.0.1:$nginx_proxy_port;
    location / {
      proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$remote_addr;
      if (\$host = "h2c.bench") { proxy_pass http://h1; }
      proxy_pass https://tls; proxy_ssl_server_name on; proxy_ssl_name backend.bench;
      proxy_ssl_verify on; proxy_ssl_trusted_certificate $work/ca.pem; proxy_ssl_session_reuse on;
      proxy_ssl_protocols TLSv1.2 TLSv1.3; } } }
NGINX
nginx -p "$work" -c "$work/backend.conf" & backend_pid=$!
nginx -p "$work" -c "$work/proxy.conf" & proxy_pid=$!
PORTICO_HTTP_PORT=$http_port PORTICO_HTTPS_PORT=$((http_port + 10)) PORTICO_ADMIN_PORT=$admin_port \
  PORTICO_OPS_PORT=$ops_port PORTICO_EMBEDDED_REDIS_PORT=$redis_port PORTICO_DATA_DIR="$work/data" \
  PORTICO_EDGE_INSTANCES=1 PORTICO_BIND=127.0.0.1 PORTICO_ACCESS_LOG=off PORTICO_ROLES=edge,lookup \
  java -jar "$here/launcher/target/portico.jar" > "$work/portico.log" 2>&1 & portico_pid=$!
trap 'kill $portico_pid $backend_pid $proxy_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$ops_port/health/ready" >/dev/null && break; sleep 0.2; done
ca_json=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$work/ca.pem")
redis-cli -p $redis_port SET portico:site:https.bench \
  "{\"targets\":[\"https://127.0.0.1:$tls_port\"],\"backendTls\":{\"caPem\":$ca_json,\"serverName\":\"backend.bench\"}}" >/dev/null
redis-cli -p $redis_port SET portico:site:h2c.bench "{\"targets\":[\"h2c://127.0.0.1:$h2c_port\"]}" >/dev/null
redis-cli -p $redis_port SET portico:site:plain.bench "{\"targets\":[\"127.0.0.1:$h1_port\"]}" >/dev/null
sleep 1
for host in https.bench h2c.bench plain.bench; do
  for port in $http_port $nginx_proxy_port; do
    [ "$(curl -s -H "Host: $host" "http://127.0.0.1:$port/")" = "$(cat "$work/page.txt")" ] \
      || { echo "$host on port $port does not serve the page" >&2; cat "$work/portico.log" >&2; exit 1; }
  done
done
rps() {
  wrk -t1 -c"$connections" -d3s -H "Host: $1" "http://127.0.0.1:$2/" >/dev/null
  wrk -t1 -c"$connections" -d"${duration}s" -H "Host: $1" "http://127.0.0.1:$2/" | awk '/Requests\/sec/ {print int($2)}'
}
if [ -n "${HOLD:-}" ]; then echo "holding: Portico on $http_port, nginx on $nginx_proxy_port"; sleep "$HOLD"; exit 0; fi
printf '| backend | Portico req/s | nginx req/s | Portico / nginx |\n|---|---:|---:|---:|\n'
for run in "plain.bench HTTP/1.1" "https.bench HTTPS (HTTP/1.1 over TLS 1.3, verified)" "h2c.bench h2c (nginx: HTTP/1.1)"; do
  host=${run%% *}; label=${run#* }
  portico=$(rps "$host" $http_port)
  nginx=$(rps "$host" $nginx_proxy_port)
  printf '| %s | %s | %s | %s |\n' "$label" "$portico" "$nginx" "$(python3 -c "print(round($portico/$nginx, 2))")"
done
