#!/usr/bin/env bash
# Portico as the "target" of ../shared/bench (its README has the contract):
#   start: runs the built jar in the foreground on $BENCH_TARGET_PORT against the bench's Redis
#   setup: registers every bench host as a site, the way a user would, with redis-cli
# Run from the repository root after `./mvnw -q -DskipTests package`:
#   ../shared/bench/run.sh --peers nginx-static,nginx-lua-redis --rounds 3 --first-warmup 20 \
#     --target-name portico --target-port 27150 \
#     --target-cmd "$PWD/bench/portico-target.sh start" \
#     --target-setup "$PWD/bench/portico-target.sh setup" \
#     --target-ready http://127.0.0.1:27151/health/live
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "${1:-}" in
  start)
    export PORTICO_HTTP_PORT="$BENCH_TARGET_PORT"
    export PORTICO_ADMIN_PORT="$((BENCH_TARGET_PORT + 1))"
    export PORTICO_REDIS_URL="redis://$BENCH_REDIS_HOST:$BENCH_REDIS_PORT"
    # an external Redis needs a secret key (it seals the admin JWT key); the bench has no secrets to keep
    export PORTICO_SECRET_KEY="${PORTICO_SECRET_KEY:-bench-secret-key}"
    export PORTICO_EDGE_INSTANCES="${BENCH_WORKERS:-1}"
    export PORTICO_BIND=127.0.0.1
    # every bench connection comes from 127.0.0.1: with --connections 1024 the default per-address
    # limit (512) would close half of them as they are accepted, which measures the limit, not the proxy
    export PORTICO_MAX_CONNECTIONS_PER_ADDRESS="${PORTICO_MAX_CONNECTIONS_PER_ADDRESS:-4096}"
    # the user's start-up script and its default JVM flags (PORTICO_JAVA_OPTS adds to them)
    exec "$here/bin/portico"
    ;;
  setup)
    backend="$2"; hosts="$3"
    # BENCH_SITE_ROUTES=1: every site gets 50 routes (48 prefixes, a regex, and "/" taking the bench's
    # requests), to compare the cost of choosing a route with the plain run (issue 15)
    site="{\\\"targets\\\":[\\\"$backend\\\"]}"
    if [ "${BENCH_SITE_ROUTES:-0}" = 1 ]; then
      routes=""
      for i in $(seq 1 48); do routes="$routes{\\\"prefix\\\":\\\"/r$i/\\\"},"; done
      routes="$routes{\\\"regex\\\":\\\"^/v[0-9]+/\\\"},{\\\"prefix\\\":\\\"/\\\",\\\"targets\\\":[\\\"$backend\\\"]}"
      site="{\\\"targets\\\":[\\\"$backend\\\"],\\\"routes\\\":[$routes]}"
    fi
    while read -r h; do
      [ -n "$h" ] && printf 'SET portico:site:%s "%s"\n' "$h" "$site"
    done < "$hosts" | redis-cli -h "$BENCH_REDIS_HOST" -p "$BENCH_REDIS_PORT" > /dev/null
    echo "registered $(wc -l < "$hosts") sites -> $backend"
    ;;
  *) echo "usage: $0 start | setup <backend> <hostsfile>" >&2; exit 2 ;;
esac
