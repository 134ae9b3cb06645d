#!/usr/bin/env bash
# run.sh -- docseal's C ABI from C:
#   1. build the crate (release) and install it to a temporary prefix (../../install.sh)
#   2. compile test_docseal.c with `pkg-config --cflags --libs docseal` (shared library), again
#      with -fsanitize=address against libdocseal.a, and the header as C++
#   3. run the test plain, under valgrind (leaks, invalid accesses), under AddressSanitizer;
#      compare docseal_inspect_json with `docseal inspect --json` on corpus files (when the CLI
#      is built: DOCSEAL_BIN, default target/release/docseal)
#   4. examples/xlsxwriter_encrypt.c: libxlsxwriter writes a workbook, docseal encrypts it, and
#      msoffcrypto-tool and LibreOffice (shared/oracles) open it with the password and see the cells
# Ends with "N passed, M failed" (the checks of the three test runs plus this script's own);
# exit status 1 if anything failed. Missing valgrind, libxlsxwriter or oracles are skipped with
# the reason printed (CI installs them: .ci/run).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CRATE="$(cd "$HERE/../.." && pwd)"
REPO="$(cd "$CRATE/../.." && pwd)"
SHARED="${DOCSEAL_SHARED:-$REPO/../shared}"
ORACLES="$SHARED/oracles"
ORACLE_HOME="${OFFICE_ORACLES_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/office-oracles}"
PLAIN="$REPO/corpus/generated/minimal.docx"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
skip() { echo "skipped: $*"; }
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

# Adds the "N passed, M failed" line of a test run's log; a run that exited non-zero without
# reporting a failed check (a crash, a sanitizer report) counts as one failure.
tally() {
  local what=$1 log=$2 rc=$3 line p=0 f=0
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)"
  if [ -n "$line" ]; then
    p="${line%% passed*}"
    f="${line#*, }"
    f="${f%% failed}"
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  grep -E '^(FAIL|note):' "$log" | sed "s/^/  [$what] /"
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    fail "$what exited with status $rc"
    tail -30 "$log" | sed "s/^/  [$what] /"
  else
    echo "$what: ${line:-no result line} (exit $rc)"
  fi
}

echo "== 1. build and install ($T/prefix)"
if bash "$CRATE/install.sh" "$T/prefix"; then
  pass "install.sh"
else
  fail "install.sh"
  finish
fi
export PKG_CONFIG_PATH="$T/prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
VERSION="$(pkg-config --modversion docseal)"
CFLAGS=(-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -g "-DEXPECTED_VERSION=\"$VERSION\"")

echo "== 2. compile"
# shellcheck disable=SC2046 # pkg-config output is meant to split
if gcc "${CFLAGS[@]}" $(pkg-config --cflags docseal) "$HERE/test_docseal.c" -o "$T/test_docseal" \
  $(pkg-config --libs docseal) -Wl,-rpath,"$T/prefix/lib" -pthread; then
  pass "test_docseal.c against libdocseal.so (pkg-config docseal $VERSION)"
else
  fail "test_docseal.c does not compile"
  finish
fi
# The static library for ASan: libdocseal.a and its Libs.private (pkg-config --static).
# shellcheck disable=SC2046
if gcc "${CFLAGS[@]}" -fsanitize=address -fno-omit-frame-pointer $(pkg-config --cflags docseal) \
  "$HERE/test_docseal.c" -o "$T/test_docseal_asan" \
  $(pkg-config --static --libs docseal | sed 's/-ldocseal\b/-l:libdocseal.a/') -pthread; then
  pass "test_docseal.c with -fsanitize=address against libdocseal.a"
else
  fail "test_docseal.c does not compile with -fsanitize=address"
fi
if command -v g++ >/dev/null; then
  # shellcheck disable=SC2046
  if echo '#include <docseal.h>' | g++ -x c++ -fsyntax-only -Wall -Werror $(pkg-config --cflags docseal) -; then
    pass "docseal.h compiles as C++"
  else
    fail "docseal.h does not compile as C++"
  fi
fi

CERT=()
if command -v openssl >/dev/null &&
  openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=capi test/O=docseal" -days 30 \
    -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1; then
  CERT=("$T/cert.pem")
else
  skip "openssl missing: no test certificate, recipient checks skipped"
fi
mkdir -p "$T/plain" "$T/valgrind" "$T/asan"

echo "== 3. run"
rc=0
"$T/test_docseal" "$PLAIN" "$T/plain" "${CERT[@]}" >"$T/plain.log" 2>&1 || rc=$?
tally "plain" "$T/plain.log" "$rc"

if command -v valgrind >/dev/null; then
  rc=0
  valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    "$T/test_docseal" "$PLAIN" "$T/valgrind" "${CERT[@]}" >"$T/valgrind.log" 2>&1 || rc=$?
  tally "valgrind" "$T/valgrind.log" "$rc"
  grep -E 'ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|still reachable|All heap blocks were freed|total heap usage' \
    "$T/valgrind.log" | sed 's/^==[0-9]*== */  valgrind: /'
