#!/usr/bin/env bash
# The producer's HTTP benchmark, as issue-style figures: wrk -t2 -c64 for
# 10 s on POST /count with WAIT off (dev) and on (prod: one replica must
# hold each count), and on a no-op net/http server (the baseline: what this
# machine's HTTP stack does at all), all in one run on loopback; then GET
# /count at 10,000 and 1,000,000 rows and the consumer's rows/s through the
# Go benchmarks. Needs Debian's redis-server, mariadb-server and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
for bin in redis-server mariadbd mariadb-install-db wrk; do
  command -v "$bin" >/dev/null || { echo "bench: $bin is missing: apt-get install redis-server mariadb-server wrk" >&2; exit 1; }
done
dir=$(mktemp -d /tmp/pushplatform-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM
duration=${DURATION:-10s}
primary=26379 replica=26380 db=23306

redis-server --bind 127.0.0.1 --port $primary --save '' --appendonly no --dir "$dir" >"$dir/primary.log" 2>&1 &
pids+=($!)
disown
redis-server --bind 127.0.0.1 --port $replica --save '' --appendonly no --dir "$dir" --replicaof 127.0.0.1 $primary >"$dir/replica.log" 2>&1 &
pids+=($!)
disown
mariadb-install-db --no-defaults --datadir="$dir/data" --user=root --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/sock" --port=$db --bind-address=127.0.0.1 \
  --user=root --skip-log-bin --pid-file="$dir/mariadb.pid" >"$dir/mariadb.log" 2>&1 &
pids+=($!)
disown
for _ in $(seq 1 100); do
  mariadb --no-defaults -uroot -h127.0.0.1 -P$db -e 'select 1' >/dev/null 2>&1 && break
  sleep 0.1
done
go build -o "$dir/producer" ./cmd/producer
go build -o "$dir/migrate" ./cmd/migrate
go build -o "$dir/noop" ./scripts/noopserver
DB_HOST=127.0.0.1 DB_PORT=$db DB_USER=root DB_NAME=pushplatform APP_DB_PASSWORD=benchpassword0123456789 "$dir/migrate" -local >/dev/null

export REDIS_HOST=127.0.0.1 REDIS_PORT=$primary REDIS_QUEUE=counts
export DB_HOST=127.0.0.1 DB_PORT=$db DB_USER=app DB_PASSWORD=benchpassword0123456789 DB_NAME=pushplatform
HTTP_PORT=5081 REDIS_WAIT_REPLICAS=0 "$dir/producer" >"$dir/producer-nowait.log" 2>&1 &
pids+=($!)
disown
HTTP_PORT=5082 REDIS_WAIT_REPLICAS=1 "$dir/producer" >"$dir/producer-wait.log" 2>&1 &
pids+=($!)
disown
"$dir/noop" -addr 127.0.0.1:5089 &
pids+=($!)
disown
sleep 1

cat >"$dir/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"count": 42}'
LUA
run() {
  echo "== $1"
  wrk -t2 -c64 -d"$duration" --latency -s "$dir/post.lua" "$2" | grep -E "Requests/sec|^ +(50|99)%|Non-2xx|requests in"
}
run "no-op net/http handler (baseline)" http://127.0.0.1:5089/count
run "producer POST /count, WAIT off (dev)" http://127.0.0.1:5081/count
run "producer POST /count, WAIT 1 replica (prod)" http://127.0.0.1:5082/count
echo "== stream entries written: $(redis-cli -p $primary XLEN counts), on the replica: $(redis-cli -p $replica XLEN counts)"

echo "== GET /count (Go benchmark: no-op baseline, 10,000 rows, 1,000,000 rows)"
go test ./cmd/producer -run '^$' -bench GetCount -benchtime 20000x | grep Benchmark
echo "== consumer rows/s (Go benchmark)"
go test ./internal/consumer -run '^$' -bench ConsumerRows -benchtime 200000x | grep Benchmark
