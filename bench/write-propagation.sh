#!/usr/bin/env bash
# Write propagation under write load: three JVMs on one clustered event bus — node A (lookup +
# admin) and two edge-only nodes B and C — against an external redis-server. Both edges serve
# traffic to 100 sites all along while the API takes 1,000 writes a minute to other sites; then
# 200 new sites are written one after another, and for each both edges are polled until it
# routes. Reports, per edge, the time from the API call to the first 200 (p50 / p99 / max), and
# where it went: the API call itself, the change reaching Redis pub/sub, the rest (lookup, event
# bus, edge invalidation, the next poll); then the same for the first 20 writes and the rest
# (JIT warm-up shows there), and each JVM's GC pauses.
#
# The load and the measurement must not slow each other down on a small machine: the backend is
# nginx (a fixed 200, no per-request process or thread), the traffic and the write load run in
# processes of their own, and the measuring process is one thread that waits on all its sockets
# at once (the admin call, both edges' polls, the pub/sub subscription) — no interpreter lock
# between a reply arriving and its time being taken.
# Needs redis-server, redis-cli, nginx, python3 and the built jar.
# Run from the repository root after `mvn -q -o -DskipTests package`:  bench/write-propagation.sh [writes]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
writes="${1:-200}"
work="$(mktemp -d)"; pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

redis_port=$(port); backend_port=$(port)
/usr/bin/redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
  --logfile "$work/redis.log" & pids+=($!)
cat > "$work/nginx.conf" <<EOF
worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$backend_port default_server; location / { return 200 "ok"; } } }
EOF
nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.1; done

# shellcheck source=lib/three-nodes.sh
source "$here/bench/lib/three-nodes.sh"
start_three_nodes
echo "three nodes up (A: lookup + admin, B and C: edges; bin/portico's JVM defaults)"

# the load, each part in a process of its own: traffic to 100 sites on each edge, 1,000 writes a minute
cat > "$work/load.py" <<'PY'
import http.client, json, sys, time
kind, port, backend = sys.argv[1], int(sys.argv[2]), sys.argv[3]
conn = http.client.HTTPConnection("127.0.0.1", port)
def call(method, path, body=None, headers={}):
    conn.request(method, path, body, headers); r = conn.getresponse(); return r.status, r.read()
if kind == "traffic":
    i = 0
    while True:
        call("GET", "/", None, {"Host": "load%d.prop.test" % (i % 100)}); i += 1; time.sleep(0.005)
_, login = call("POST", "/api/v1/auth/login", json.dumps({"username": "admin", "password": "bench-admin-password"}),
                {"Content-Type": "application/json"})
auth = {"Authorization": "Bearer " + json.loads(login)["token"], "Content-Type": "application/json"}
site = json.dumps({"targets": ["127.0.0.1:%s" % backend]})
names = ["load%d.prop.test" % i for i in range(100)] if kind == "sites" else None
if names:
    for name in names:
        assert call("PUT", "/api/v1/sites/" + name, site, auth)[0] in (200, 201)
    sys.exit(0)
i = 0
while True:
    assert call("PUT", "/api/v1/sites/churn%d.prop.test" % (i % 500), site, auth)[0] in (200, 201); i += 1
    time.sleep(60 / 1000)
PY
python3 "$work/load.py" sites "$admin" "$backend_port"
python3 "$work/load.py" traffic "$http_b" "$backend_port" & pids+=($!)
python3 "$work/load.py" traffic "$http_c" "$backend_port" & pids+=($!)
python3 "$work/load.py" writes "$admin" "$backend_port" & pids+=($!)
sleep 5

python3 - "$admin" "$http_b" "$http_c" "$backend_port" "$redis_port" "$writes" "$work" <<'PY'
import json, selectors, socket, sys, time
admin, edge_b, edge_c, backend, redis_port, writes, work = sys.argv[1:]
site = json.dumps({"targets": ["127.0.0.1:%s" % backend]}).encode()

