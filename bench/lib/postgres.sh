# Sourced by the benchmarks that need PostgreSQL: a private cluster in a temp directory of its own
# (the postgres user cannot enter the caller's 0700 one), on a free loopback port, run as the
# postgres user when the caller is root. After pg_start: $pg_port, and pg_connection DB prints an
# Npgsql connection string for database DB ("postgres" by default). pg_stop stops the cluster and
# removes its directory (call it from the caller's exit trap).
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
pg_dir=
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_start() {
    [ -n "$pg_bin" ] || { echo "missing postgresql (apt-get install -y postgresql)" >&2; return 1; }
    pg_dir=$(mktemp -d /tmp/keyserver-bench-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$pg_dir"
    pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >/dev/null
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1" start >/dev/null
}

pg_stop() {
    [ -n "$pg_dir" ] || return 0
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
}

pg_connection() { echo "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=${1:-postgres}"; }

# Runs one SQL statement in database $1 and prints the bare result.
pg_sql() { as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" -Atc "$2"; }
