#!/usr/bin/env bash
# New full TLS handshakes per second for 200 names: Portico (OpenSSL engine, then JDK engine)
# against nginx serving the same 200 certificates from its configuration, on loopback.
# Needs nginx, openssl, redis-cli, python3, and the built jar (mvn -q -DskipTests package).
# Usage: bench/tls-handshakes.sh [seconds per run, default 10] [client processes, default 2]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-10}"
clients="${2:-2}"
work="$(mktemp -d /tmp/portico-tls-bench.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }

echo "generating 200 EC P-256 certificates in $work"
mkdir -p "$work/certs"
for i in $(seq 1 200); do
  name="site$i.bench.test"
  echo "$name" >> "$work/names"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=$name" \
    -addext "subjectAltName=DNS:$name" -keyout "$work/certs/$name.key" -out "$work/certs/$name.crt" 2>/dev/null
done

# --- nginx: one server block per name, one worker (Portico runs one edge instance) ---
nginx_port="$(free_port)"
{
  echo "worker_processes 1; pid $work/nginx.pid; error_log $work/nginx-error.log; daemon off;"
  echo "events { worker_connections 4096; }"
  echo "http { access_log off; ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache off; ssl_session_tickets off;"
  while read -r name; do
    echo "server { listen 127.0.0.1:$nginx_port ssl; server_name $name;"
    echo "  ssl_certificate $work/certs/$name.crt; ssl_certificate_key $work/certs/$name.key; return 204; }"
  done < "$work/names"
  echo "}"
} > "$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)
wait_port "$nginx_port"

# --- Portico: the same certificates in its embedded Redis ---
run_portico() {
  local engine="$1" https_port redis_port
  https_port="$(free_port)"; redis_port="$(free_port)"
  PORTICO_TLS_ENGINE="$engine" PORTICO_HTTPS_PORT="$https_port" PORTICO_HTTP_PORT="$(free_port)" \
    PORTICO_ADMIN_PORT="$(free_port)" PORTICO_EMBEDDED_REDIS_PORT="$redis_port" PORTICO_DATA_DIR="$work/data-$engine" \
    PORTICO_EDGE_INSTANCES=1 PORTICO_BIND=127.0.0.1 PORTICO_LOG_LEVEL=WARN \
    java -jar "$here/launcher/target/portico.jar" > "$work/portico-$engine.log" 2>&1 & pids+=($!)
  wait_port "$https_port"
  while read -r name; do
    python3 - "$name" "$work/certs/$name.crt" "$work/certs/$name.key" <<'PY' | redis-cli -p "$redis_port" -x SET "portico:cert:$name" > /dev/null
import json, sys
name, crt, key = sys.argv[1:4]
print(json.dumps({"name": name, "names": [name], "certificatePem": open(crt).read(),
                  "privateKey": "plain:" + open(key).read(), "source": "manual"}), end="")
PY
  done < "$work/names"
  python3 "$here/bench/tls_handshakes.py" "$https_port" "$work/names" 5 "$clients" > /dev/null   # warm-up (JIT, cache)
  echo "portico-$engine $(python3 "$here/bench/tls_handshakes.py" "$https_port" "$work/names" "$seconds" "$clients")"
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
}

echo "run: handshakes errors handshakes/s  ($seconds s each, $clients client processes, TLS 1.3, X25519, ECDSA P-256)"
python3 "$here/bench/tls_handshakes.py" "$nginx_port" "$work/names" 3 "$clients" > /dev/null
echo "nginx $(python3 "$here/bench/tls_handshakes.py" "$nginx_port" "$work/names" "$seconds" "$clients")"
run_portico openssl
run_portico jdk
echo "nginx $(python3 "$here/bench/tls_handshakes.py" "$nginx_port" "$work/names" "$seconds" "$clients")"
