#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each, one after the other, on the
# stable toolchain, with each target's dictionary and input-size cap. Logs go to
# fuzz/logs/<target>[-<sanitizer>].log (gitignored); crashes to fuzz/artifacts/<target>/.
#
#   fuzz/run-all.sh                       # 180 s each, AddressSanitizer
#   SECONDS_PER_TARGET=600 fuzz/run-all.sh decrypt roundtrip
#   SANITIZER=none fuzz/run-all.sh        # no ASan: 2-6x faster, finds panics/hangs/OOMs only
#   LIBFUZZER_ARGS="-fork=1 -ignore_crashes=1" fuzz/run-all.sh decrypt   # keep going past a known crash
set -uo pipefail

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$FUZZ_DIR"
export RUSTC_BOOTSTRAP=1           # stable rustc accepts the -Z flags cargo-fuzz passes
SECS="${SECONDS_PER_TARGET:-180}"
SAN="${SANITIZER:-address}"
EXTRA="${LIBFUZZER_ARGS:-}"
TARGET_DIR_ARGS=()
SUFFIX=""
if [ "$SAN" != address ]; then
    TARGET_DIR_ARGS=(--target-dir "target/$SAN")   # keep both builds
    SUFFIX="-$SAN"
fi
mkdir -p logs

flags_for() {
    case "$1" in
        encryption_info) echo "-dict=dict/encryption_info.dict -max_len=8192" ;;
        compound_file)   echo "-dict=dict/cfb.dict -max_len=65536" ;;
        decrypt)         echo "-dict=dict/cfb.dict -max_len=65536" ;;
        roundtrip)       echo "-max_len=20100" ;;
        dataspaces)      echo "-max_len=4096" ;;
        opc)             echo "-max_len=65536" ;;
        keys)            echo "-max_len=8192" ;;
        irm)             echo "-max_len=65536" ;;
        multibuffer)     echo "-max_len=2048" ;;
        mutate)          echo "-max_len=65536" ;;
    esac
}

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(encryption_info compound_file decrypt roundtrip dataspaces opc keys oleps labels irm legacy multibuffer mutate)
status=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    echo "== $t: ${SECS}s, sanitizer $SAN"
    # shellcheck disable=SC2046
    cargo fuzz run -s "$SAN" "${TARGET_DIR_ARGS[@]}" "$t" -- \
        -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        $(flags_for "$t") $EXTRA >"logs/$t$SUFFIX.log" 2>&1
    rc=$?
    grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)" "logs/$t$SUFFIX.log" | tail -2
    grep -E "stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "logs/$t$SUFFIX.log"
    if [ $rc -ne 0 ]; then
        status=1
        echo "   FAILED (rc $rc): see fuzz/logs/$t$SUFFIX.log"
        grep -E "panicked at|ERROR: libFuzzer|SUMMARY|Test unit written" "logs/$t$SUFFIX.log" | head -5
    fi
done
exit $status