else
  skip "valgrind not installed (apt-get install valgrind)"
fi

rc=0
ASAN_OPTIONS="detect_leaks=1:halt_on_error=1" \
  "$T/test_docseal_asan" "$PLAIN" "$T/asan" "${CERT[@]}" >"$T/asan.log" 2>&1 || rc=$?
tally "asan" "$T/asan.log" "$rc"
if grep -qE 'ERROR: (Address|Leak)Sanitizer' "$T/asan.log"; then
  grep -E 'SUMMARY: |ERROR: ' "$T/asan.log" | sed 's/^/  asan: /'
else
  echo "  asan: no AddressSanitizer or LeakSanitizer report (detect_leaks=1)"
fi

# docseal_inspect_json gives what `docseal inspect --json` prints (when the CLI is built).
DOCSEAL_BIN="${DOCSEAL_BIN:-${CARGO_TARGET_DIR:-$REPO/target}/release/docseal}"
# shellcheck disable=SC2046
if [ -x "$DOCSEAL_BIN" ] && gcc -std=c11 -Wall -Wextra -Werror $(pkg-config --cflags docseal) \
  "$HERE/inspect_json.c" -o "$T/inspect_json" $(pkg-config --libs docseal) -Wl,-rpath,"$T/prefix/lib"; then
  for f in generated/minimal.docx generated/label-both.pptx generated/agile-msoffcrypto-label-labelinfo.docx \
    generated/standard-lo-calc.xlsx generated/rc4-lo-writer.doc fetched/msoffcrypto-tool/example_password.xlsx; do
    if [ ! -f "$REPO/corpus/$f" ]; then
      fail "corpus/$f missing"
    elif [ "$("$T/inspect_json" "$REPO/corpus/$f")" = "$("$DOCSEAL_BIN" inspect --json "$REPO/corpus/$f")" ]; then
      pass "docseal_inspect_json = docseal inspect --json for corpus/$f"
    else
      fail "docseal_inspect_json differs from docseal inspect --json for corpus/$f"
    fi
  done
else
  skip "no docseal binary at $DOCSEAL_BIN (cargo build --release -p docseal-cli): inspect JSON not compared"
fi

echo "== 4. libxlsxwriter example"
if ! pkg-config --exists xlsxwriter; then
  skip "libxlsxwriter not installed (apt-get install libxlsxwriter-dev)"
  finish
fi
# shellcheck disable=SC2046
if gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror "$CRATE/examples/xlsxwriter_encrypt.c" \
  -o "$T/xlsxwriter_encrypt" $(pkg-config --cflags --libs docseal xlsxwriter) \
  -Wl,-rpath,"$T/prefix/lib" && "$T/xlsxwriter_encrypt" "$T/book.xlsx" "Pa55 wörd"; then
  pass "xlsxwriter_encrypt wrote an encrypted workbook"
else
  fail "xlsxwriter_encrypt"
  finish
fi

if [ -x "$ORACLE_HOME/venv/bin/python" ] && [ -f "$ORACLES/oracle-decrypt.py" ]; then
  if python3 "$ORACLES/oracle-decrypt.py" "$T/book.xlsx" "Pa55 wörd" "$T/book-msoffcrypto.xlsx" >"$T/msoffcrypto.json" &&
    python3 - "$T/book-msoffcrypto.xlsx" <<'PY'
import sys, zipfile
strings = zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode()
sheet = zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode()
assert all(s in strings for s in ("Region", "Revenue", "North", "South")), strings
assert "1234.5" in sheet, sheet
PY
  then
    pass "msoffcrypto-tool decrypts the workbook (integrity ok) and the cells are there: $(head -c 120 "$T/msoffcrypto.json")"
  else
    fail "msoffcrypto-tool on the workbook: $(cat "$T/msoffcrypto.json" 2>/dev/null)"
  fi
else
  skip "msoffcrypto-tool oracle missing ($ORACLE_HOME/venv): run $ORACLES/install-oracles.sh"
fi

if command -v soffice >/dev/null && [ -f "$ORACLES/oracle-lo-open.py" ]; then
  if python3 "$ORACLES/oracle-lo-open.py" "$T/book.xlsx" "Pa55 wörd" --export "$T/book.csv" >"$T/lo.json" &&
    grep -qx 'Region,Revenue' "$T/book.csv" && grep -qx 'North,1234.5' "$T/book.csv" &&
    grep -qx 'South,987' "$T/book.csv"; then
    pass "LibreOffice opens the workbook with the password; CSV: $(tr '\n' ' ' <"$T/book.csv")"
  else
    fail "LibreOffice on the workbook: $(cat "$T/lo.json" 2>/dev/null); CSV: $(cat "$T/book.csv" 2>/dev/null)"
  fi
else
  skip "LibreOffice oracle missing: run $ORACLES/install-oracles.sh"
fi

finish
