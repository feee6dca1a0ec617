#!/usr/bin/env bash
# The floor proxy (benchmarks/.../floor/NettyFloorProxy: raw Netty HTTP/1.1 codecs, a HashMap of
# hosts, per-event-loop keep-alive backend pool) as the "target" of ../shared/bench, started by
# bin/portico so it runs under exactly the edge's JVM flags. It reads the bench's hosts file and
# backend at start, so it needs no setup. Run from the repository root after
# `./mvnw -q -DskipTests package`:
#   ../shared/bench/run.sh --peers nginx-static,nginx-lua-redis --rounds 3 --first-warmup 20 --duration 15 \
#     --target-name floor --target-port 27160 --target-cmd "$PWD/bench/floor-target.sh" --target-wait 3
# FLOOR_JAVA_OPTS adds JVM flags after bin/portico's defaults (e.g. "-XX:+UseParallelGC");
# FLOOR_TRANSPORT chooses Netty's transport: epoll (default), io_uring or nio.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jars=("$here"/benchmarks/target/portico-benchmarks-*-floor.jar)
[ -f "${jars[0]}" ] || { echo "floor jar missing: ./mvnw -q -DskipTests package" >&2; exit 1; }
export PORTICO_JAR="${jars[0]}"
export PORTICO_JAVA_OPTS="${FLOOR_JAVA_OPTS:-}"
exec "$here/bin/portico" "$BENCH_TARGET_PORT" "${BENCH_WORKERS:-1}" "$BENCH_HOSTS_FILE" "$BENCH_BACKEND" "${FLOOR_TRANSPORT:-epoll}"
