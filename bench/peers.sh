#!/usr/bin/env bash
# bench/peers.sh -- docseal against msoffcrypto-tool (PyPI, CLI) on the same 64 MiB xlsx, both
# directions, wall time and peak RSS from /usr/bin/time -v, and the ratios.
#   DOCSEAL_BIN  docseal binary (default: build target/release/docseal)
#   ROWS         rows of the generated workbook (default 820000: ~64 MiB zipped)
#   RUNS         repetitions per measurement, best taken (default 3)
# Needs the oracles' venv (../shared/oracles/install-oracles.sh) for msoffcrypto-tool.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${DOCSEAL_SHARED:-$REPO/../shared}"
VENV="${OFFICE_ORACLES_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/office-oracles}/venv"
MSO="$VENV/bin/msoffcrypto-tool"
ROWS="${ROWS:-820000}"; RUNS="${RUNS:-3}"
[ -x "$MSO" ] || { echo "msoffcrypto-tool not found at $MSO (run $SHARED/oracles/install-oracles.sh)" >&2; exit 1; }
if [ -z "${DOCSEAL_BIN:-}" ]; then
  (cd "$REPO" && cargo build --release -q -p docseal-cli)
  DOCSEAL_BIN="$REPO/target/release/docseal"
fi
DATA="$REPO/target/bench-data"; mkdir -p "$DATA"
PLAIN="$DATA/large-$ROWS.xlsx"
[ -s "$PLAIN" ] || /usr/bin/python3 "$SHARED/corpus/make-large.py" "$PLAIN" --rows "$ROWS" >/dev/null
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
PW="bench-pässwörd"

# best of RUNS: prints "seconds maxrss_kb"
measure() {
  local best_t="" best_m=""
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %M' -o "$TMP/time" "$@" >/dev/null 2>"$TMP/err" || { cat "$TMP/err" >&2; return 1; }
    read -r t m < "$TMP/time"
    if [ -z "$best_t" ] || awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; best_m=$m; fi
  done
  echo "$best_t $best_m"
}

size=$(stat -c %s "$PLAIN")
echo "package: $PLAIN ($size bytes); best of $RUNS; spin count 100000 everywhere"
read -r de dm < <(measure "$DOCSEAL_BIN" encrypt "$PLAIN" "$TMP/ds.xlsx" -p "$PW")
read -r me mm < <(measure "$MSO" -e -p "$PW" "$PLAIN" "$TMP/mso.xlsx")
read -r dd ddm < <(measure "$DOCSEAL_BIN" decrypt "$TMP/mso.xlsx" "$TMP/ds-plain.xlsx" -p "$PW")
read -r md mdm < <(measure "$MSO" -p "$PW" "$TMP/ds.xlsx" "$TMP/mso-plain.xlsx")
cmp -s "$PLAIN" "$TMP/ds-plain.xlsx" && cmp -s "$PLAIN" "$TMP/mso-plain.xlsx" || { echo "round trip mismatch" >&2; exit 1; }
printf '%-10s %-16s %10s %12s\n' direction tool seconds "peak RSS MB"
printf '%-10s %-16s %10s %12.1f\n' encrypt docseal "$de" "$(echo "$dm/1024" | bc -l)"
printf '%-10s %-16s %10s %12.1f\n' encrypt msoffcrypto-tool "$me" "$(echo "$mm/1024" | bc -l)"
printf '%-10s %-16s %10s %12.1f\n' decrypt "docseal (+HMAC)" "$dd" "$(echo "$ddm/1024" | bc -l)"
printf '%-10s %-16s %10s %12.1f\n' decrypt msoffcrypto-tool "$md" "$(echo "$mdm/1024" | bc -l)"
printf 'ratio encrypt: %.2fx   ratio decrypt: %.2fx   (msoffcrypto-tool time / docseal time)\n' \
  "$(echo "$me/$de" | bc -l)" "$(echo "$md/$dd" | bc -l)"
