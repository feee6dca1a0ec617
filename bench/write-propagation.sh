#!/usr/bin/env bash
# Write propagation under write load: three JVMs on one clustered event bus — node A (lookup +
# admin) and two edge-only nodes B and C — against an external redis-server. Both edges serve
# traffic to 100 sites all along while the API takes 1,000 writes a minute to other sites; then
# 200 new sites are written one after another, and for each both edges are polled until it
# routes. Reports, per edge, the time from the API call to the first 200 (p50 / p99 / max), and
# where it went: the API call itself, the change reaching Redis pub/sub, the rest (lookup, event
# bus, edge invalidation, the next poll).
# Run from the repository root after `mvn -q -o -DskipTests package`:  bench/write-propagation.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"; pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

redis_port=$(port); backend_port=$(port)
/usr/bin/redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" & pids+=($!)
python3 -m http.server "$backend_port" --bind 127.0.0.1 --directory "$work" >/dev/null 2>&1 & pids+=($!)
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.1; done

ca=$(port); cb=$(port); cc=$(port); members="127.0.0.1:$ca,127.0.0.1:$cb,127.0.0.1:$cc"
admin=$(port); http_b=$(port); http_c=$(port)
node() {  # name roles cluster-port http-port
  PORTICO_REDIS_URL="redis://127.0.0.1:$redis_port" PORTICO_ROLES=$2 PORTICO_BIND=127.0.0.1 \
  PORTICO_CLUSTER=on PORTICO_CLUSTER_HOST=127.0.0.1 PORTICO_CLUSTER_PORT=$3 PORTICO_CLUSTER_MEMBERS=$members \
  PORTICO_HTTP_PORT=$4 PORTICO_HTTPS_PORT=$(port) PORTICO_ADMIN_PORT=$admin PORTICO_OPS_PORT=$(port) \
  PORTICO_SECRET_KEY=bench-secret-key PORTICO_ADMIN_PASSWORD=bench-admin-password PORTICO_EDGE_INSTANCES=1 \
    java ${PORTICO_JAVA_OPTS:-} -jar "$here/launcher/target/portico.jar" > "$work/$1.log" 2>&1 & pids+=($!)
}
wait_log() { until grep -qs "Portico serving" "$work/$1.log"; do sleep 0.2; done; }
node a lookup,admin "$ca" "$(port)"; wait_log a
node b edge "$cb" "$http_b"; node c edge "$cc" "$http_c"; wait_log b; wait_log c
echo "three nodes up (A: lookup + admin, B and C: edges)"

python3 - "$admin" "$http_b" "$http_c" "$backend_port" "$redis_port" <<'PY'
import http.client, json, socket, statistics, sys, threading, time
admin, edge_b, edge_c, backend, redis_port = sys.argv[1:]
site = json.dumps({"targets": ["127.0.0.1:%s" % backend]})

def call(conn, method, path, body=None, headers={}):
    conn.request(method, path, body, headers); r = conn.getresponse(); data = r.read(); return r.status, data

api = http.client.HTTPConnection("127.0.0.1", int(admin))
_, login = call(api, "POST", "/api/v1/auth/login", json.dumps({"username": "admin", "password": "bench-admin-password"}),
                {"Content-Type": "application/json"})
auth = {"Authorization": "Bearer " + json.loads(login)["token"], "Content-Type": "application/json"}
def put(conn, pattern):
    status, body = call(conn, "PUT", "/api/v1/sites/" + pattern, site, auth)
    assert status in (200, 201), body
for i in range(100):
    put(api, "load%d.prop.test" % i)

stop = False
def traffic(port):
    conn = http.client.HTTPConnection("127.0.0.1", int(port)); i = 0
    while not stop:
        call(conn, "GET", "/", None, {"Host": "load%d.prop.test" % (i % 100)}); i += 1; time.sleep(0.005)
def write_load():
    conn = http.client.HTTPConnection("127.0.0.1", int(admin)); i = 0
    while not stop:
        put(conn, "churn%d.prop.test" % (i % 500)); i += 1; time.sleep(60 / 1000)
pubsub_at = {}
def pubsub():
    s = socket.create_connection(("127.0.0.1", int(redis_port)))
    s.sendall(b"*2\r\n$9\r\nSUBSCRIBE\r\n$20\r\nportico:site-changes\r\n"); buf = b""
    while not stop:
        buf += s.recv(65536)
        while b"new" in buf:
            i = buf.index(b"new"); j = buf.index(b"\r\n", i)
            pubsub_at.setdefault(buf[i:j].decode(), time.monotonic()); buf = buf[j:]
        buf = buf[-64:]
threads = [threading.Thread(target=f, args=a, daemon=True) for f, a in
           [(traffic, (edge_b,)), (traffic, (edge_c,)), (write_load, ()), (pubsub, ())]]
for t in threads: t.start()
time.sleep(5)

starts = {}
def poll(port, host, start, out):
    conn = http.client.HTTPConnection("127.0.0.1", int(port))
    while call(conn, "GET", "/", None, {"Host": host})[0] != 200:
        if time.monotonic() - start > 10: out.append(float("nan")); return
    out.append((time.monotonic() - starts[host]) * 1000)
results = {"api": [], "pubsub": [], "B": [], "C": []}
writer = http.client.HTTPConnection("127.0.0.1", int(admin))
for i in range(200):
    host = "new%d.prop.test" % i; start = time.monotonic(); b, c = [], []
    pollers = [threading.Thread(target=poll, args=(edge_b, host, start, b)),
               threading.Thread(target=poll, args=(edge_c, host, start, c))]
    # the edges are asked first, so each has the host cached as unknown: the write must reach them
    for p in pollers: p.start()
    time.sleep(0.05); start = time.monotonic(); starts[host] = start
    put(writer, host); results["api"].append((time.monotonic() - start) * 1000)
    for p in pollers: p.join()
    results["B"] += b; results["C"] += c
    if host in pubsub_at: results["pubsub"].append((pubsub_at[host] - starts[host]) * 1000)
    time.sleep(0.1)
stop = True
def row(name, values):
    v = sorted(x for x in values if x == x)
    if not v: return "| %s | – | – | – | 0 |" % name
    return "| %s | %.1f | %.1f | %.1f | %d |" % (name, v[len(v) // 2], v[min(len(v) - 1, int(len(v) * 0.99))], v[-1], len(v))
print("| from the API call to … (ms) | p50 | p99 | max | writes |")
print("| --- | --- | --- | --- | --- |")
print(row("the API's answer", results["api"]))
print(row("the change on Redis pub/sub", results["pubsub"]))
print(row("routed by edge B", results["B"]))
print(row("routed by edge C", results["C"]))
PY
