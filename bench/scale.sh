#!/usr/bin/env bash
# How every cost grows with the number of keys: bench/keygen writes N synthetic keys (Ed25519 with a
# Cv25519 subkey), `import --publish` loads them into an empty store, then the server starts on it and
# wrk asks for random keys from the list keygen wrote beside the keyring (so no cache hides the store).
# Per N it prints import time and keys/s, bytes on disk per key, start-up time, idle RSS, and req/s
# with p50/p99 for op=get by fingerprint, op=get by short key ID, op=index by e-mail, by name words,
# and by a word shared by 1,000 keys (paged). Then each goal ratio.
#
#   bench/scale.sh                                 # litedb, sizes 1000,10000,100000,1000000
#   bench/scale.sh --sizes 1000,10000              # a quicker look
#   bench/scale.sh --store postgresql              # a private PostgreSQL cluster, one database per N
#   bench/scale.sh --store litedb,postgresql       # both, the PG/LiteDB lookup ratio, and two PG instances
#
# With PostgreSQL, the largest N is also served by two server processes on the one database at once
# (each wrk gets half the connections) and compared with one; bytes per key is pg_database_size.
# Needs: dotnet, wrk, curl, python3 (and postgresql for --store postgresql). Knobs: WRK_THREADS (2), WRK_CONNECTIONS (32), WRK_DURATION (10s),
# BENCH_ARTIFACTS, BENCH_KEYS_DIR (where generated keyrings are kept between runs; default a temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

stores=litedb
sizes=1000,10000,100000,1000000
while [ $# -gt 0 ]; do
    case "$1" in
        --store) stores=$2; shift 2 ;;
        --sizes) sizes=$2; shift 2 ;;
        *) echo "usage: bench/scale.sh [--store litedb|postgresql|litedb,postgresql] [--sizes 1000,10000,...]" >&2; exit 2 ;;
    esac
done

threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-32}
duration=${WRK_DURATION:-10s}
artifacts=${BENCH_ARTIFACTS:-/tmp/keyserver-bench-artifacts}
for tool in dotnet wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk curl python3)" >&2; exit 1; }
done
. "$root/bench/lib/postgres.sh"

work=$(mktemp -d /tmp/bench-scale.XXXXXX)
keys_dir=${BENCH_KEYS_DIR:-$work/keys}
mkdir -p "$keys_dir"
server_pid=
second_pid=
cleanup() {
    for pid in $server_pid $second_pid; do kill "$pid" 2>/dev/null || true; done
    pg_stop
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.2f", a - b }'; }

echo "== publish (Release, ReadyToRun as deployed) and build keygen"
dotnet publish src/Keyserver.Web -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/publish" --artifacts-path "$artifacts" --nologo -v quiet >"$work/publish.log" 2>&1 ||
    { cat "$work/publish.log"; exit 1; }
dotnet build bench/keygen -c Release -o "$work/keygen" --artifacts-path "$artifacts" --nologo -v quiet >"$work/keygen.log" 2>&1 ||
    { cat "$work/keygen.log"; exit 1; }

# wrk picks a random line of the facts file keygen wrote (fingerprint, short ID, e-mail, name, team)
# for every request; the team word matches 1,000 keys and is asked for one page of 100.
cat >"$work/random.lua" <<'LUA'
local kind = os.getenv("LOOKUP")
local lines = {}
for line in io.lines(os.getenv("FACTS")) do lines[#lines + 1] = line end
local function field(line, n)
  local i = 0
  for value in string.gmatch(line, "[^\t]+") do i = i + 1; if i == n then return value end end
end
local function escape(s) return (string.gsub(s, "[^%w%.%-_]", function(c) return string.format("%%%02X", string.byte(c)) end)) end
math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000)
request = function()
  local line = lines[math.random(#lines)]
  local path
  if kind == "fingerprint" then path = "/pks/lookup?op=get&options=mr&search=0x" .. field(line, 1)
  elseif kind == "shortid" then path = "/pks/lookup?op=get&options=mr&search=0x" .. field(line, 2)
  elseif kind == "email" then path = "/pks/lookup?op=index&options=mr&search=" .. escape(field(line, 3))
  elseif kind == "name" then path = "/pks/lookup?op=index&options=mr&search=" .. escape(field(line, 4))
  else path = "/pks/lookup?op=index&options=mr&search=" .. field(line, 5) .. "&page-size=100&offset=" .. (100 * math.random(0, 9)) end
  return wrk.format("GET", path)
end
local errors = 0
response = function(status) if status >= 500 then errors = errors + 1 end end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status, summary.requests))
end
LUA

case ",$stores," in *,postgresql,*)
    echo "== private PostgreSQL cluster"
    pg_start ;;
