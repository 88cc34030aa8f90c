#!/usr/bin/env bash
# Lookups from a PostgreSQL-backed server (no lookup cache: docs/architecture.md) against the same
# keys on the LiteDB-backed one (with its cache), in the same run: the Debian keyring imported with
# --publish into LiteDB, copied into a private PostgreSQL cluster with `migrate`, then wrk on
# op=get by fingerprint, once for one hot key and once over every key (random order, so that no cache
# hides the store). Prints req/s for each store and the ratio PostgreSQL/LiteDB (goal >= 0.5).
# Needs: dotnet, gpg, wrk, curl, python3, postgresql, debian-keyring.
# Knobs: KEYRING, BENCH_ARTIFACTS, WRK_THREADS (2), WRK_CONNECTIONS (32), WRK_DURATION (10s).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
keyring=${KEYRING:-/usr/share/keyrings/debian-keyring.gpg}
artifacts=${BENCH_ARTIFACTS:-/tmp/keyserver-bench-artifacts}
threads=${WRK_THREADS:-2} connections=${WRK_CONNECTIONS:-32} duration=${WRK_DURATION:-10s}
. "$root/bench/lib/postgres.sh"
for tool in dotnet gpg wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
[ -n "$pg_bin" ] || { echo "missing postgresql (apt-get install -y postgresql)" >&2; exit 1; }

work=$(mktemp -d /tmp/bench-pg.XXXXXX)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
    pg_stop
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 600); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

echo "== publish (Release)"
dotnet publish src/Keyserver.Web -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$work/publish" --artifacts-path "$artifacts" --nologo -v quiet >"$work/publish.log" 2>&1 || { cat "$work/publish.log"; exit 1; }

echo "== private PostgreSQL cluster"
pg_start
connection=$(pg_connection)

echo "== import into LiteDB, migrate into PostgreSQL"
export RateLimit__PermitsPerMinute=1000000 RateLimit__LookupsPerMinute=10000000
mkdir -p "$work/data"
Storage__DataDirectory="$work/data" dotnet "$work/publish/Keyserver.Web.dll" import "$keyring" --publish | tail -n 2
dotnet "$work/publish/Keyserver.Web.dll" migrate --from "litedb:$work/data" --to "postgresql:$connection"

gpg --batch --no-default-keyring --keyring "$keyring" --with-colons --fingerprint 2>/dev/null |
    awk -F: '$1 == "pub" { want = 1; next } want && $1 == "fpr" { print $10; want = 0 }' >"$work/fingerprints.txt"
hot=$(head -n 1 "$work/fingerprints.txt")
cat >"$work/random.lua" <<LUA
local keys = {}
for line in io.lines("$work/fingerprints.txt") do keys[#keys + 1] = line end
math.randomseed(os.time())
request = function() return wrk.format("GET", "/pks/lookup?op=get&options=mr&search=0x" .. keys[math.random(#keys)]) end
LUA

measure() { # store -> "hot random" req/s
    local port; port=$(free_port)
    env "$@" dotnet "$work/publish/Keyserver.Web.dll" --urls "http://127.0.0.1:$port" --contentRoot "$root" >"$work/server.log" 2>&1 &
    server_pid=$!
    wait_for "http://127.0.0.1:$port/healthz"
    wrk -t"$threads" -c"$connections" -d3s "http://127.0.0.1:$port/pks/lookup?op=get&options=mr&search=0x$hot" >/dev/null
    local a b
    a=$(wrk -t"$threads" -c"$connections" -d"$duration" "http://127.0.0.1:$port/pks/lookup?op=get&options=mr&search=0x$hot" | awk '/Requests\/sec/ { print $2 }')
    b=$(wrk -t"$threads" -c"$connections" -d"$duration" -s "$work/random.lua" "http://127.0.0.1:$port" | awk '/Requests\/sec/ { print $2 }')
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
    echo "$a $b"
}

echo "== wrk -t$threads -c$connections -d$duration"
read -r lite_hot lite_random < <(measure Storage__DataDirectory="$work/data")
read -r pg_hot pg_random < <(measure Storage__DataDirectory="$work/data" Storage__Provider=PostgreSql Storage__ConnectionString="$connection")
printf '%-24s %12s %12s\n' "op=get by fingerprint" "LiteDB" "PostgreSQL"
printf '%-24s %12s %12s   ratio %s (goal >= 0.5)\n' "one hot key" "$lite_hot" "$pg_hot" "$(python3 -c "print(round($pg_hot / $lite_hot, 2))")"
printf '%-24s %12s %12s   ratio %s (goal >= 0.5)\n' "random keys" "$lite_random" "$pg_random" "$(python3 -c "print(round($pg_random / $lite_random, 2))")"
