#!/usr/bin/env bash
# Runs the producer/consumer on this machine, as the seed's docker-compose
# did: redis-server and mariadbd on loopback in a temp dir, the migration,
# then the producer (http://127.0.0.1:5080) and the consumer. Ctrl-C stops
# everything. Needs Debian's redis-server and mariadb-server.
set -euo pipefail
cd "$(dirname "$0")/.."

for bin in redis-server mariadbd mariadb-install-db; do
  command -v "$bin" >/dev/null || { echo "localrun: $bin is missing: apt-get install redis-server mariadb-server" >&2; exit 1; }
done

dir=$(mktemp -d /tmp/pushplatform-local.XXXXXX)
redis_port=${REDIS_PORT:-16379}
db_port=${DB_PORT:-13306}
http_port=${HTTP_PORT:-5080}
token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
app_password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
pids=()
# Ctrl-C reaches every process of the group. Stop in reverse start order:
# the apps first (the consumer drains its batch while MySQL and Redis are
# still up), then the servers; each gets SIGTERM and up to 25 s, then
# SIGKILL (mariadbd ignores SIGINT).
cleanup() {
  trap - EXIT INT TERM
  echo "localrun: stopping"
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    p=${pids[i]}
    kill -TERM "$p" 2>/dev/null || continue
    for _ in $(seq 1 250); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  rm -rf "$dir"
  exit 0
}
trap cleanup EXIT INT TERM

echo "localrun: servers in $dir"
# An append-only file fsynced on every write: a count answered 201 survives
# a Redis restart here (there is no replica to wait for locally).
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly yes --appendfsync always --requirepass "$token" --dir "$dir" >"$dir/redis.log" 2>&1 &
pids+=($!)
mariadb-install-db --no-defaults --datadir="$dir/data" --user=root --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/sock" --port="$db_port" --bind-address=127.0.0.1 \
  --user=root --skip-log-bin --pid-file="$dir/mariadb.pid" >"$dir/mariadb.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  mariadb --no-defaults -uroot -h127.0.0.1 -P"$db_port" -e 'select 1' >/dev/null 2>&1 && break
  sleep 0.1
done

go build -o "$dir/producer" ./cmd/producer
go build -o "$dir/consumer" ./cmd/consumer
go build -o "$dir/migrate" ./cmd/migrate

# Migrate as the master user, then run the apps as the least-privilege one.
DB_HOST=127.0.0.1 DB_PORT="$db_port" DB_USER=root DB_NAME=pushplatform APP_DB_PASSWORD="$app_password" "$dir/migrate" -local

export REDIS_HOST=127.0.0.1 REDIS_PORT="$redis_port" REDIS_PASSWORD="$token" REDIS_QUEUE=counts
export DB_HOST=127.0.0.1 DB_PORT="$db_port" DB_USER=app DB_PASSWORD="$app_password" DB_NAME=pushplatform
HTTP_PORT="$http_port" "$dir/producer" >"$dir/producer.log" 2>&1 &
pids+=($!)
"$dir/consumer" >"$dir/consumer.log" 2>&1 &
pids+=($!)

cat <<EOT
localrun: producer on http://127.0.0.1:$http_port, consumer running; logs in $dir
  curl -s http://127.0.0.1:$http_port/health
  curl -s -X POST -H 'Content-Type: application/json' -d '{"count": 42}' http://127.0.0.1:$http_port/count
  curl -s http://127.0.0.1:$http_port/count
Ctrl-C stops everything.
EOT
wait
