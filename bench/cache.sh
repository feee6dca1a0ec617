#!/usr/bin/env bash
# The response cache against nginx proxy_cache, one worker each, on loopback: a backend (nginx)
# serving a 1 KiB page with Cache-Control: max-age=300; in front of it a second nginx (its own process: one
# server with proxy_cache, 32 MB on disk, one without) and one edge
# started as users get it (bin/portico: serial GC, 128 MB heap, the default 32 MiB store) with a
# cached site and an uncached one. After a warm-up of every path, each round starts with a purge and
# a full collection (of what the purge dropped), then:
#   - uncached site, a new URL each request (the path a miss adds its cost to);
#   - uncached site, LATER_HIT_URLS new URLs once each: the next row's traffic, to compare it with;
#   - cache misses of URLs that are later hit: LATER_HIT_URLS (8000) new URLs once each (they fit the store);
#   - cache hits on those URLs, in random order;
#   - cache misses never reused: a new URL each request, stored (the store fills and evicts);
#   - uncached site again, after the store is full;
#   - nginx without a cache, then nginx proxy_cache misses never reused, the same traffic (what a miss
#     costs nginx, beside what it costs Portico);
#   - nginx proxy_cache hit and Portico hit on one page.
# Prints req/s, the proxy's CPU µs per request (user + system of the proxy nginx's worker and cache
# manager, or of the JVM, GC and JIT included) and the JVM's young/full
# collections in the row. PROFILE_ROW=<part of a row name> records the rows of round 1 it names with JFR
# into PROFILE_OUT-<row>.jfr with the JFR settings PROFILE_SETTINGS (bench/profile-summary.py summarises it), and the
# live heap's class histogram after it beside it. Starting JFR re-instruments classes and deoptimises what the
# JIT compiled, so that row costs 4-5x its usual CPU unless a recording already runs from the JVM's start
# (PORTICO_JAVA_OPTS="-XX:StartFlightRecording=settings=<same>,filename=<file>"): do that when profiling.
# PERF_ROW=<part of a row name> records those rows of round 1 with perf (every thread of the JVM, native and
# kernel frames too: GC, JIT, the event loop's system calls) into PROFILE_OUT-<row>.perf.data, PERF_ARGS added to
# perf record's; compiled Java methods are named by /tmp/perf-<pid>.map (jcmd Compiler.perfmap, written after the row).
# Run from the repository root after `mvn -q -DskipTests package` (PORTICO_JAR: another jar). Needs nginx, wrk, redis-cli, jstat.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d /tmp/portico-cache-bench.XXXXXX)
chmod 755 "$work"  # nginx workers run as nobody
duration=${DURATION:-8}
connections=${CONNECTIONS:-32}
rounds=${ROUNDS:-3}
later_hit_urls=${LATER_HIT_URLS:-8000}
backend_port=27311 nginx_cache_port=27312 nginx_plain_port=27317 http_port=27313 admin_port=27314 ops_port=27315 redis_port=27316
head -c 1024 /dev/zero | tr '\0' 'x' > "$work/page.html"
mkdir -p "$work/nginx-cache"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 4096; }
http { access_log off; types { text/html html; }
  server { listen 127.0.0.1:$backend_port; root $work;
    location / { add_header Cache-Control "max-age=300"; try_files /page.html =404; } } }
