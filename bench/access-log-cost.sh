#!/usr/bin/env bash
# What the access log at its default costs, measured side by side: two edges (bin/portico's defaults, one edge instance
# each, PORTICO_TRANSPORT passed through), one with the access log at its default (stdout, here to a file as under the
# proxy bench) and one with PORTICO_ACCESS_LOG=off, both running at once in front of the bench's nginx backend with 1000
# sites in a private redis-server. wrk (the bench's host rotation, 1 thread, 64 connections) loads them in turn, the
# order swapped every pair, so drift of a shared machine hits both alike; each run reports the loaded edge's process
# CPU µs per request. Prints every run, then the median of the per-pair cost (on ÷ off - 1) in CPU and in req/s, each
# with a 90 % bootstrap interval (many short pairs narrow it more than a few long ones on a drifting machine).
#   bench/access-log-cost.sh [pairs, default 5] [seconds per run, default 10] [warm-up seconds, default 20]
# Needs nginx, redis-server, redis-cli, wrk, python3 and the built jar. Ports 28830-28870.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs="${1:-5}"
seconds="${2:-10}"
warmup="${3:-20}"
base=28830
work="$(mktemp -d /tmp/portico-access-cost.XXXXXX)"
# shellcheck source=lib/backend-and-sites.sh
source "$here/bench/lib/backend-and-sites.sh"
start_backend_and_sites

# edge <name> <access log> <first port>: HTTP, admin, HTTPS and ops ports from <first port> on
declare -A edge_pid edge_port
start_edge() {
  local name="$1" log="$2" port="$3"
  BENCH_TARGET_PORT=$port BENCH_REDIS_HOST=127.0.0.1 BENCH_REDIS_PORT=$((base + 20)) PORTICO_ACCESS_LOG="$log" \
    PORTICO_HTTPS_PORT=$((port + 2)) PORTICO_OPS_PORT=$((port + 3)) PORTICO_DATA_DIR="$work/data-$name" \
    setsid "$here/bench/portico-target.sh" start > "$work/$name.log" 2>&1 &
  pids+=($!)
  edge_pid[$name]=$!
  edge_port[$name]=$port
}
start_edge on stdout $((base + 10))
start_edge off off $((base + 30))
for name in on off; do
  for _ in $(seq 1 240); do
    curl -fs -o /dev/null "http://127.0.0.1:$((${edge_port[$name]} + 1))/health/live" && break
    sleep 0.5
  done
done

load() {  # load <name> <seconds> <output>
  wrk -t1 -c64 -d"$2s" -s /work/shared/bench/wrk/rotate_hosts.lua "http://127.0.0.1:${edge_port[$1]}/" -- \
    "$work/hosts.txt" > "$3"
}
cpu() { awk '{print $14 + $15}' "/proc/${edge_pid[$1]}/stat"; }
for name in on off; do load "$name" "$warmup" "$work/warmup-$name.txt"; done

results="$work/runs.txt"
for pair in $(seq 1 "$pairs"); do
  order="on off"
  [ $((pair % 2)) -eq 0 ] && order="off on"
  for name in $order; do
    before=$(cpu "$name")
    load "$name" "$seconds" "$work/run-$pair-$name.txt"
    after=$(cpu "$name")
    requests=$(awk '/requests in/ {print $1}' "$work/run-$pair-$name.txt")
    echo "$pair $name $requests $before $after" >> "$results"
  done
done
python3 - "$results" "$seconds" "$(getconf CLK_TCK)" <<'EOF'
import random, statistics, sys
path, seconds, ticks = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
runs = {}
for line in open(path):
    pair, name, requests, before, after = line.split()
    runs.setdefault(int(pair), {})[name] = (int(requests) / seconds, (int(after) - int(before)) / ticks * 1e6 / int(requests))
print("| pair | on req/s | on µs CPU/req | off req/s | off µs CPU/req | CPU cost | req/s cost |")
print("|---:|---:|---:|---:|---:|---:|---:|")
cpu_costs, rate_costs = [], []
for pair, r in sorted(runs.items()):
    (on_rate, on_us), (off_rate, off_us) = r["on"], r["off"]
    cpu_costs.append(on_us / off_us - 1)
    rate_costs.append(off_rate / on_rate - 1)
    print("| %d | %.0f | %.1f | %.0f | %.1f | %+.1f %% | %+.1f %% |" % (pair, on_rate, on_us, off_rate, off_us,
                                                                    100 * cpu_costs[-1], 100 * rate_costs[-1]))
def interval(costs):
    """A 90 % bootstrap interval of the median: what the pairs say the cost is, given their spread."""
    rng = random.Random(1)
    medians = sorted(statistics.median(rng.choices(costs, k=len(costs))) for _ in range(2000))
    return 100 * medians[100], 100 * medians[1899]
print("median cost: CPU %+.1f %% (90 %% interval %+.1f to %+.1f %%), req/s %+.1f %% (%+.1f to %+.1f %%)"
      % ((100 * statistics.median(cpu_costs),) + interval(cpu_costs)
         + (100 * statistics.median(rate_costs),) + interval(rate_costs)))
EOF
grep -h -E "Non-2xx|Socket errors" "$work"/run-*.txt || true
echo "work dir: $work"
