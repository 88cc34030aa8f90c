#!/usr/bin/env bash
# Verify (and sign) speed of sifsign against baselines run in the same script on the same file:
#   - `openssl dgst -sha256` of the whole 1 GiB image (the floor: one SHA-256 pass over the data),
#   - the reference verifier (sylabs/sif pkg/integrity, via tests/Interop/go/src/sifref).
# Prints the ratios (goal: sifsign verify and sign <= 1.05x openssl), sifsign's peak RSS (goal < 64 MiB)
# and the wall time of `sifsign verify` on a tiny image (goal <= 150 ms). sifsign is measured as
# deployed: the one native file `dotnet publish -r linux-x64` makes (Native AOT).
#
# Usage: bench/verify.sh [SIZE_MIB]   (default 1024). Needs: dotnet, clang, zlib1g-dev, go (golang-go),
# golang-github-sylabs-sif-dev, openssl, hyperfine, /usr/bin/time. Works in a temp dir it deletes.
# BENCH_BUILDS=1 also publishes the two ReadyToRun builds (framework-dependent, and self-contained
# single file) and times the tiny verify, `--version` and `key list` of all three builds in one
# hyperfine run (a few minutes more).
set -euo pipefail

size_mib=${1:-1024}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/sifsign-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "== publishing sifsign (Native AOT) and building the reference helper"
dotnet publish "$repo/src/SifSign.Cli" -c Release -r linux-x64 \
  --artifacts-path "$work/artifacts" -o "$work/sifsign" >/dev/null
sifsign="$work/sifsign/sifsign"
GO111MODULE=off GOPATH="$repo/tests/Interop/go:/usr/share/gocode" GOPROXY=off GOFLAGS= GOCACHE="$work/gocache" \
  go build -o "$work/sifref" sifref
sifref="$work/sifref"

export APPTAINER_KEYSDIR="$work/keys" SIFSIGN_PASSPHRASE="" XDG_CONFIG_HOME="$work/config"

echo "== RSA-4096 key and a ${size_mib} MiB image (one squashfs partition)"
"$sifsign" key newpair --name "Bench" --email bench@example.org --comment "" >/dev/null 2>&1
fingerprint=$("$sifsign" key list | awk '/Fingerprint:/ {print $2; exit}')
"$sifsign" key export --armor "$fingerprint" "$work/public.asc" >/dev/null
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/rootfs.bin"
"$sifsign" sif new "$work/image.sif"
"$sifsign" sif add --datatype 4 --parttype 2 --partfs 1 --partarch 2 --groupid 1 "$work/image.sif" "$work/rootfs.bin"
rm "$work/rootfs.bin"
cp "$work/image.sif" "$work/unsigned.sif"

# Sign a fresh copy each run so every run does the same work (one new signature). The copy is
# synced first: sign flushes the image to disk for crash safety, and must not pay for cp's writeback.
echo "== timing (warm page cache; hyperfine, 5 runs each)"
hyperfine --warmup 1 --runs 5 --export-json "$work/times.json" \
  --prepare "cp $work/unsigned.sif $work/sign.sif && sync" -n "sifsign sign" "$sifsign sign $work/sign.sif" \
  -n "openssl dgst -sha256" "openssl dgst -sha256 $work/image.sif" \
  >/dev/null
"$sifsign" sign "$work/image.sif" 2>/dev/null
hyperfine --warmup 1 --runs 5 --export-json "$work/verify.json" \
  -n "sifsign verify" "$sifsign verify --local $work/image.sif" \
  -n "reference verify" "$sifref verify -key $work/public.asc $work/image.sif" \
  -n "openssl dgst -sha256" "openssl dgst -sha256 $work/image.sif" \
  >/dev/null

# Wall-clock means, and CPU (user + system) means: on a busy machine wall time swings with the
# load, CPU time much less, so both ratios are printed.
stat() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); r=[r for r in d['results'] if r['command']==sys.argv[2]][0]; print(r['mean'], r['user']+r['system'])" "$1" "$2"; }
read -r sign sign_cpu < <(stat "$work/times.json" "sifsign sign")
read -r openssl_a openssl_a_cpu < <(stat "$work/times.json" "openssl dgst -sha256")
read -r verify verify_cpu < <(stat "$work/verify.json" "sifsign verify")
read -r reference reference_cpu < <(stat "$work/verify.json" "reference verify")
read -r openssl_b openssl_b_cpu < <(stat "$work/verify.json" "openssl dgst -sha256")

