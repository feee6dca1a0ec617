# Sourced by the one-edge benches (profile-request.sh, access-log-cost.sh): the bench's nginx
# backend on port $base (its status page on $base+1), a private redis-server on $base+20, and
# 1000 sites h0001.bench.test … h1000.bench.test registered the way a user would
# (bench/portico-target.sh setup), their names in $work/hosts.txt. Needs: here, work and base.
# Every process the bench starts goes into pids (the caller's too: its edges, wrk); they are
# killed when the bench exits, however it exits.

pids=()
stop_started() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap stop_started EXIT

start_backend_and_sites() {
  mkdir -p "$work/backend"
  sed -e "s#{{DIR}}#$work/backend#g" -e "s#{{BACKEND_WORKERS}}#1#" -e "s#{{BACKEND_PORT}}#$base#" \
    -e "s#{{BACKEND_STATUS_PORT}}#$((base + 1))#" -e 's#{{BODY}}#0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789#' \
    /work/shared/bench/peers/backend/nginx.conf.tmpl > "$work/backend/nginx.conf"
  nginx -p "$work/backend" -e "$work/backend/error.log" -c "$work/backend/nginx.conf" > /dev/null 2>&1 &
  pids+=($!)
  redis-server --port $((base + 20)) --bind 127.0.0.1 --save "" --appendonly no > "$work/redis.log" 2>&1 &
  pids+=($!)
  for i in $(seq 1 1000); do printf 'h%04d.bench.test\n' "$i"; done > "$work/hosts.txt"
  until redis-cli -p $((base + 20)) ping > /dev/null 2>&1; do sleep 0.2; done
  BENCH_REDIS_HOST=127.0.0.1 BENCH_REDIS_PORT=$((base + 20)) \
    "$here/bench/portico-target.sh" setup "127.0.0.1:$base" "$work/hosts.txt"
}
