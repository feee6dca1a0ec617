# Sourced by the benches that run three Portico nodes on one clustered event bus and one Redis:
# A (lookup + admin), B and C (edge only), each through bin/portico (the JVM a user gets) with a
# GC log in $work/<name>-gc.log. Needs: here, work, redis_port, the pids array and port().
# start_three_nodes [VAR=value ...]: extra environment for every node (e.g. PORTICO_ACCESS_LOG=off);
# returns once all three serve, and sets admin (A's admin port), http_b and http_c.

start_three_nodes() {
  local ca cb cc members
  ca=$(port); cb=$(port); cc=$(port); members="127.0.0.1:$ca,127.0.0.1:$cb,127.0.0.1:$cc"
  admin=$(port); http_b=$(port); http_c=$(port)
  three_nodes_start a lookup,admin "$ca" "$(port)" "$members" "$@"; three_nodes_wait a
  three_nodes_start b edge "$cb" "$http_b" "$members" "$@"
  three_nodes_start c edge "$cc" "$http_c" "$members" "$@"
  three_nodes_wait b; three_nodes_wait c
}

three_nodes_start() {  # name roles cluster-port http-port members [VAR=value ...]
  local name=$1 roles=$2 cluster_port=$3 http_port=$4 members=$5; shift 5
  env PORTICO_REDIS_URL="redis://127.0.0.1:$redis_port" PORTICO_ROLES="$roles" PORTICO_BIND=127.0.0.1 \
    PORTICO_CLUSTER=on PORTICO_CLUSTER_HOST=127.0.0.1 PORTICO_CLUSTER_PORT="$cluster_port" \
    PORTICO_CLUSTER_MEMBERS="$members" PORTICO_HTTP_PORT="$http_port" PORTICO_HTTPS_PORT="$(port)" \
    PORTICO_ADMIN_PORT="$admin" PORTICO_OPS_PORT="$(port)" PORTICO_SECRET_KEY=bench-secret-key \
    PORTICO_ADMIN_PASSWORD=bench-admin-password PORTICO_EDGE_INSTANCES=1 \
    PORTICO_JAVA_OPTS="-Xlog:gc:file=$work/$name-gc.log ${PORTICO_JAVA_OPTS:-}" "$@" \
    "$here/bin/portico" > "$work/$name.log" 2>&1 &
  pids+=($!)
}

three_nodes_wait() { until grep -qs "Portico serving" "$work/$1.log"; do sleep 0.2; done; }