echo "== peak RSS of sifsign verify and sign"
rss_verify=$(/usr/bin/time -v "$sifsign" verify --local "$work/image.sif" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}')
cp "$work/unsigned.sif" "$work/sign.sif" && sync
rss_sign=$(/usr/bin/time -v "$sifsign" sign "$work/sign.sif" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}')

echo "== tiny image: verify wall time"
tiny=/usr/share/gocode/src/github.com/sylabs/sif/test/images/one-group-signed.sif
"$sifsign" key import /usr/share/gocode/src/github.com/sylabs/sif/test/keys/private.asc >/dev/null
hyperfine -N --warmup 3 --runs 30 --export-json "$work/tiny.json" -n tiny "$sifsign verify --local $tiny" >/dev/null
tiny_ms=$(python3 -c "import json; print(round(json.load(open('$work/tiny.json'))['results'][0]['mean']*1000, 1))")
tiny_user_ms=$(python3 -c "import json; r=json.load(open('$work/tiny.json'))['results'][0]; print(round((r['user']+r['system'])*1000, 1))")

if [ "${BENCH_BUILDS:-}" = 1 ]; then
  echo "== the same tiny verify, --version and key list: Native AOT against the ReadyToRun builds"
  dotnet publish "$repo/src/SifSign.Cli" -c Release -r linux-x64 -p:PublishAot=false --self-contained false \
    --artifacts-path "$work/artifacts-r2r" -o "$work/r2r" >/dev/null
  dotnet publish "$repo/src/SifSign.Cli" -c Release -r linux-x64 -p:PublishAot=false --self-contained \
    -p:PublishSingleFile=true --artifacts-path "$work/artifacts-single" -o "$work/single" >/dev/null
  builds=()
  for build in "aot:$sifsign" "single-file R2R:$work/single/sifsign" "framework-dependent R2R:$work/r2r/sifsign"; do
    name=${build%%:*} binary=${build#*:}
    builds+=(-n "$name verify" "$binary verify --local $tiny" -n "$name --version" "$binary --version" \
      -n "$name key list" "$binary key list")
  done
  hyperfine -N --warmup 3 --runs 30 --export-json "$work/builds.json" "${builds[@]}" >/dev/null
  python3 - "$work/builds.json" <<'PY'
import json, sys
print(f"\n{'build and command':42} {'wall ms':>8} {'CPU ms':>8}")
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['command']:42} {r['mean'] * 1000:8.1f} {(r['user'] + r['system']) * 1000:8.1f}")
PY
fi

python3 - "$sign" "$openssl_a" "$verify" "$reference" "$openssl_b" "$rss_verify" "$rss_sign" "$tiny_ms" "$tiny_user_ms" "$size_mib" \
  "$sign_cpu" "$openssl_a_cpu" "$verify_cpu" "$reference_cpu" "$openssl_b_cpu" <<'PY'
import sys
sign, ossl_a, verify, ref, ossl_b = map(float, sys.argv[1:6])
rss_v, rss_s = int(sys.argv[6]) / 1024, int(sys.argv[7]) / 1024
tiny, tiny_cpu, size = float(sys.argv[8]), float(sys.argv[9]), sys.argv[10]
sign_c, ossl_a_c, verify_c, ref_c, ossl_b_c = map(float, sys.argv[11:16])
def verdict(ok): return "ok" if ok else "MISSED"
print(f"\nimage: {size} MiB, one FS object, RSA-4096 signature           wall (ratio)          CPU (ratio)")
print(f"openssl dgst -sha256       {ossl_b:7.3f} s               {ossl_b_c:7.3f} s")
print(f"sifsign verify             {verify:7.3f} s ({verify/ossl_b:5.2f}x)      {verify_c:7.3f} s ({verify_c/ossl_b_c:5.2f}x)   goal <= 1.05x: {verdict(verify/ossl_b <= 1.05)}")
print(f"reference verify (Go)      {ref:7.3f} s ({ref/ossl_b:5.2f}x)      {ref_c:7.3f} s ({ref_c/ossl_b_c:5.2f}x)")
print(f"sifsign sign               {sign:7.3f} s ({sign/ossl_a:5.2f}x)      {sign_c:7.3f} s ({sign_c/ossl_a_c:5.2f}x)   goal <= 1.05x: {verdict(sign/ossl_a <= 1.05)}")
print(f"peak RSS sifsign verify    {rss_v:7.1f} MiB (goal < 64 MiB: {verdict(rss_v < 64)})")
print(f"peak RSS sifsign sign      {rss_s:7.1f} MiB")
print(f"tiny image verify          {tiny:7.1f} ms wall, {tiny_cpu:.1f} ms CPU (goal <= 150 ms: {verdict(tiny <= 150)})")
PY
