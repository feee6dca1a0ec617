#!/usr/bin/env bash
# TLS on loopback, Portico (OpenSSL engine, then JDK engine) against nginx serving the same 200
# certificates from its configuration, both with one worker:
#   handshakes: new full TLS handshakes per second, SNI cycling through the 200 names;
#   keepalive:  HTTPS/1.1 keep-alive requests per second through each proxy to one backend (its
#               own nginx process, 100-byte answers), one SNI name per connection: 16 names, 4
#               connections each (one h2load --h1 per name). Portico runs with its access log at
#               the default; the nginx under test logs nothing.
# Portico starts as a user gets it (bin/portico: its JVM flags); PORTICO_TRANSPORT and
# PORTICO_JAVA_OPTS pass through; TLS_BENCH_ENGINES picks the engines (default "openssl jdk").
# Each result line ends with the server's CPU µs per handshake or request (all its threads; nginx:
# master and worker). TLS_BENCH_WARMUP: seconds of load before each Portico measurement (default
# 20: the JIT still compiles for about 15 s after start; nginx gets 3). TLS_BENCH_PROFILE=<dir>: a
# JFR recording and a perf recording of each measured Portico run there, its CPU by thread beside them.
# Needs nginx, openssl, redis-cli, python3, h2load, and the built jar (./mvnw -q -DskipTests package).
# Usage: bench/tls-handshakes.sh [seconds per run, default 10] [client processes, default 2]
#                                [mode: handshakes, keepalive or all (default)]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-10}"
clients="${2:-2}"
mode="${3:-all}"
warmup="${TLS_BENCH_WARMUP:-20}"
keepalive_names=16
keepalive_connections=4
work="$(mktemp -d /tmp/portico-tls-bench.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 900); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }

echo "generating 200 EC P-256 certificates in $work"
mkdir -p "$work/certs"
for i in $(seq 1 200); do
  name="site$i.bench.test"
  echo "$name" >> "$work/names"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=$name" \
    -addext "subjectAltName=DNS:$name" -keyout "$work/certs/$name.key" -out "$work/certs/$name.crt" 2>/dev/null
done

# --- the backend of the keep-alive mode: its own nginx process ---
backend_port="$(free_port)"
mkdir -p "$work/backend"
{
  echo "worker_processes 1; pid $work/backend/nginx.pid; error_log $work/backend/error.log; daemon off;"
  echo "events { worker_connections 4096; }"
  echo "http { access_log off; keepalive_requests 10000000;"
  echo "  server { listen 127.0.0.1:$backend_port; location / { return 200 \"$(printf 'x%.0s' $(seq 100))\"; } } }"
} > "$work/backend/nginx.conf"
nginx -c "$work/backend/nginx.conf" -p "$work/backend" & pids+=($!)
wait_port "$backend_port"

# --- nginx: one server block per name, one worker (Portico runs one edge instance) ---
nginx_port="$(free_port)"
{
  echo "worker_processes 1; pid $work/nginx.pid; error_log $work/nginx-error.log; daemon off;"
  echo "events { worker_connections 4096; }"
  echo "http { access_log off; ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache off; ssl_session_tickets off;"
  echo "  keepalive_requests 10000000; upstream backend { server 127.0.0.1:$backend_port; keepalive 256; }"
  while read -r name; do
    echo "server { listen 127.0.0.1:$nginx_port ssl; server_name $name;"
    echo "  ssl_certificate $work/certs/$name.crt; ssl_certificate_key $work/certs/$name.key;"
    echo "  location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
  done < "$work/names"
  echo "}"
} > "$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)
nginx_pid=$!
wait_port "$nginx_port"

