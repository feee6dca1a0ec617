#!/usr/bin/env bash
# A million sites: 1,000,000 exact sites and 10,000 wildcards (*, **, *.*, a.**.b) written with
# redis-cli --pipe into an external redis-server, then one Portico node (edge, lookup, admin)
# started on them. Reports: time to route an exact host, to "Lookup ready" and to the full load;
# every kind of host (exact, *, **, unknown) answered and resolved to the right pattern; the
# heap (after a full GC) against the same node on an empty database; the admin API listing,
# paging and searching the million sites and listing certificates; and 100,000 sites imported
# through POST /api/v1/sites (100 requests of 1,000). The node starts through bin/portico, with the
# memory a user gets by default (128 MB heap); PORTICO_JAVA_OPTS adds flags after those.
# Run from the repository root after `mvn -q -o -DskipTests package`:
#   bench/million-sites.sh [exact sites] [wildcards]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exact="${1:-1000000}"; wildcards="${2:-10000}"
work="$(mktemp -d)"; pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { date +%s%3N; }

redis_port=$(port); backend_port=$(port)
/usr/bin/redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
  --logfile "$work/redis.log" & pids+=($!)
python3 -m http.server "$backend_port" --bind 127.0.0.1 --directory "$work" >/dev/null 2>&1 & pids+=($!)
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.1; done

echo "Writing $exact exact sites and $wildcards wildcards with redis-cli --pipe"
python3 - "$exact" "$wildcards" "$backend_port" <<'PY' | redis-cli -p "$redis_port" --pipe | tail -1
import sys
exact, wildcards, port = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
site = '{"targets":["127.0.0.1:%s"]}' % port
out = sys.stdout
def cmd(*args):
    out.write("*%d\r\n" % len(args) + "".join("$%d\r\n%s\r\n" % (len(a.encode()), a) for a in args))
kinds = ["*.w%d.bench.test", "**.d%d.bench.test", "*.*.t%d.bench.test", "a.**.b%d.bench.test"]
for i in range(exact):
    cmd("SET", "portico:site:site%d.bench.test" % i, site)
for i in range(wildcards):
    cmd("SET", "portico:site:" + kinds[i % 4] % i, site)
PY
echo "Redis: $(redis-cli -p "$redis_port" dbsize) keys, $(redis-cli -p "$redis_port" info memory | grep used_memory_human | tr -d '\r')"

start_node() {  # $1 database, $2 log file; sets node_pid, http, admin
  http=$(port); admin=$(port); local ops; ops=$(port)
  PORTICO_REDIS_URL="redis://127.0.0.1:$redis_port/$1" PORTICO_ROLES=edge,lookup,admin PORTICO_BIND=127.0.0.1 \
  PORTICO_HTTP_PORT=$http PORTICO_HTTPS_PORT=$(port) PORTICO_ADMIN_PORT=$admin PORTICO_OPS_PORT=$ops \
  PORTICO_SECRET_KEY=bench-secret-key PORTICO_ADMIN_PASSWORD=bench-admin-password PORTICO_EDGE_INSTANCES=1 \
    "$here/bin/portico" > "$2" 2>&1 & node_pid=$!; pids+=($node_pid)
}
heap_used_mb() {  # live objects after a full GC (the histogram forces one), whatever the collector
  jcmd "$1" GC.class_histogram | awk '/^Total/ {printf "%.0f", $3/1048576}'
}
code() { curl -s -o /dev/null -w '%{http_code}' -H "Host: $1" "http://127.0.0.1:$http/"; }

echo "Baseline: the same node on an empty database"
e0=$(now_ms); start_node 1 "$work/empty.log"
until [ "$(code nobody.none.test)" = 404 ]; do sleep 0.05; done; t_empty=$(( $(now_ms) - e0 ))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin/health/live")" = 200 ]; do sleep 0.2; done
sleep 2; base_heap=$(heap_used_mb "$node_pid"); kill "$node_pid"; wait "$node_pid" 2>/dev/null || true

t0=$(now_ms); start_node 0 "$work/node.log"
t_route=""; t_ready=""; t_wild=""
while [ -z "$t_wild" ] || [ -z "$t_route" ]; do
  [ -z "$t_route" ] && [ "$(code site123456.bench.test)" = 200 ] && t_route=$(( $(now_ms) - t0 ))
  [ -z "$t_wild" ] && [ "$(code "x$(now_ms).w8.bench.test")" = 200 ] && t_wild=$(( $(now_ms) - t0 ))
  [ -z "$t_ready" ] && grep -qs "Lookup ready" "$work/node.log" && t_ready=$(( $(now_ms) - t0 ))
  kill -0 "$node_pid" 2>/dev/null || { echo "node died:"; tail -20 "$work/node.log"; exit 1; }
  [ $(( $(now_ms) - t0 )) -gt 300000 ] && { echo "not loaded after 300 s"; tail -5 "$work/node.log"; exit 1; }
  sleep 0.05