esac

# Starts a server on the current store ($env_store, then settings $2...) on port $1, waits for
# /healthz, prints its pid.
start_server() {
    local port=$1; shift
    ( cd "$root" && exec env "${env_store[@]}" "$@" RateLimit__LookupsPerMinute=10000000 RateLimit__PermitsPerMinute=1000000 \
        dotnet "$work/publish/Keyserver.Web.dll" --urls "http://127.0.0.1:$port" ) >"$work/server-$port.log" 2>&1 </dev/null &
    local pid=$!
    for _ in $(seq 1 3000); do
        curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break
        kill -0 "$pid" 2>/dev/null || { cat "$work/server-$port.log" >&2; return 1; }
        sleep 0.05
    done
    echo "$pid"
}

# The servers are not children of this shell (started inside $(...)): wait for their exit by polling.
stop_server() {
    kill "$1" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
}

lookups="fingerprint shortid email name team"
declare -A result
for store in ${stores//,/ }; do
    for n in ${sizes//,/ }; do
        keyring=$keys_dir/keys-$n.gpg
        if [ ! -s "$keyring" ]; then
            echo "== keygen $n"
            dotnet "$work/keygen/keygen.dll" "$n" "$keyring"
        fi
        data=$work/data-$store-$n
        rm -rf "$data"; mkdir -p "$data"
        env_store=(Storage__DataDirectory="$data")
        if [ "$store" = postgresql ]; then
            pg_sql postgres "CREATE DATABASE scale_$n" >/dev/null
            # An empty database already takes several MB: bytes per key count only what the keys add.
            pg_empty=$(pg_sql "scale_$n" "SELECT pg_database_size(current_database())")
            env_store+=(Storage__Provider=PostgreSql Storage__ConnectionString="$(pg_connection "scale_$n")")
        fi

        echo "== $store N=$n: import"
        start=$(now)
        ( cd "$root" && env "${env_store[@]}" /usr/bin/time -f "peak_rss_kb %M" dotnet "$work/publish/Keyserver.Web.dll" import "$keyring" --publish ) \
            >"$work/import.log" 2>&1 || { tail -n 20 "$work/import.log"; exit 1; }
        import_s=$(since "$start")
        grep -E "^Total:|peak_rss_kb" "$work/import.log"
        import_rate=$(awk -v n="$n" -v s="$import_s" 'BEGIN { printf "%.0f", n / s }')
        if [ "$store" = litedb ]; then
            disk=$(du -sb "$data" | cut -f1)
            per_key=$(awk -v d="$disk" -v n="$n" 'BEGIN { printf "%.0f", d / n }')
        else
            per_key=$(awk -v d="$(pg_sql "scale_$n" "SELECT pg_database_size(current_database())")" -v e="$pg_empty" -v n="$n" 'BEGIN { printf "%.0f", (d - e) / n }')
        fi
        material=$(awk -v s="$(stat -c %s "$keyring")" -v n="$n" 'BEGIN { printf "%.0f", s / n }')

        port=$(free_port)
        start=$(now)
        server_pid=$(start_server "$port")
        startup_s=$(since "$start")
        sleep 2
        rss_mib=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status")
        echo "$store N=$n: import ${import_s}s (${import_rate} keys/s), ${per_key} B/key on disk (${material} B/key of key material), start-up ${startup_s}s, idle RSS ${rss_mib} MiB"
        result[$store,$n,import_rate]=$import_rate
        result[$store,$n,rss]=$rss_mib
        # Warm-up (JIT, connection pools), not measured.
        LOOKUP=fingerprint FACTS="$keyring.txt" wrk -t"$threads" -c"$connections" -d2s -s "$work/random.lua" "http://127.0.0.1:$port" >/dev/null
        for kind in $lookups; do
            out=$(LOOKUP=$kind FACTS="$keyring.txt" wrk -t"$threads" -c"$connections" -d"$duration" -s "$work/random.lua" "http://127.0.0.1:$port" | grep '^RESULT')
            read -r _ rps p50 p99 bad total <<<"$out"
            printf '  %-12s %9s req/s  p50 %7s ms  p99 %7s ms  non-2xx %s of %s\n' "$kind" "$rps" "$p50" "$p99" "$bad" "$total"
            result[$store,$n,$kind,rps]=$rps
            result[$store,$n,$kind,p99]=$p99
        done
        if [ "$store" = postgresql ] && [ "$n" = "${sizes##*,}" ]; then
            # Two instances on the one database, each asked by its own wrk with half the connections.
            port2=$(free_port)
            # Its own data directory: the control socket and the mail folder are per instance.
            mkdir -p "$data-2"
            second_pid=$(start_server "$port2" Storage__DataDirectory="$data-2")
            half=$(( connections / 2 > 0 ? connections / 2 : 1 ))
            LOOKUP=fingerprint FACTS="$keyring.txt" wrk -t1 -c"$half" -d"$duration" -s "$work/random.lua" "http://127.0.0.1:$port" >"$work/wrk-a" &
            wrk_a=$!
            LOOKUP=fingerprint FACTS="$keyring.txt" wrk -t1 -c"$half" -d"$duration" -s "$work/random.lua" "http://127.0.0.1:$port2" >"$work/wrk-b"
            wait "$wrk_a"
            two=$(cat "$work/wrk-a" "$work/wrk-b" | awk '/^RESULT/ { s += $2 } END { printf "%.0f", s }')
            printf '  two instances, fingerprint: %s req/s together (one: %s req/s)\n' "$two" "${result[$store,$n,fingerprint,rps]}"
            result[two]=$two
            stop_server "$second_pid"; second_pid=
        fi
        cat "$work"/server-*.log | grep -c '"Level":"Error"\|fail:' | sed 's/^/  server error lines: /' || true
        rm -f "$work"/server-*.log
        stop_server "$server_pid"; server_pid=
        [ -n "${BENCH_KEEP_DATA:-}" ] || rm -rf "$data" "$data-2"
    done
done

echo "== goals"
first=${sizes%%,*}
last=${sizes##*,}
for store in ${stores//,/ }; do
    for kind in $lookups; do
        awk -v a="${result[$store,$last,$kind,p99]}" -v b="${result[$store,$first,$kind,p99]}" -v s="$store" -v k="$kind" -v l="$last" -v f="$first" \
            'BEGIN { r = (b > 0 ? a / b : 0); printf "%s %-12s p99 at %s / p99 at %s: %.2f (goal <= 1.5) %s\n", s, k, l, f, r, (r <= 1.5 ? "met" : "NOT met") }'
    done
    awk -v r="${result[$store,$last,rss]}" -v s="$store" -v l="$last" 'BEGIN { printf "%s idle RSS at %s: %s MiB (goal <= 300) %s\n", s, l, r, (r <= 300 ? "met" : "NOT met") }'
    goal=5000; [ "$store" = postgresql ] && goal=2500
    awk -v r="${result[$store,$last,import_rate]}" -v s="$store" -v l="$last" -v g="$goal" 'BEGIN { printf "%s import at %s: %s keys/s (goal >= %s) %s\n", s, l, r, g, (r >= g ? "met" : "NOT met") }'
done
if [ -n "${result[two]:-}" ]; then
    awk -v t="${result[two]}" -v o="${result[postgresql,$last,fingerprint,rps]}" \
        'BEGIN { r = (o > 0 ? t / o : 0); printf "PG two instances / one, fingerprint req/s: %.2f (goal >= 1) %s\n", r, (r >= 1 ? "met" : "NOT met") }'
fi
case ",$stores," in *,litedb,*) case ",$stores," in *,postgresql,*)
    for kind in $lookups; do
        awk -v p="${result[postgresql,$last,$kind,rps]}" -v l="${result[litedb,$last,$kind,rps]}" -v k="$kind" \
            'BEGIN { r = (l > 0 ? p / l : 0); printf "PG/LiteDB %-12s req/s: %.2f (goal >= 0.5) %s\n", k, r, (r >= 0.5 ? "met" : "NOT met") }'
    done ;;
esac ;; esac