class Http:
    """One keep-alive connection; responses are read as they come (Content-Length or chunked)."""
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", int(port)))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1); self.buf = b""
    def send(self, method, path, headers, body=b""):
        headers = {"Host": "127.0.0.1", **headers}
        head = "%s %s HTTP/1.1\r\n%sContent-Length: %d\r\n\r\n" % (
            method, path, "".join("%s: %s\r\n" % h for h in headers.items()), len(body))
        self.sock.sendall(head.encode() + body)
    def response(self):
        """(status, body) of the next complete response in what was read, else None."""
        end = self.buf.find(b"\r\n\r\n")
        if end < 0: return None
        lines = self.buf[:end].decode("latin-1").split("\r\n"); status = int(lines[0].split(" ")[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
        if fields.get("transfer-encoding", "").lower() == "chunked":
            stop = self.buf.find(b"\r\n0\r\n\r\n", end)
            if stop < 0: return None
            body, self.buf = self.buf[end + 4:stop], self.buf[stop + 7:]
        else:
            length = int(fields.get("content-length", "0"))
            if len(self.buf) < end + 4 + length: return None
            body, self.buf = self.buf[end + 4:end + 4 + length], self.buf[end + 4 + length:]
        return status, body
    def read(self):
        self.buf += self.sock.recv(65536)
    def call(self, method, path, headers, body=b""):
        self.send(method, path, headers, body)
        while (answer := self.response()) is None: self.read()
        return answer

api = Http(admin)
_, login = api.call("POST", "/api/v1/auth/login", {"Content-Type": "application/json"},
                    json.dumps({"username": "admin", "password": "bench-admin-password"}).encode())
auth = {"Authorization": "Bearer " + json.loads(login)["token"], "Content-Type": "application/json"}
edges = {"B": Http(edge_b), "C": Http(edge_c)}
pubsub = socket.create_connection(("127.0.0.1", int(redis_port)))
pubsub.sendall(b"*2\r\n$9\r\nSUBSCRIBE\r\n$20\r\nportico:site-changes\r\n"); pubsub_buf = b""
selector = selectors.DefaultSelector()
selector.register(pubsub, selectors.EVENT_READ, "pubsub")
selector.register(api.sock, selectors.EVENT_READ, "api")
for name, edge in edges.items(): selector.register(edge.sock, selectors.EVENT_READ, name)
pubsub_at = {}

def wait(until, on_reply):
    """Runs the loop until until() is true; on_reply(name, status) for each HTTP response."""
    global pubsub_buf
    while not until():
        for key, _ in selector.select(timeout=0.5):
            if key.data == "pubsub":
                pubsub_buf += pubsub.recv(65536)
                while b"new" in pubsub_buf and b"\r\n" in pubsub_buf[pubsub_buf.index(b"new"):]:
                    i = pubsub_buf.index(b"new"); j = pubsub_buf.index(b"\r\n", i)
                    pubsub_at.setdefault(pubsub_buf[i:j].decode(), time.monotonic()); pubsub_buf = pubsub_buf[j:]
                pubsub_buf = pubsub_buf[-64:]
                continue
            conn = api if key.data == "api" else edges[key.data]
            conn.read()
            while (answer := conn.response()) is not None: on_reply(key.data, answer[0])

rows = []
for n in range(int(writes)):
    host = "new%d.prop.test" % n; get = {"Host": host}
    # the edges are asked first, so each has the host cached as unknown: the write must reach them
    first = {}
    for edge in edges.values(): edge.send("GET", "/", get)
    wait(lambda: len(first) == 2, lambda name, status: first.setdefault(name, status))
    assert set(first.values()) == {404}, first
    pause = time.monotonic() + 0.05; wait(lambda: time.monotonic() > pause, None)
    done = {}; start = time.monotonic()
    api.send("PUT", "/api/v1/sites/" + host, auth, site)
    for edge in edges.values(): edge.send("GET", "/", get)
    def reply(name, status):
        now = time.monotonic()
        if name == "api":
            assert status in (200, 201), status; done["api"] = now
        elif status == 200:
            done[name] = now
        elif now - start > 10:
            done[name] = float("nan")
        else:
            edges[name].send("GET", "/", get)
    wait(lambda: len(done) == 3, reply)
    rows.append([n] + [(done[k] - start) * 1000 for k in ("api",)]
                + [(pubsub_at[host] - start) * 1000 if host in pubsub_at else float("nan")]
                + [(done[k] - start) * 1000 for k in ("B", "C")])
    pause = time.monotonic() + 0.1; wait(lambda: time.monotonic() > pause, None)

with open(work + "/writes.csv", "w") as out:
    out.write("write,api,pubsub,B,C\n"); out.writelines(",".join("%.2f" % v for v in row) + "\n" for row in rows)
def row(name, values):
    v = sorted(x for x in values if x == x)
    if not v: return "| %s | – | – | – | 0 |" % name
    return "| %s | %.1f | %.1f | %.1f | %d |" % (name, v[len(v) // 2], v[min(len(v) - 1, int(len(v) * 0.99))], v[-1], len(v))
def table(title, subset):
    print("%s\n| from the API call to … (ms) | p50 | p99 | max | writes |\n| --- | --- | --- | --- | --- |" % title)
    for i, name in enumerate(["the API's answer", "the change on Redis pub/sub", "routed by edge B", "routed by edge C"]):
        print(row(name, [r[i + 1] for r in subset]))
table("All %d writes" % len(rows), rows)
table("The first 20 writes", rows[:20])
table("The other %d" % len(rows[20:]), rows[20:])
slow = sorted(rows, key=lambda r: -max(r[3], r[4]))[:5]
print("Slowest writes (write: api / pubsub / B / C ms): " + "; ".join("%d: %.0f / %.0f / %.0f / %.0f" % tuple(r) for r in slow))
PY
for n in a b c; do
  awk -v n="$n" '/Pause/ { gsub("ms", "", $NF); c++; t += $NF; if ($NF > m) m = $NF }
    END { printf "JVM %s: %d GC pauses, %.0f ms in all, longest %.1f ms\n", toupper(n), c, t, m }' "$work/$n-gc.log"
done
