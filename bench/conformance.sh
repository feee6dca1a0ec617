#!/usr/bin/env bash
# Protocol conformance of the built jar, on loopback only: starts Portico (its own embedded Redis)
# with one site and an nginx backend on 127.0.0.1, then runs nghttp and h2load (Debian nghttp2-client)
# over h2c (prior knowledge, plain port) and h2 (ALPN, TLS port), and testssl (Debian testssl.sh)
# against the TLS port. Prints one PASS/FAIL line per check and exits non-zero if any failed.
# Run from the repository root after `mvn -q -DskipTests package`:
#   bench/conformance.sh            # all checks (testssl takes a few minutes)
#   CONFORMANCE_SKIP_TESTSSL=1 bench/conformance.sh   # without testssl (which also needs python3)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/launcher/target/portico.jar"
[ -f "$jar" ] || { echo "build the jar first: mvn -q -DskipTests package" >&2; exit 2; }
for tool in nghttp h2load redis-cli nginx curl; do
  command -v "$tool" > /dev/null || { echo "missing $tool (Debian: nghttp2-client, redis-tools, nginx, curl)" >&2; exit 2; }
done
testssl_cmd="$(command -v testssl.sh || command -v testssl || true)"

base="${CONFORMANCE_BASE_PORT:-28180}"
http=$base https=$((base + 1)) admin=$((base + 2)) ops=$((base + 3)) redis=$((base + 4)) backend=$((base + 5))
host=conformance.test
work="$(mktemp -d)"
failures=0
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null; done
  wait 2> /dev/null
  rm -rf "$work"
}
trap cleanup EXIT

check() {  # check <name> <command...>: PASS when the command succeeds
  local name="$1"; shift
  if "$@" > "$work/out" 2>&1; then
    echo "PASS  $name"
  else
    echo "FAIL  $name"; sed 's/^/      /' "$work/out" | tail -15
    failures=$((failures + 1))
  fi
}

{
  echo "worker_processes 1; pid $work/nginx.pid; error_log $work/nginx-error.log; daemon off;"
  echo "events { worker_connections 1024; }"
  echo "http { access_log off; server { listen 127.0.0.1:$backend; location / { return 200 '$(head -c 3000 /dev/urandom | base64 -w0)'; } } }"
} > "$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" > "$work/backend.log" 2>&1 &
pids+=($!)
PORTICO_BIND=127.0.0.1 PORTICO_HTTP_PORT=$http PORTICO_HTTPS_PORT=$https PORTICO_ADMIN_PORT=$admin \
  PORTICO_OPS_PORT=$ops PORTICO_EMBEDDED_REDIS_PORT=$redis PORTICO_DATA_DIR="$work/data" \
  PORTICO_ROLES=edge,lookup PORTICO_EDGE_INSTANCES=1 PORTICO_ACCESS_LOG=off \
  java -jar "$jar" > "$work/portico.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$ops/health/ready" > /dev/null && break; sleep 1; done
# tls manual without a stored certificate: HTTPS is served with the fallback certificate
redis-cli -p "$redis" SET "portico:site:$host" \
  "{\"targets\":[\"127.0.0.1:$backend\"],\"tls\":\"manual\",\"redirectHttps\":false}" > /dev/null
sleep 2

check "nghttp h2c (prior knowledge): GET 200" \
  bash -c "nghttp -nv -H ':authority: $host' http://127.0.0.1:$http/ | grep -q ':status: 200'"
check "nghttp h2 over TLS (ALPN h2): GET 200" \
  bash -c "nghttp -nv -H ':authority: $host' https://127.0.0.1:$https/ | grep -q ':status: 200'"
check "nghttp h2c: server SETTINGS announce MAX_CONCURRENT_STREAMS(0x03):100" \
  bash -c "nghttp -nv -H ':authority: $host' http://127.0.0.1:$http/ | grep -q 'SETTINGS_MAX_CONCURRENT_STREAMS(0x03):100'"
all_succeeded() {  # all_succeeded <requests> h2load-args...: h2load's summary says every request got 2xx
  local n="$1"; shift
  h2load "$@" | grep -E '^(requests|status codes):' | tee /dev/stderr | grep -q "^status codes: $n 2xx"
}
check "h2load h2c: 2000 requests, 10 clients x 10 streams, all 2xx" \
  all_succeeded 2000 -n 2000 -c 10 -m 10 -H ":authority: $host" "http://127.0.0.1:$http/"
check "h2load h2 over TLS: 2000 requests, 10 clients x 10 streams, all 2xx" \
  all_succeeded 2000 -n 2000 -c 10 -m 10 -H ":authority: $host" "https://127.0.0.1:$https/"
check "h2load h2c asking for 500 streams per connection: held to the announced 100, all 2xx" \
  all_succeeded 2000 -n 2000 -c 2 -m 500 -H ":authority: $host" "http://127.0.0.1:$http/"
check "h2load HTTP/1.1: 1000 requests, 10 clients, all 2xx" \
  all_succeeded 1000 --h1 -n 1000 -c 10 -H ":authority: $host" "http://127.0.0.1:$http/"

if [ -n "$testssl_cmd" ] && [ -z "${CONFORMANCE_SKIP_TESTSSL:-}" ]; then
  # protocols, cipher categories, forward secrecy, server preferences, known vulnerabilities
  "$testssl_cmd" --quiet --color 0 --warnings off --fast -p -s -f -P -U \
    --jsonfile "$work/testssl.json" "127.0.0.1:$https" > "$work/testssl.txt" 2>&1
  findings() {  # findings <python condition on f>: ids of testssl findings that match
    python3 -c 'import json, sys
for f in json.load(open(sys.argv[1])):
    if eval(sys.argv[2]): print(f["severity"], f["id"], f["finding"])' "$work/testssl.json" "$1"
  }
  check "testssl: SSLv2, SSLv3, TLS 1.0, TLS 1.1 not offered" \
    test "$(findings 'f["id"] in ("SSLv2", "SSLv3", "TLS1", "TLS1_1") and f["finding"] == "not offered"' | wc -l)" = 4
  check "testssl: TLS 1.2 and TLS 1.3 offered" \
    test "$(findings 'f["id"] in ("TLS1_2", "TLS1_3") and f["finding"].startswith("offered")' | wc -l)" = 2
  check "testssl: no finding of severity LOW, MEDIUM, HIGH or CRITICAL" \
    test -z "$(findings 'f["severity"] in ("LOW", "MEDIUM", "HIGH", "CRITICAL")')"
  echo "      testssl findings other than OK and INFO:"
  findings 'f["severity"] not in ("OK", "INFO")' | sed 's/^/        /'
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed; Portico's log:"; tail -20 "$work/portico.log"
  exit 1
fi
echo "all checks passed"
