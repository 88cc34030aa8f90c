#!/usr/bin/env bash
# Bulk import speed: the keyserver's `import` of the Debian keyring into an empty store, against
# `gpg --batch --import` of the same file into an empty GNUPGHOME, in the same run.
# Prints both wall-clock times and the ratio gpg/keyserver (goal >= 40).
# Needs: dotnet, gpg, debian-keyring. gpg alone takes about 85 s on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

keyring=${KEYRING:-/usr/share/keyrings/debian-keyring.gpg}
# BENCH_KEYS=N times both importers on the keyring's first N keys only (a quicker, still fair run).
bench_keys=${BENCH_KEYS:-}
artifacts=${BENCH_ARTIFACTS:-/tmp/keyserver-bench-artifacts}
[ -r "$keyring" ] || { echo "missing $keyring (apt-get install -y debian-keyring)" >&2; exit 1; }

work=$(mktemp -d /tmp/bench-import.XXXXXX)
cleanup() {
    gpgconf --homedir "$work/gnupg" --kill all 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

now() { date +%s.%N; }

if [ -n "$bench_keys" ]; then
    gpg --batch --no-default-keyring --keyring "$keyring" --with-colons --fingerprint 2>/dev/null |
        awk -F: '$1 == "pub" { want = 1; next } want && $1 == "fpr" { print $10; want = 0 }' >"$work/all.txt"
    head -n "$bench_keys" "$work/all.txt" >"$work/subset.txt"
    gpg --batch --no-default-keyring --keyring "$keyring" --export $(cat "$work/subset.txt") >"$work/subset.gpg" 2>/dev/null
    keyring=$work/subset.gpg
    echo "subset: first $bench_keys keys, $(stat -c %s "$keyring") bytes"
fi

echo "== publish (Release, ReadyToRun as deployed)"
dotnet publish src/Keyserver.Web -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/publish" --artifacts-path "$artifacts" --nologo -v quiet >"$work/publish.log" 2>&1 ||
    { cat "$work/publish.log"; exit 1; }

echo "== keyserver: import $keyring"
mkdir -p "$work/data"
start=$(now)
( cd "$root" && Storage__DataDirectory="$work/data" dotnet "$work/publish/Keyserver.Web.dll" import "$keyring" ) \
    >"$work/import.log" 2>&1 || { cat "$work/import.log"; exit 1; }
ours=$(awk -v a="$(now)" -v b="$start" 'BEGIN { print a - b }')
tail -n 5 "$work/import.log"

echo "== gpg --batch --import $keyring"
mkdir -m 700 "$work/gnupg"
start=$(now)
gpg --homedir "$work/gnupg" --batch --import "$keyring" >"$work/gpg.log" 2>&1 || true
theirs=$(awk -v a="$(now)" -v b="$start" 'BEGIN { print a - b }')
grep -E 'Total number processed|imported:' "$work/gpg.log" || true

printf 'keyserver import: %8.2f s\n' "$ours"
printf 'gpg --import:     %8.2f s\n' "$theirs"
awk -v o="$ours" -v g="$theirs" 'BEGIN { printf "ratio gpg/keyserver: %.1f (goal >= 40)\n", g / o }'
