#!/usr/bin/env bash
# Resident memory of the Portico process listening on <port>, sampled every <interval> s for
# <seconds> s (run it beside ../shared/bench/run.sh). Prints samples, then max and last in MB.
# Usage: bench/rss-sample.sh <http port> [seconds, default 600] [interval, default 5]
set -euo pipefail
port="$1"; seconds="${2:-600}"; interval="${3:-5}"
pid=""
for candidate in $(pgrep -f 'portico.jar' || true); do
  if tr '\0' '\n' < "/proc/$candidate/environ" 2>/dev/null | grep -qx "PORTICO_HTTP_PORT=$port"; then
    pid="$candidate"
  fi
done
[ -n "$pid" ] || { echo "no Portico process with PORTICO_HTTP_PORT=$port" >&2; exit 1; }
max=0; last=0
for _ in $(seq 1 $((seconds / interval))); do
  [ -d "/proc/$pid" ] || break
  last=$(( $(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status") / 1024 ))
  [ "$last" -gt "$max" ] && max="$last"
  echo "$(date -u +%H:%M:%S) rss_mb=$last"
  sleep "$interval"
done
echo "pid $pid: max ${max} MB, last ${last} MB"