NGINX
# the proxy nginx is a process of its own, so its CPU is the proxy's alone (the backend's is not in it)
cat > "$work/nginx-proxy.conf" <<NGINX
worker_processes 1; daemon off; pid $work/nginx-proxy.pid; error_log $work/nginx-proxy.err;
events { worker_connections 4096; }
http { access_log off;
  proxy_cache_path $work/nginx-cache keys_zone=bench:10m max_size=32m;
  upstream backend { server 127.0.0.1:$backend_port; keepalive 64; }
  server { listen 127.0.0.1:$nginx_cache_port;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_cache bench; add_header X-Cache \$upstream_cache_status; } }
  server { listen 127.0.0.1:$nginx_plain_port;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
NGINX
nginx -p "$work" -c "$work/nginx.conf" & nginx_pid=$!
nginx -p "$work" -c "$work/nginx-proxy.conf" & nginx_proxy_pid=$!
PORTICO_HTTP_PORT=$http_port PORTICO_HTTPS_PORT=$((http_port + 10)) PORTICO_ADMIN_PORT=$admin_port \
  PORTICO_OPS_PORT=$ops_port PORTICO_EMBEDDED_REDIS_PORT=$redis_port PORTICO_DATA_DIR="$work/data" \
  PORTICO_EDGE_INSTANCES=1 PORTICO_BIND=127.0.0.1 PORTICO_ACCESS_LOG=off PORTICO_ROLES=edge,lookup,admin \
  PORTICO_SECRET_KEY=bench-secret-key PORTICO_ADMIN_PASSWORD=bench-admin-password \
  PORTICO_JAR="${PORTICO_JAR:-$here/launcher/target/portico.jar}" "$here/bin/portico" > "$work/portico.log" 2>&1 & portico_pid=$!
trap 'kill $portico_pid $nginx_pid $nginx_proxy_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$ops_port/health/ready" >/dev/null && break; sleep 0.2; done
redis-cli -p $redis_port SET portico:site:cached.bench \
  "{\"targets\":[\"127.0.0.1:$backend_port\"],\"compression\":false,\"cache\":{}}" >/dev/null
redis-cli -p $redis_port SET portico:site:plain.bench \
  "{\"targets\":[\"127.0.0.1:$backend_port\"],\"compression\":false}" >/dev/null
token=$(curl -sf -H 'Content-Type: application/json' -d '{"username":"admin","password":"bench-admin-password"}' \
  "http://127.0.0.1:$admin_port/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
purge() {
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{}' \
    "http://127.0.0.1:$admin_port/api/v1/sites/cached.bench/cache/purge"
}
cat > "$work/unique.lua" <<'LUA'
local n = 0
request = function() n = n + 1; return wrk.format("GET", "/u/" .. tostring(math.random(1e9)) .. "-" .. n) end
LUA
# LATER_HIT_URLS new URLs (/l/<round>-1, -2, ...) once each; then it stops and leaves a file that
# makes load() interrupt wrk, so its req/s count the time the requests took
cat > "$work/later.lua" <<'LUA'
local prefix, limit, flag, n, done = "", 0, "", 0, 0
init = function(args) prefix = args[1]; limit = tonumber(args[2]); flag = args[3] end
request = function() n = n + 1; return wrk.format("GET", "/l/" .. prefix .. "-" .. n) end
response = function()
  done = done + 1
  if done == limit then io.open(flag, "w"):close(); wrk.thread:stop() end
end
LUA
# those URLs again, in random order
cat > "$work/again.lua" <<'LUA'
local prefix, limit = "", 0
init = function(args) prefix = args[1]; limit = tonumber(args[2]) end
request = function() return wrk.format("GET", "/l/" .. prefix .. "-" .. math.random(limit)) end
LUA
sleep 1
# CPU nanoseconds the threads of the processes given ran (schedstat: exact, where /proc/<pid>/stat counts
# 10 ms ticks, ±3 % of a row of 8000 requests): a cost per request that holds on a busy machine. Counted per
# thread: a row's cost is, for each thread seen in it, its last reading less its reading before the row (0 for
# a thread born in it). The threads are read every 0.1 s while the row runs, so a thread that ends in it (the
# JVM's JIT threads come and go) keeps what it ran until its last reading (a JIT thread ends after idling).
# No schedstat (a process gone, a kernel without it) stops the bench rather than printing 0.
threads_ns() {  # one line per thread of the pids given: "<pid>/<tid> <ns>"
  local p t ns
  for p in "$@"; do
    [ -r "/proc/$p/schedstat" ] || { echo "cache.sh: no /proc/$p/schedstat (process gone, or no schedstats)" >&2; return 1; }
    for t in /proc/"$p"/task/*; do
      { read -r ns _ < "$t/schedstat"; } 2>/dev/null && echo "${p}/${t##*/} $ns"  # a thread may end before it is read
    done
  done
  return 0
}
sample_while() {  # pids file flag: appends readings to file every 0.1 s until flag exists
  local pids=$1 file=$2 flag=$3
  # shellcheck disable=SC2086
  until [ -e "$flag" ]; do threads_ns $pids >> "$file" || { touch "$file.failed"; return; }; sleep 0.1; done
}
ns_between() {  # before-readings all-readings [threads to count, one "<pid>/<tid>" a line]: ns the threads ran
  awk -v only="${3:-}" 'BEGIN { if (only != "") while ((getline k < only) > 0) keep[k] = 1 }
    FILENAME == ARGV[1] { base[$1] = $2; next }
    only == "" || ($1 in keep) { if ($2 > last[$1]) last[$1] = $2 }
    END { for (k in last) s += last[k] - ((k in base) ? base[k] : 0); if (s <= 0) exit 1; printf "%.0f", s }' "$1" "$2" \
    || { echo "cache.sh: no CPU time read for a row" >&2; return 1; }
}
collections() { jstat -gc "$portico_pid" | awk 'NR == 2 {print $(NF-6), $(NF-4)}'; }  # YGC FGC
# the proxy nginx's worker and its cache manager (which evicts what proxy_cache stored): the proxy's CPU
nginx_workers=$(pgrep -P $nginx_proxy_pid -f 'worker process|cache manager' | tr '\n' ' ')
# the JVM's event-loop threads (the rest: GC, JIT compilers, Caffeine's maintenance, timers): the steadier share
grep -l '^vert.x-eventloo' /proc/$portico_pid/task/*/comm | sed -E "s#/proc/([0-9]+)/task/([0-9]+)/comm#\\1/\\2#" > "$work/loops"
[ -s "$work/loops" ] || { echo "cache.sh: no event-loop threads found" >&2; exit 1; }
load() {  # port host [script [args...]]
  local port=$1 host=$2 script=()
  shift 2
  [ $# -gt 0 ] && script=(-s "$1") && shift
  rm -f "$work/stopped"
  wrk -t1 -c"$connections" -d"${duration}s" -H "Host: $host" "${script[@]}" "http://127.0.0.1:$port/" ${1:+--} "$@" \
    > "$work/load.txt" & local wrk_pid=$!
  while kill -0 $wrk_pid 2>/dev/null; do
    [ -e "$work/stopped" ] && kill -INT $wrk_pid && break
    sleep 0.01
  done
  wait $wrk_pid || true
  cat "$work/load.txt"
}
run() {  # name port host pids [script [args...]]
  local name=$1 port=$2 host=$3 pids=$4
  shift 4
  local profiling="" recording
  recording="${PROFILE_OUT:-$PWD/cache-row}-$(echo "$name" | tr -c 'a-z0-9\n' '-' | tr -s '-').jfr"
  if [ "$round" = 1 ] && [ -n "${PROFILE_ROW:-}" ] && [[ "$name" == *"$PROFILE_ROW"* ]]; then
    profiling=1
    jcmd "$portico_pid" JFR.start name=row settings="${PROFILE_SETTINGS:-profile}" filename="$recording" >/dev/null
  fi
  local perf_pid=""
  if [ "$round" = 1 ] && [ -n "${PERF_ROW:-}" ] && [[ "$name" == *"$PERF_ROW"* ]]; then
    perf record -q -F 1999 ${PERF_ARGS:-} -p "$portico_pid" -o "${recording%.jfr}.perf.data" >/dev/null 2>&1 & perf_pid=$!
  fi
  local out rps requests gc_before gc_after cpu loop_cpu=-
  rm -f "$work/row.done" "$work/row.ns.failed"
  gc_before=$(collections)
  threads_ns $pids > "$work/row.before"
  cp "$work/row.before" "$work/row.ns"
  sample_while "$pids" "$work/row.ns" "$work/row.done" & local sampler=$!
  out=$(load "$port" "$host" "$@")
  touch "$work/row.done"; wait $sampler
  threads_ns $pids >> "$work/row.ns"
  gc_after=$(collections)
  if [ -n "$perf_pid" ]; then
    kill -INT $perf_pid; wait $perf_pid || true
    jcmd "$portico_pid" Compiler.perfmap >/dev/null
  fi
  [ ! -e "$work/row.ns.failed" ] || { echo "cache.sh: reading CPU time failed during a row" >&2; exit 1; }
  cpu=$(ns_between "$work/row.before" "$work/row.ns")
  [ "$pids" != "$portico_pid" ] || loop_cpu=$(ns_between "$work/row.before" "$work/row.ns" "$work/loops")
  if [ -n "$profiling" ]; then
    jcmd "$portico_pid" JFR.stop name=row >/dev/null
    jcmd "$portico_pid" GC.class_histogram > "$recording.histogram"
  fi
  echo "$out" >> "$work/wrk.txt"
  rps=$(echo "$out" | awk '/Requests\/sec/ {print int($2)}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  local us="1e-3 / $requests"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$round" "$name" "$rps" \
    "$(python3 -c "print(round($cpu * $us, 1))")" \
    "$(if [ "$loop_cpu" != - ]; then python3 -c "print(round($loop_cpu * $us, 1))"; else echo -; fi)" \
    "$(python3 -c "b='$gc_before'.split(); a='$gc_after'.split(); print('%d / %d' % (int(a[0])-int(b[0]), int(a[1])-int(b[1])))")"
}
# the JVM compiles every measured path first, then the store is emptied
for _ in 1 2; do
  load $http_port cached.bench >/dev/null
  load $http_port plain.bench >/dev/null
  load $http_port plain.bench "$work/unique.lua" >/dev/null
  load $http_port cached.bench "$work/unique.lua" >/dev/null
  load $nginx_plain_port localhost "$work/unique.lua" >/dev/null
  load $nginx_cache_port localhost "$work/unique.lua" >/dev/null
done
purge
printf 'X-Cache: nginx %s, portico %s\n' \
  "$(curl -s -D- -o /dev/null "http://127.0.0.1:$nginx_cache_port/" | tr -d '\r' | awk -F': ' '/^X-Cache/ {print $2}')" \
  "$(curl -s -D- -o /dev/null -H 'Host: cached.bench' "http://127.0.0.1:$http_port/" | tr -d '\r' | awk -F': ' '/^X-Cache/ {print $2}')"
printf '| round | row (%s connections, %s s, one worker each) | req/s | proxy CPU µs/request | of which event loop | JVM young / full GCs |\n' \
  "$connections" "$duration"
printf '|---|---|---:|---:|---:|---|\n'
for round in $(seq "$rounds"); do
  purge
  # the purge leaves the last round's store as garbage in the old generation: collected here, or the row
  # that next fills the old generation (a miss row, most likely) pays a full collection for the purge
  jcmd "$portico_pid" GC.run >/dev/null
  run "uncached site, a new URL each request" $http_port plain.bench $portico_pid "$work/unique.lua"
  # the same traffic as the next row (that many new URLs once each), uncached: what those misses add to
  run "uncached site, $later_hit_urls new URLs once each" $http_port plain.bench $portico_pid "$work/later.lua" \
    "u$round" "$later_hit_urls" "$work/stopped"
  run "cache miss, URL later hit ($later_hit_urls new URLs)" $http_port cached.bench $portico_pid "$work/later.lua" \
    "$round" "$later_hit_urls" "$work/stopped"
  run "cache hit on those URLs" $http_port cached.bench $portico_pid "$work/again.lua" "$round" "$later_hit_urls"
  run "cache miss, never reused (a new URL each request, stored)" $http_port cached.bench $portico_pid "$work/unique.lua"
  run "uncached site, a new URL each request, store full" $http_port plain.bench $portico_pid "$work/unique.lua"
  run "nginx, uncached, a new URL each request" $nginx_plain_port localhost "$nginx_workers" "$work/unique.lua"
  run "nginx proxy_cache miss, never reused (a new URL each request, stored)" $nginx_cache_port localhost \
    "$nginx_workers" "$work/unique.lua"
  run "nginx proxy_cache, hit" $nginx_cache_port localhost "$nginx_workers"
  run "portico cache, hit" $http_port cached.bench $portico_pid
done
# whether the default store fits bin/portico's heap: the live heap (a full collection first) beside the store's weight
printf 'store full: %s MB held by the store (its weight), %s MB live heap in all after a full collection (heap max 128 MB)\n' \
  "$( (curl -s "http://127.0.0.1:$ops_port/metrics"; curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$admin_port/metrics") | awk '/^portico_cache_stored_bytes/ && !done {printf "%.1f", $2 / 1048576; done = 1}')" \
  "$(jcmd "$portico_pid" GC.class_histogram | awk '/^Total/ {printf "%.1f", $3 / 1048576}')"
if [ -n "${VERBOSE:-}" ]; then cat "$work/wrk.txt"; fi
