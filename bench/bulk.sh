#!/usr/bin/env bash
# bench/bulk.sh -- many small files: `docseal protect` of N small docx files with --jobs 2
# against `docseal encrypt` run on each file, two at a time (xargs -P 2), both with Office's
# profile (AES-256, SHA-512, 100,000 spin rounds). Prints files per second and the ratio
# (goal >= 3x), plus `docseal unprotect` and `docseal scan --password-env` on the protected tree.
#   bench/bulk.sh [N] [FILE]   (default 1000 copies of corpus/generated/pydocx.docx, 37 KB)
# Env: DOCSEAL_BIN (default: cargo build --release -p docseal-cli, target/release/docseal).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-1000}"
FILE="${2:-$REPO/corpus/generated/pydocx.docx}"
if [ -z "${DOCSEAL_BIN:-}" ]; then
  (cd "$REPO" && cargo build --release -q -p docseal-cli)
  DOCSEAL_BIN="${CARGO_TARGET_DIR:-$REPO/target}/release/docseal"
fi
T="$(mktemp -d)"; trap 'rm -rf "$T"' EXIT
mkdir -p "$T/src" "$T/loop"
for i in $(seq -w 1 "$N"); do cp "$FILE" "$T/src/f$i.docx"; done
export BENCH_PW="bench password"
now() { date +%s.%N; }
rate() { awk -v n="$N" -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", n/(b-a)}'; }

t0=$(now)
"$DOCSEAL_BIN" -q protect "$T/src" "$T/dst" --password-env BENCH_PW --jobs 2
t1=$(now)
(cd "$T/src" && ls | xargs -P 2 -I{} "$DOCSEAL_BIN" -q encrypt {} "$T/loop/{}" --password-env BENCH_PW)
t2=$(now)
"$DOCSEAL_BIN" -q unprotect "$T/dst" "$T/back" --password-env BENCH_PW --jobs 2
t3=$(now)
"$DOCSEAL_BIN" -q scan --password-env BENCH_PW --jobs 2 "$T/dst" >/dev/null
t4=$(now)
cmp -s "$FILE" "$T/back/f$(seq -w 1 "$N" | head -1).docx" || { echo "unprotect output differs" >&2; exit 1; }

p=$(rate "$t0" "$t1"); l=$(rate "$t1" "$t2")
echo "files: $N x $(stat -c %s "$FILE") bytes ($(basename "$FILE")), $(nproc) cores, $("$DOCSEAL_BIN" --version)"
echo "protect --jobs 2:              $p files/s"
echo "encrypt per file, 2 parallel:  $l files/s"
echo "ratio:                         $(awk -v a="$p" -v b="$l" 'BEGIN{printf "%.2f", a/b}')x (goal >= 3x)"
echo "unprotect --jobs 2:            $(rate "$t2" "$t3") files/s"
echo "scan --password-env --jobs 2:  $(rate "$t3" "$t4") files/s"
