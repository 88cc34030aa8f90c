#!/usr/bin/env bash
# Lookup throughput of the keyserver against nginx serving the very same bytes as a static file.
#
# Release build, Debian keyring imported with --publish, one large published key fetched with
# op=get&options=mr, then wrk on both servers with the same settings. Prints req/s for each, the
# ratio keyserver/nginx (goal >= 0.5) and the keyserver's peak RSS during its run (goal < 300 MB).
# Needs: dotnet, gpg, wrk, nginx-light, debian-keyring, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-64}
duration=${WRK_DURATION:-10s}
keyring=${KEYRING:-/usr/share/keyrings/debian-keyring.gpg}
# BENCH_KEYS=N imports only the keyring's first N keys (a quicker run; the lookup path is the same).
bench_keys=${BENCH_KEYS:-}
artifacts=${BENCH_ARTIFACTS:-/tmp/keyserver-bench-artifacts}

for tool in dotnet gpg wrk nginx curl python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk nginx-light curl python3)" >&2; exit 1; }
done
[ -r "$keyring" ] || { echo "missing $keyring (apt-get install -y debian-keyring)" >&2; exit 1; }

work=$(mktemp -d /tmp/bench-lookup.XXXXXX)
server_pid=
nginx_pid=
sampler_pid=
cleanup() {
    for pid in $sampler_pid $server_pid $nginx_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() { # url
    for _ in $(seq 1 600); do
        curl -fs -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "no answer from $1" >&2
    return 1
}

echo "== publish (Release, ReadyToRun as deployed)"
dotnet publish src/Keyserver.Web -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/publish" --artifacts-path "$artifacts" --nologo -v quiet >"$work/publish.log" 2>&1 ||
    { cat "$work/publish.log"; exit 1; }

fingerprints() { # keyring -> primary fingerprints, in file order
    gpg --batch --no-default-keyring --keyring "$1" --with-colons --fingerprint 2>/dev/null |
        awk -F: '$1 == "pub" { want = 1; next } want && $1 == "fpr" { print $10; want = 0 }'
}

if [ -n "$bench_keys" ]; then
    # gpg resolves a relative --keyring under its home; the subset is written to an absolute path.
    fingerprints "$keyring" >"$work/all.txt"
    head -n "$bench_keys" "$work/all.txt" >"$work/subset.txt"
    gpg --batch --no-default-keyring --keyring "$keyring" --export $(cat "$work/subset.txt") >"$work/subset.gpg" 2>/dev/null
    keyring=$work/subset.gpg
fi

echo "== import $keyring --publish"
export Storage__DataDirectory="$work/data" RateLimit__PermitsPerMinute=1000000 RateLimit__LookupsPerMinute=10000000
mkdir -p "$work/data"
( cd "$root" && dotnet "$work/publish/Keyserver.Web.dll" import "$keyring" --publish ) | tail -n 5

port=$(free_port)
dotnet "$work/publish/Keyserver.Web.dll" --urls "http://127.0.0.1:$port" --contentRoot "$root" \
    >"$work/server.log" 2>&1 &
server_pid=$!
wait_for "http://127.0.0.1:$port/healthz"

# A key that is large once armored (several KB): the biggest among the first keys of the keyring.
echo "== pick a large key"
best_fpr=
best_size=0
while read -r fpr; do
    size=$(curl -fs "http://127.0.0.1:$port/pks/lookup?op=get&options=mr&search=0x$fpr" | wc -c)
    if [ "$size" -gt "$best_size" ]; then best_size=$size; best_fpr=$fpr; fi
done < <(fingerprints "$keyring" | head -n 40)
[ -n "$best_fpr" ] || { echo "the server served none of the keyring's keys" >&2; cat "$work/server.log" >&2; exit 1; }
path="/pks/lookup?op=get&options=mr&search=0x$best_fpr"
mkdir -p "$work/www"
curl -fs -o "$work/www/key.asc" "http://127.0.0.1:$port$path"
# nginx's workers drop root privileges (www-data): let them read the copy in the private work dir.
chmod a+rx "$work" "$work/www"
chmod a+r "$work/www/key.asc"
echo "key $best_fpr: $best_size bytes armored"

nginx_port=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/tmp;
    proxy_temp_path $work/tmp;
    fastcgi_temp_path $work/tmp;
    uwsgi_temp_path $work/tmp;
    scgi_temp_path $work/tmp;
    default_type application/pgp-keys;
    server {
        listen 127.0.0.1:$nginx_port;
        root $work/www;
    }
}
CONF
mkdir -p "$work/tmp"
nginx -c "$work/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
wait_for "http://127.0.0.1:$nginx_port/key.asc"
cmp -s "$work/www/key.asc" <(curl -fs "http://127.0.0.1:$nginx_port/key.asc") ||
    { echo "nginx does not serve the same bytes" >&2; exit 1; }

rps() { # url -> requests/s
    wrk -t"$threads" -c"$connections" -d"$duration" "$1" >"$work/wrk.out"
    grep -q 'Non-2xx' "$work/wrk.out" && { cat "$work/wrk.out" >&2; echo "non-2xx answers" >&2; exit 1; }
    awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.out"
}

echo "== warm up"
wrk -t"$threads" -c"$connections" -d3s "http://127.0.0.1:$port$path" >/dev/null
wrk -t"$threads" -c"$connections" -d3s "http://127.0.0.1:$nginx_port/key.asc" >/dev/null

echo "== wrk -t$threads -c$connections -d$duration"
# Peak RSS of the keyserver while it serves: VmHWM is the kernel's own high-water mark.
( peak=0
  while kill -0 "$server_pid" 2>/dev/null; do
      rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status" 2>/dev/null || echo 0)
      [ "${rss:-0}" -gt "$peak" ] && peak=$rss && echo "$peak" >"$work/rss.peak"
      sleep 0.2
  done ) &
sampler_pid=$!
server_rps=$(rps "http://127.0.0.1:$port$path")
hwm_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status")
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=
nginx_rps=$(rps "http://127.0.0.1:$nginx_port/key.asc")
sampled_kb=$(cat "$work/rss.peak" 2>/dev/null || echo 0)

printf 'keyserver  %10.0f req/s   (%s)\n' "$server_rps" "$path"
printf 'nginx      %10.0f req/s   (static copy, %s bytes)\n' "$nginx_rps" "$best_size"
awk -v s="$server_rps" -v n="$nginx_rps" 'BEGIN { printf "ratio keyserver/nginx: %.2f (goal >= 0.5)\n", s / n }'
awk -v h="$hwm_kb" -v r="$sampled_kb" 'BEGIN { printf "keyserver peak RSS: %.0f MB (VmHWM; sampled VmRSS max %.0f MB; goal < 300 MB)\n", h / 1024, r / 1024 }'
