#!/usr/bin/env bash
# Runs every saved regression input once through its fuzz target (ASan build, stable toolchain):
#   tests/fuzz-regressions/<target>/*   (kept in git, one folder per target)
# Exits non-zero if any input still crashes. No fuzzing is done and nothing is written.
#
#   fuzz/replay-regressions.sh              # every target that has a folder
#   fuzz/replay-regressions.sh decrypt      # one target
#   REGRESSIONS=fuzz/found fuzz/replay-regressions.sh   # replay this session's finds instead
set -uo pipefail

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$FUZZ_DIR")"
REG="${REGRESSIONS:-$ROOT/tests/fuzz-regressions}"
case "$REG" in /*) ;; *) REG="$ROOT/$REG" ;; esac
cd "$FUZZ_DIR"
export RUSTC_BOOTSTRAP=1

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for d in "$REG"/*/; do [ -d "$d" ] && targets+=("$(basename "$d")"); done
fi
[ ${#targets[@]} -eq 0 ] && { echo "no regression folders under $REG"; exit 0; }

status=0
for t in "${targets[@]}"; do
    dir="$REG/$t"
    [ -d "$dir" ] || { echo "== $t: no folder $dir"; continue; }
    n=$(find "$dir" -type f | wc -l)
    # One input at a time, so one crash does not hide the others.
    fails=0
    while IFS= read -r -d '' f; do
        if ! cargo fuzz run "$t" "$f" -- -runs=1 >/tmp/replay-$$.log 2>&1; then
            fails=$((fails + 1))
            echo "   CRASH $f"
            grep -E "panicked at|^[a-z].*(overflow|index|unwrap)|SUMMARY" /tmp/replay-$$.log | head -3 | sed 's/^/      /'
        fi
    done < <(find "$dir" -type f -print0 | sort -z)
    echo "== $t: $n inputs, $fails crashing"
    [ $fails -gt 0 ] && status=1
done
rm -f /tmp/replay-$$.log
exit $status