done
echo "From the JVM's launch: \"Lookup ready\" after ${t_ready:-?} ms; an exact host routed after $t_route ms, a host under a wildcard after $t_wild ms"
grep -o "Read .* ms" "$work/node.log" || true
echo "StackOverflowError lines: $(grep -c "StackOverflowError" "$work/node.log" || true)"
echo "The same node on the empty database answered its first request after $t_empty ms"

until grep -qs "Portico serving" "$work/node.log"; do sleep 0.5; done
token=$(curl -s -H 'Content-Type: application/json' -d '{"username":"admin","password":"bench-admin-password"}' \
  "http://127.0.0.1:$admin/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
api() { curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$admin$1"; }
echo "| host | kind | status | pattern that serves it |"
echo "| --- | --- | --- | --- |"
for entry in "site999999.bench.test:exact" "x.w8.bench.test:*" "a.b.c.d9.bench.test:**" "p.q.t10.bench.test:*.*" \
    "a.m.n.b11.bench.test:a.**.b" "nobody.none.test:unknown"; do
  host=${entry%%:*}; kind=${entry#*:}
  winner=$(api "/api/v1/resolve/$host" | python3 -c 'import json,sys; d=json.load(sys.stdin); m=d.get("match"); print(m.get("pattern", m) if m else "none")' 2>/dev/null || echo "?")
  echo "| $host | $kind | $(code "$host") | $winner |"
done

used=$(heap_used_mb "$node_pid"); rss=$(ps -o rss= -p "$node_pid" | awk '{printf "%.0f", $1/1024}')
total=$((exact + wildcards))
echo "Heap after GC: $used MB with the sites, $base_heap MB empty: $(( (used - base_heap) * 1048576 / total )) bytes per site for the whole node (process RSS $rss MB)"

until grep -q "Indexed .* sites" "$work/node.log"; do sleep 0.5; done
grep -o "Indexed .* ms" "$work/node.log"
timed() { local s; s=$(now_ms); api "$1" > "$work/answer.json"; echo "| GET $1 | $(( $(now_ms) - s )) ms | $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$work/answer.json") items |"; }
echo "| admin call | time | answer |"
echo "| --- | --- | --- |"
timed "/api/v1/sites?limit=1000"
timed "/api/v1/sites?limit=1000&after=site500000.bench.test"
timed "/api/v1/sites?prefix=site77777"
timed "/api/v1/certificates"

python3 - "$work" "$backend_port" <<'PY'
import json, sys
work, port = sys.argv[1], sys.argv[2]
for r in range(100):
    sites = [{"pattern": "imp%d.bulk.test" % (r * 1000 + i), "site": {"targets": ["127.0.0.1:%s" % port]}} for i in range(1000)]
    json.dump({"sites": sites}, open("%s/import%d.json" % (work, r), "w"))
PY
# one client process for the whole import: on this machine a python3 start-up alone takes about 0.5 s, so
# starting one per request (as this script once did) measured mostly the client (100 requests: ~50 s of 64)
python3 - "$work" "$admin" "$token" <<'PY' > "$work/import.txt"
import http.client, json, sys, time
work, admin, token = sys.argv[1], int(sys.argv[2]), sys.argv[3]
bodies = [open("%s/import%d.json" % (work, r), "rb").read() for r in range(100)]
conn = http.client.HTTPConnection("127.0.0.1", admin)
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
failed = 0; times = []; start = time.monotonic()
for body in bodies:
    t = time.monotonic()
    conn.request("POST", "/api/v1/sites", body, headers); r = conn.getresponse()
    failed += json.loads(r.read())["failed"]; times.append((time.monotonic() - t) * 1000)
print(int((time.monotonic() - start) * 1000), failed, int(sum(times[:10])), int(sorted(times[10:])[45]))
PY
read -r took failed first10 median < "$work/import.txt"
echo "Imported 100,000 sites through POST /api/v1/sites in $took ms ($failed failed; the first 10 requests \
$first10 ms in all, JIT warm-up; the median of the other 90 $median ms); imp99999.bulk.test answers $(code imp99999.bulk.test)"
