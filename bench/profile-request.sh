#!/usr/bin/env bash
# Cost of one proxied request, measurable on a busy machine: one edge (bin/portico's defaults) in
# front of the bench's nginx backend, 1000 sites in a private redis-server, wrk with the bench's
# host rotation (1 thread, 64 connections). After a warm-up it prints the edge process's CPU µs per
# request and the bytes its threads allocated per request (JFR's per-thread allocation counters),
# and keeps a JFR recording (CPU samples, allocation samples) of the measured run:
#   bench/profile-request.sh [jar] [seconds] [warm-up seconds]   (PROFILE_CONNECTIONS=64: wrk connections)
#   (PROFILE_SETTINGS: a JFR settings name or .jfc file, default profile; a copy with a 1 ms method-sampling
#   period gives ten times the CPU samples)
# Summarise the recording with bench/profile-summary.py <workdir>/run.jfr.
# Needs nginx, redis-server, redis-cli, wrk, jcmd, jfr, python3. Ports 28730-28760.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${1:-$here/launcher/target/portico.jar}"
seconds="${2:-20}"
warmup="${3:-20}"
base=28730
work="$(mktemp -d /tmp/portico-profile.XXXXXX)"
# shellcheck source=lib/backend-and-sites.sh
source "$here/bench/lib/backend-and-sites.sh"
start_backend_and_sites

BENCH_TARGET_PORT=$((base + 10)) BENCH_REDIS_HOST=127.0.0.1 BENCH_REDIS_PORT=$((base + 20)) PORTICO_JAR="$jar" \
  PORTICO_DATA_DIR="$work/data" setsid "$here/bench/portico-target.sh" start > "$work/portico.log" 2>&1 &
pids+=($!)
edge=$!
for _ in $(seq 1 240); do
  curl -fs -o /dev/null "http://127.0.0.1:$((base + 11))/health/live" && break
  sleep 0.5
done
url="http://127.0.0.1:$((base + 10))/"
wrk -t1 -c"${PROFILE_CONNECTIONS:-64}" -d"${warmup}s" -s /work/shared/bench/wrk/rotate_hosts.lua "$url" -- "$work/hosts.txt" > "$work/warmup.txt"

cpu() { awk '{print $14 + $15}' "/proc/$edge/stat"; }
# the event-loop threads' own CPU (no JIT compiler, GC or JFR threads)
loops() { grep -l '^vert.x-eventloo' /proc/$edge/task/*/comm | sed 's#/comm#/stat#' | xargs cat | awk '{s += $14 + $15} END {print s}'; }
jcmd "$edge" JFR.start name=run settings="${PROFILE_SETTINGS:-profile}" filename="$work/run.jfr" > /dev/null
before=$(cpu); loops_before=$(loops)
wrk -t1 -c"${PROFILE_CONNECTIONS:-64}" -d"${seconds}s" -s /work/shared/bench/wrk/rotate_hosts.lua "$url" -- "$work/hosts.txt" > "$work/wrk.txt"
after=$(cpu); loops_after=$(loops)
jcmd "$edge" JFR.stop name=run > /dev/null
requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
ticks=$(getconf CLK_TCK)
python3 - "$work/run.jfr" "$requests" "$before" "$after" "$ticks" "$seconds" "$loops_before" "$loops_after" <<'EOF'
import json, subprocess, sys
jfr, requests, before, after, ticks, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
loops_us = (int(sys.argv[8]) - int(sys.argv[7])) / ticks * 1e6
out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ThreadAllocationStatistics", jfr],
                     capture_output=True, text=True, check=True).stdout
per_thread = {}
for e in json.loads(out)["recording"]["events"]:
    v = e["values"]
    per_thread.setdefault(v["thread"]["javaName"] if v["thread"] else "?", []).append(v["allocated"])
def allocated(prefix=""):
    return sum(max(a) - min(a) for name, a in per_thread.items() if name.startswith(prefix))
cpu_us = (after - before) / ticks * 1e6
print("requests %d in %s s, %.1f us CPU/request (event loops %.1f), %.0f B allocated/request "
      "(event loops %.0f, access log writer %.0f)" % (
    requests, seconds, cpu_us / requests, loops_us / requests, allocated() / requests,
    allocated("vert.x-eventloop") / requests, allocated("portico-access-log") / requests))
EOF
grep -E "Requests/sec|Non-2xx|Socket errors" "$work/wrk.txt" || true
echo "work dir: $work"