# CPU clock ticks used so far by processes <pid>... (all their threads)
cpu_ticks() { local p t=0; for p in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done; echo "$t"; }
# CPU clock ticks per thread name (numbers dropped: pools summed) of process <pid>
thread_ticks() { for t in /proc/"$1"/task/*; do echo "$(tr -d '0-9' < "$t/comm" | tr ' ' _) $(awk '{ print $14 + $15 }' "$t/stat")"; done |
  awk '{ n[$1] += $2 } END { for (k in n) print k, n[k] }' | sort; }
# <label> <server pids> <command...>: runs a measurement that prints "count errors rate" and
# prints it after the label, with the servers' CPU µs per counted operation appended.
measured() {
  local label="$1" servers="$2" before result after
  shift 2
  before="$(cpu_ticks $servers)"
  result="$("$@")"
  after="$(cpu_ticks $servers)"
  echo "$label $result $(awk -v n="${result%% *}" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.0f", n ? t * 1e6 / hz / n : 0 }')"
}
# <label> <java pid> <command...>: measured, and with TLS_BENCH_PROFILE set, recorded with JFR and
# the CPU by thread written beside the recording.
measured_java() {
  local label="$1" pid="$2" dir="${TLS_BENCH_PROFILE:-}"
  shift 2
  if [ -z "$dir" ]; then measured "$label" "$pid" "$@"; return; fi
  mkdir -p "$dir"
  thread_ticks "$pid" > "$work/threads-before"
  jcmd "$pid" JFR.start name=bench settings=profile filename="$dir/$label.jfr" > /dev/null
  jcmd "$pid" JFR.stop name=warm-up > /dev/null
  # JFR sees little of the native side (BoringSSL, the kernel): perf samples every thread's CPU
  local perf_pid=""
  if command -v perf > /dev/null; then
    perf record -q -F 499 -g -p "$pid" -o "$dir/$label.perf.data" > /dev/null 2>&1 & perf_pid=$!
  fi
  measured "$label" "$pid" "$@"
  jcmd "$pid" JFR.stop name=bench > /dev/null
  if [ -n "$perf_pid" ]; then
    kill -INT "$perf_pid"; wait "$perf_pid" || true
    jcmd "$pid" Compiler.perfmap > /dev/null   # /tmp/perf-<pid>.map: names for the JIT's code
  fi
  thread_ticks "$pid" | join -a1 - "$work/threads-before" | awk '{ print $2 - $3, $1 }' | sort -rn > "$dir/$label.threads"
}
# With TLS_BENCH_PROFILE set, JFR runs from before the warm-up (name warm-up, discarded): starting
# it instruments JDK classes, which the JIT then compiles again for seconds; measured_java starts
# the kept recording with the same settings, so nothing is compiled again during the measurement.
warm_up_java() {
  if [ -n "${TLS_BENCH_PROFILE:-}" ]; then jcmd "$1" JFR.start name=warm-up settings=profile > /dev/null; fi
}

# Keep-alive HTTPS on <port> for <seconds>: one h2load per name, summed. Prints: requests failed requests/s.
keepalive() {
  local port="$1" duration="$2" loads=() name
  for name in $(head -n "$keepalive_names" "$work/names"); do
    h2load --h1 -c "$keepalive_connections" -t 1 -D "$duration" --connect-to="127.0.0.1:$port" \
      "https://$name:$port/" > "$work/h2load-$name.out" 2>&1 & loads+=($!)
  done
  wait "${loads[@]}"
  cat "$work"/h2load-*.out | awk -v d="$duration" '
    /^requests:/ { ok += $8; failed += $10 + $12 + $14 }
    END { printf "%d %d %.0f\n", ok, failed, ok / d }'
  rm -f "$work"/h2load-*.out
}

# --- Portico: the same certificates in its embedded Redis, a site per name on the same backend ---
run_portico() {
  local engine="$1" https_port redis_port
  https_port="$(free_port)"; redis_port="$(free_port)"
  PORTICO_TLS_ENGINE="$engine" PORTICO_HTTPS_PORT="$https_port" PORTICO_HTTP_PORT="$(free_port)" \
    PORTICO_ADMIN_PORT="$(free_port)" PORTICO_OPS_PORT="$(free_port)" PORTICO_EMBEDDED_REDIS_PORT="$redis_port" \
    PORTICO_DATA_DIR="$work/data-$engine" PORTICO_EDGE_INSTANCES=1 PORTICO_BIND=127.0.0.1 \
    "$here/bin/portico" > "$work/portico-$engine.log" 2>&1 & pids+=($!)
  wait_port "$https_port"
  # what it runs on, from its start log (TLS engine, transport)
  for _ in $(seq 100); do grep -q 'Portico serving' "$work/portico-$engine.log" && break; sleep 0.1; done
  grep -e 'Edge listening' -e 'Portico serving' "$work/portico-$engine.log" | sed "s/^/  portico-$engine: /" || true
  # one RESP stream for every certificate and site (a Python start per name took minutes on a busy machine)
  python3 - "$work" "$backend_port" <<'PY' | redis-cli -p "$redis_port" --pipe > /dev/null
import json, sys
work, backend = sys.argv[1], sys.argv[2]
def command(*args):
    out = [f"*{len(args)}\r\n"]
    for a in args:
        out.append(f"${len(a.encode())}\r\n{a}\r\n")
    return "".join(out)
for name in open(f"{work}/names").read().split():
    cert = {"name": name, "names": [name], "certificatePem": open(f"{work}/certs/{name}.crt").read(),
            "privateKey": "plain:" + open(f"{work}/certs/{name}.key").read(), "source": "manual"}
    sys.stdout.write(command("SET", f"portico:cert:{name}", json.dumps(cert)))
    sys.stdout.write(command("SET", f"portico:site:{name}",
                             json.dumps({"targets": [f"127.0.0.1:{backend}"], "tls": "manual"})))
PY
  if [ "$mode" != keepalive ]; then
    warm_up_java "${pids[-1]}"
    python3 "$here/bench/tls_handshakes.py" "$https_port" "$work/names" "$warmup" "$clients" > /dev/null   # JIT, cache
    measured_java "handshakes-portico-$engine" "${pids[-1]}" \
      python3 "$here/bench/tls_handshakes.py" "$https_port" "$work/names" "$seconds" "$clients"
  fi
  if [ "$mode" != handshakes ]; then
    warm_up_java "${pids[-1]}"
    keepalive "$https_port" "$warmup" > /dev/null   # JIT, backend connections
    measured_java "keepalive-portico-$engine" "${pids[-1]}" keepalive "$https_port" "$seconds"
  fi
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
}

run_nginx() {
  if [ "$mode" != keepalive ]; then
    python3 "$here/bench/tls_handshakes.py" "$nginx_port" "$work/names" 3 "$clients" > /dev/null
    measured handshakes-nginx "$nginx_pid $(pgrep -P "$nginx_pid")" \
      python3 "$here/bench/tls_handshakes.py" "$nginx_port" "$work/names" "$seconds" "$clients"
  fi
  if [ "$mode" != handshakes ]; then
    keepalive "$nginx_port" 3 > /dev/null
    measured keepalive-nginx "$nginx_pid $(pgrep -P "$nginx_pid")" keepalive "$nginx_port" "$seconds"
  fi
}

echo "handshakes: handshakes errors handshakes/s server-µs-CPU/handshake ($clients client processes, TLS 1.3, X25519, ECDSA P-256)"
echo "keepalive:  requests failed requests/s server-µs-CPU/request (HTTP/1.1, $keepalive_names names x $keepalive_connections connections)"
echo "($seconds s each)"
run_nginx
for engine in ${TLS_BENCH_ENGINES:-openssl jdk}; do
  run_portico "$engine"
done
run_nginx
