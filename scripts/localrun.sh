#!/usr/bin/env bash
# Runs the whole app on this machine, as the seed's docker-compose did
# ("visit localhost in your web browser"): redis-server and mariadbd on
# loopback in a temp dir, the migration, the producer and the consumer,
# and the built frontend with /api/* routed to the producer on one origin,
# http://127.0.0.1:8080, as CloudFront does in AWS. Ctrl-C stops
# everything. Needs Debian's redis-server, mariadb-server and nodejs/npm.
set -euo pipefail
cd "$(dirname "$0")/.."

for bin in redis-server mariadbd mariadb-install-db npm; do
  command -v "$bin" >/dev/null || { echo "localrun: $bin is missing: apt-get install redis-server mariadb-server npm" >&2; exit 1; }
done

dir=$(mktemp -d /tmp/pushplatform-local.XXXXXX)
redis_port=${REDIS_PORT:-16379}
db_port=${DB_PORT:-13306}
http_port=${HTTP_PORT:-5080}
web_port=${WEB_PORT:-8080}
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
go build -o "$dir/edgeproxy" ./scripts/edgeproxy
(cd frontend && npm ci --no-audit --no-fund && npm run build) >"$dir/frontend-build.log" 2>&1 ||
  { echo "localrun: the frontend build failed; see $dir/frontend-build.log" >&2; cat "$dir/frontend-build.log" >&2; exit 1; }

# Migrate as the master user, then run the apps as the least-privilege one.
DB_HOST=127.0.0.1 DB_PORT="$db_port" DB_USER=root DB_NAME=pushplatform APP_DB_PASSWORD="$app_password" "$dir/migrate" -local

export REDIS_HOST=127.0.0.1 REDIS_PORT="$redis_port" REDIS_PASSWORD="$token" REDIS_QUEUE=counts
export DB_HOST=127.0.0.1 DB_PORT="$db_port" DB_USER=app DB_PASSWORD="$app_password" DB_NAME=pushplatform
# The page calls its own origin; the producer admits that origin only, as
# in AWS it admits the distribution's.
HTTP_PORT="$http_port" CORS_ALLOW_ORIGIN="http://127.0.0.1:$web_port" "$dir/producer" >"$dir/producer.log" 2>&1 &
pids+=($!)
"$dir/consumer" >"$dir/consumer.log" 2>&1 &
pids+=($!)
"$dir/edgeproxy" -listen "127.0.0.1:$web_port" -site frontend/dist -api "http://127.0.0.1:$http_port" >"$dir/edge.log" 2>&1 &
pids+=($!)

cat <<EOT
localrun: open http://127.0.0.1:$web_port in your web browser (the page, /api/* to the producer)
  producer on http://127.0.0.1:$http_port, consumer running; logs in $dir
  curl -s http://127.0.0.1:$web_port/api/health    (through the edge, as through CloudFront)
  curl -s http://127.0.0.1:$http_port/health
  curl -s -X POST -H 'Content-Type: application/json' -d '{"count": 42}' http://127.0.0.1:$http_port/count
  curl -s http://127.0.0.1:$http_port/count
Ctrl-C stops everything.
EOT
wait
