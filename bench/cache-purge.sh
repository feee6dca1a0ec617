#!/usr/bin/env bash
# How fast a cache purge reaches the edges: three JVMs as bin/portico starts them, on one
# clustered event bus, against an external redis-server — node A (lookup + admin API) and two
# edge-only nodes B and C, each caching one site's page (a backend that allows 300 s). Each round:
# the page is made a HIT on both edges, then purged through the API (POST .../cache/purge with its
# path), and both edges are polled (one keep-alive connection each, back to back) until the page
# is a MISS. Reports the time from the API call to the first MISS on each edge (p50 / p99 / max)
# and the API call's own time.
# Run from the repository root after `mvn -q -o -DskipTests package`:  bench/cache-purge.sh [purges]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
purges=${1:-100}
work="$(mktemp -d)"; pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

redis_port=$(port); backend_port=$(port)
/usr/bin/redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >/dev/null & pids+=($!)
mkdir -p "$work/www"; echo "the page" > "$work/www/page"
cat > "$work/backend.py" <<'PY'
import http.server, sys
class Page(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = b"the page\n"
        self.send_response(200); self.send_header("Cache-Control", "max-age=300")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Page).serve_forever()
PY
python3 "$work/backend.py" "$backend_port" & pids+=($!)
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.1; done

# shellcheck source=lib/three-nodes.sh
source "$here/bench/lib/three-nodes.sh"
start_three_nodes PORTICO_ACCESS_LOG=off
echo "three nodes up (A: lookup + admin, B and C: edges); $purges purges"

python3 - "$admin" "$http_b" "$http_c" "$backend_port" "$purges" <<'PY'
import http.client, json, sys, threading, time
admin, edge_b, edge_c, backend, purges = sys.argv[1:]
SITE = "purge.bench.test"

def call(conn, method, path, body=None, headers={}):
    conn.request(method, path, body, headers); r = conn.getresponse(); data = r.read()
    return r.status, r.getheader("X-Cache"), data

api = http.client.HTTPConnection("127.0.0.1", int(admin))
_, _, login = call(api, "POST", "/api/v1/auth/login",
                   json.dumps({"username": "admin", "password": "bench-admin-password"}), {"Content-Type": "application/json"})
auth = {"Authorization": "Bearer " + json.loads(login)["token"], "Content-Type": "application/json"}
status, _, body = call(api, "PUT", "/api/v1/sites/" + SITE,
                       json.dumps({"targets": ["127.0.0.1:%s" % backend], "cache": {}}), auth)
assert status in (200, 201), body
edges = {"B": http.client.HTTPConnection("127.0.0.1", int(edge_b)), "C": http.client.HTTPConnection("127.0.0.1", int(edge_c))}

def page(name):
    return call(edges[name], "GET", "/page", None, {"Host": SITE})

def cached(name):  # until the site routes on the edge and its page is a HIT
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, x_cache, _ = page(name)
        if status == 200 and x_cache == "HIT":
            return
        time.sleep(0.01)
    raise SystemExit("edge %s never served the page from its cache" % name)

def poll(name, start, out):
    while time.monotonic() - start < 10:
        if page(name)[1] == "MISS":
            out.append((time.monotonic() - start) * 1000); return
    out.append(float("nan"))

results = {"api": [], "B": [], "C": []}
for i in range(int(purges)):
    for name in edges: cached(name)
    found = {"B": [], "C": []}
    start = time.monotonic()
    pollers = [threading.Thread(target=poll, args=(name, start, found[name])) for name in edges]
    for p in pollers: p.start()  # polling while the API call is under way: a purge may land before it answers
    status, _, body = call(api, "POST", "/api/v1/sites/%s/cache/purge" % SITE, json.dumps({"path": "/page"}), auth)
    results["api"].append((time.monotonic() - start) * 1000)
    assert status in (200, 202, 204), (status, body)
    for p in pollers: p.join()
    results["B"] += found["B"]; results["C"] += found["C"]

def row(name, values):
    v = sorted(x for x in values if x == x)
    if not v: return "| %s | – | – | – | 0 |" % name
    return "| %s | %.1f | %.1f | %.1f | %d |" % (name, v[len(v) // 2], v[min(len(v) - 1, int(len(v) * 0.99))], v[-1], len(v))
print("| from the purge API call to … (ms) | p50 | p99 | max | purges |")
print("| --- | --- | --- | --- | --- |")
print(row("the API's answer", results["api"]))
print(row("a MISS on edge B", results["B"]))
print(row("a MISS on edge C", results["C"]))
missed = sum(1 for n in ("B", "C") for x in results[n] if x != x)
if missed: print("%d polls saw no MISS within 10 s" % missed)
PY
