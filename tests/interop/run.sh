#!/usr/bin/env bash
# tests/interop/run.sh -- docseal against independent MS-OFFCRYPTO implementations (the oracles
# in shared/oracles, see shared/oracles/README.md):
#   1. msoffcrypto-tool reads docseal: package sizes around the 16-byte block and 4096-byte
#      segment boundaries plus a real docx, four cipher/hash profiles, ASCII and non-ASCII
#      passwords given by -p, --password-env and --password-file; oracle-decrypt.py must return
#      the exact package, `docseal verify` must accept the file, and oracle-inspect.py must see
#      the requested cipher, hash and spin count.
#   2. docseal reads msoffcrypto-tool: oracle-encrypt.py files decrypt to the exact package,
#      verify exits 0, a wrong password exits 3 and writes nothing.
#   3. Tamper: one flipped bit inside EncryptedPackage makes decrypt and verify exit 4, and
#      decrypt leaves no output file behind.
#   4. LibreOffice opens and POI decrypts docseal-encrypted docx/xlsx/pptx (skipped, and counted
#      as skipped, when soffice or java/POI are absent).
# One line per check, then "interop: N passed, N failed[, N skipped]"; exit 1 if anything failed.
#
# Env: DOCSEAL_BIN (binary to test; default: cargo build --release -p docseal-cli),
#      DOCSEAL_SHARED (default: $REPO/../shared), OFFICE_ORACLES_HOME (passed to the oracles),
#      DOCSEAL_INTEROP_JOBS (parallel jobs, default nproc), DOCSEAL_INTEROP_KEEP=1 (keep temp dir).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SHARED="${DOCSEAL_SHARED:-$REPO/../shared}"
ORACLES="$SHARED/oracles"
CORPUS="$REPO/corpus/generated"
UTIL="$HERE/util.py"
PY="${PYTHON:-python3}"
JOBS="${DOCSEAL_INTEROP_JOBS:-$(nproc 2>/dev/null || echo 2)}"

T="$(mktemp -d "${TMPDIR:-/tmp}/docseal-interop.XXXXXX")"
cleanup() {
  if [ "${DOCSEAL_INTEROP_KEEP:-0}" = 1 ]; then echo "kept temp dir $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
mkdir -p "$T/res"
START=$SECONDS

# ---- reporting: every check appends "PASS|FAIL|SKIP  text" to the current result file; flush
# prints the result files in order (so parallel jobs still print in a stable order) and counts.
PASSED=0 FAILED=0 SKIPPED=0 SEQ=0 RES=""
newres() { SEQ=$((SEQ + 1)); RES="$(printf '%s/res/%05d' "$T" "$SEQ")"; : >"$RES"; }
pass() { printf 'PASS  %s\n' "$*" >>"$RES"; }
fail() { printf 'FAIL  %s\n' "$*" >>"$RES"; }
skip() { printf 'SKIP  %s\n' "$*" >>"$RES"; }
spawn() {  # spawn FUNC ARGS... : run a check in the background, at most $JOBS at a time
  newres
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  ( set +e; "$@" ) &
}
flush() {
  wait || true
  local f
  for f in "$T"/res/*; do
    [ -e "$f" ] || continue
    cat "$f"
    PASSED=$((PASSED + $(grep -c '^PASS ' "$f" || true)))
    FAILED=$((FAILED + $(grep -c '^FAIL ' "$f" || true)))
    SKIPPED=$((SKIPPED + $(grep -c '^SKIP ' "$f" || true)))
    rm -f "$f"
  done
}
section() { flush; printf '\n== %s\n' "$*"; }
finish() {
  flush
  local line="interop: $PASSED passed, $FAILED failed"
  [ "$SKIPPED" -gt 0 ] && line="$line, $SKIPPED skipped"
  printf '\n(%ds)\n%s\n' "$((SECONDS - START))" "$line"
  [ "$FAILED" -eq 0 ]
}

sha() { "$PY" "$UTIL" sha256 "$1"; }
jget() { "$PY" "$UTIL" jget "$@"; }
# last line of a log, for FAIL messages
tail1() { tail -n 1 "$1" 2>/dev/null | cut -c1-300; }

# ---- preflight
echo "repo:    $REPO"
echo "oracles: $ORACLES"
newres
if [ ! -f "$ORACLES/oracle-decrypt.py" ]; then
  fail "oracles not found at $ORACLES (set DOCSEAL_SHARED)"
  finish || exit 1
fi
if [ -n "${DOCSEAL_BIN:-}" ]; then
  BIN="$DOCSEAL_BIN"
else
  echo "building: cargo build --release -p docseal-cli" >&2
  if ! (cd "$REPO" && cargo build --release -p docseal-cli) >"$T/build.log" 2>&1; then
    cat "$T/build.log" >&2
    fail "cargo build --release -p docseal-cli"
    finish || exit 1
  fi
  TD="${CARGO_TARGET_DIR:-target}"
  case "$TD" in /*) ;; *) TD="$REPO/$TD" ;; esac
  BIN="$TD/release/docseal"
fi
if [ ! -x "$BIN" ]; then
  fail "docseal binary $BIN not found"
  finish || exit 1
fi
echo "binary:  $BIN ($("$BIN" --version 2>/dev/null || echo '?'))"

MSO_OK=1
mso_rc=0
"$PY" "$ORACLES/oracle-decrypt.py" >/dev/null 2>"$T/mso-check.log" || mso_rc=$?
if [ "$mso_rc" -eq 3 ]; then
  MSO_OK=0
  fail "msoffcrypto oracle not installed ($(tail1 "$T/mso-check.log")); sections 1-3 not run"
fi

PW_UNI='pässwörd🔒'
PW_ASCII='Password1234_'
PW_CJK='Ünïcödé 密码 ✓'

# pwargs KIND PASSWORD DIR -> sets PWARGS (array) for docseal; KIND = p | env | file
pwargs() {
  case "$1" in
    p) PWARGS=(-p "$2") ;;
    env) export DOCSEAL_INTEROP_PW="$2"; PWARGS=(--password-env DOCSEAL_INTEROP_PW) ;;
    file) printf '%s\n' "$2" >"$3/pw.txt"; PWARGS=(--password-file "$3/pw.txt") ;;
  esac
}

# ---- 1. msoffcrypto-tool reads docseal -------------------------------------------------------
SIZES=(0 1 15 16 17 4095 4096 4097 8192 8193)
# name | docseal flags | expected cipher/hash (oracle-inspect) | password | how it is passed
PROFILES=(
  "default||AES-256/SHA512|$PW_UNI|p"
  "aes128-sha1|--cipher aes128 --hash sha1|AES-128/SHA1|$PW_ASCII|env"
  "aes192-sha384|--cipher aes192 --hash sha384|AES-192/SHA384|$PW_UNI|file"
  "aes256-sha256|--cipher aes256 --hash sha256|AES-256/SHA256|$PW_CJK|p"
)

# case1 ID PLAIN PROFILE_INDEX SPIN|"" : encrypt with docseal, decrypt with msoffcrypto, verify
case1() {
  local id=$1 plain=$2 prof=${PROFILES[$3]} spin=$4 d="$T/s1/$1"
  local name flags expect pw how
  IFS='|' read -r name flags expect pw how <<<"$prof"
  mkdir -p "$d"
  local size; size=$(stat -c %s "$plain")
  local what="$(basename "$plain") (${size} B) $name pw=$how${spin:+ spin=$spin}"
  local -a PWARGS sargs=() fl=()
  pwargs "$how" "$pw" "$d"
  [ -n "$spin" ] && sargs=(--spin-count "$spin")
  [ -n "$flags" ] && read -r -a fl <<<"$flags"
  local rc=0
  "$BIN" encrypt "$plain" "$d/enc" "${PWARGS[@]}" "${fl[@]}" "${sargs[@]}" >"$d/enc.log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "msoffcrypto<-docseal $what: docseal encrypt exit $rc: $(tail1 "$d/enc.log")"
    return
  fi
  cp "$d/enc" "$T/s1/files/$id.$name"
  # msoffcrypto insists that the package is a zip: packages < 22 bytes cannot be one, so they go
  # through the same oracle with only that final sniff turned off (see oracle_decrypt_nozip.py)
  local oracle=("$ORACLES/oracle-decrypt.py") oname="oracle-decrypt.py"
  if [ "$size" -lt 22 ]; then
    oracle=("$HERE/oracle_decrypt_nozip.py" "$ORACLES") oname="oracle-decrypt.py(zip sniff off)"
  fi
  rc=0
  "$PY" "${oracle[@]}" "$d/enc" "$pw" "$d/dec" >"$d/oracle.json" 2>"$d/oracle.err" || rc=$?
  local want got integ
  want=$(sha "$plain")
  if [ "$rc" -ne 0 ]; then
    fail "msoffcrypto<-docseal $what: $oname exit $rc: $(tail1 "$d/oracle.json") $(tail1 "$d/oracle.err")"
  else
    got=$(sha "$d/dec")
    integ=$(jget integrity <"$d/oracle.json")
    if [ "$got" = "$want" ] && [ "$integ" = ok ]; then
      pass "msoffcrypto<-docseal $what: $oname ok, integrity=$integ, sha256 equal"
    else
      fail "msoffcrypto<-docseal $what: $oname integrity=$integ sha256 ${got:0:16}.. want ${want:0:16}.."
    fi
  fi
  rc=0
  "$BIN" verify "$d/enc" "${PWARGS[@]}" >"$d/verify.log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then
    pass "docseal verify $what: exit 0"
  else
    fail "docseal verify $what: exit $rc: $(tail1 "$d/verify.log")"
  fi
}

# ---- 2. docseal reads msoffcrypto-tool -------------------------------------------------------
case2() {
  local plain=$1 pw=$2 spin=$3 d="$T/s2/$(basename "$1")"
  mkdir -p "$d"
  local what="$(basename "$plain") ($(stat -c %s "$plain") B, AES-256/SHA512 spin=${spin:-100000})"
  local -a sp=()
  [ -n "$spin" ] && sp=(--spin "$spin")
  local rc=0
  "$PY" "$ORACLES/oracle-encrypt.py" "$plain" "$pw" "$d/enc" "${sp[@]}" >"$d/oracle.json" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "docseal<-msoffcrypto $what: oracle-encrypt.py exit $rc: $(tail1 "$d/oracle.json")"
    return
  fi
  rc=0
  "$BIN" decrypt "$d/enc" "$d/dec" -p "$pw" >"$d/dec.log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "docseal<-msoffcrypto $what: docseal decrypt exit $rc: $(tail1 "$d/dec.log")"
  elif [ "$(sha "$d/dec")" = "$(sha "$plain")" ]; then
    pass "docseal<-msoffcrypto $what: decrypt exit 0, sha256 equal"
  else
    fail "docseal<-msoffcrypto $what: decrypt exit 0 but the package differs"
  fi
  rc=0
  "$BIN" verify "$d/enc" -p "$pw" >"$d/verify.log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then pass "docseal verify (msoffcrypto file) $what: exit 0"
  else fail "docseal verify (msoffcrypto file) $what: exit $rc: $(tail1 "$d/verify.log")"; fi
  # wrong password: decrypt and verify exit 3, decrypt leaves nothing behind
  mkdir -p "$d/wrong"
  local rd=0 rv=0
  "$BIN" decrypt "$d/enc" "$d/wrong/out" -p "${pw}x" >"$d/wrong.log" 2>&1 || rd=$?
  "$BIN" verify "$d/enc" -p "${pw}x" >>"$d/wrong.log" 2>&1 || rv=$?
  local left; left=$(ls -A "$d/wrong")
  if [ "$rd" -eq 3 ] && [ "$rv" -eq 3 ] && [ -z "$left" ]; then
    pass "wrong password on msoffcrypto file $(basename "$plain"): decrypt exit 3, verify exit 3, no output"
  else
    fail "wrong password on msoffcrypto file $(basename "$plain"): decrypt exit $rd, verify exit $rv (want 3, 3), left behind: [${left}]: $(tail1 "$d/wrong.log")"
  fi
}

# ---- 3. tamper ---------------------------------------------------------------------------------
case3() {
  local src=$1 plain=$2 pw=$3 how=$4 n=$5 label=$6 d="$T/s3/$4$5"
  mkdir -p "$d/out"
  cp "$src" "$d/enc"
  local where
  if ! where=$("$PY" "$UTIL" flip "$d/enc" EncryptedPackage "$how" "$n" 2>&1); then
    fail "tamper $label: could not place the flip: $where"
    return
  fi
  local foff=${where%% *} soff=${where##* }
  local rd=0 rv=0
  "$BIN" decrypt "$d/enc" "$d/out/plain" -p "$pw" >"$d/dec.log" 2>&1 || rd=$?
  "$BIN" verify "$d/enc" -p "$pw" >"$d/verify.log" 2>&1 || rv=$?
  local left; left=$(ls -A "$d/out")
  local what="tamper $label ($(basename "$plain") package, file offset $foff = EncryptedPackage offset $soff)"
  if [ "$rd" -eq 4 ] && [ -z "$left" ]; then
    pass "$what: decrypt exit 4, no output file"
  else
    fail "$what: decrypt exit $rd (want 4), left behind: [${left}]: $(tail1 "$d/dec.log")"
  fi
  if [ "$rv" -eq 4 ]; then pass "$what: verify exit 4"
  else fail "$what: verify exit $rv (want 4): $(tail1 "$d/verify.log")"; fi
}

if [ "$MSO_OK" = 1 ]; then
  section "1. msoffcrypto-tool (oracle-decrypt.py) reads docseal output"
  mkdir -p "$T/s1/files" "$T/rand"
  "$PY" "$UTIL" gen "$T/rand" "${SIZES[@]}"
  for p in "${!PROFILES[@]}"; do
    for s in "${SIZES[@]}"; do spawn case1 "r$s" "$T/rand/rand-$s.bin" "$p" 1000; done
    spawn case1 "pydocx" "$CORPUS/pydocx.docx" "$p" ""
  done
  flush
  # what docseal wrote, as an independent parser sees it
  newres
  rc=0
  "$PY" "$ORACLES/oracle-inspect.py" "$T"/s1/files/* >"$T/inspect.json" 2>"$T/inspect.err" || rc=$?
  "$PY" "$UTIL" inspect-tsv <"$T/inspect.json" >"$T/inspect.tsv" || rc=$?
  for p in "${!PROFILES[@]}"; do
    IFS='|' read -r name _ expect _ _ <<<"${PROFILES[$p]}"
    bad="" n=0
    while IFS=$'\t' read -r f scheme cipher hash spinc integ; do
      case "$f" in *".$name") ;; *) continue ;; esac
      n=$((n + 1))
      want_spin=1000; case "$f" in */pydocx.*) want_spin=100000 ;; esac
      if [ "$scheme/$cipher/$hash/$spinc/$integ" != "agile/$expect/$want_spin/True" ]; then
        bad="$bad $(basename "$f"):$scheme/$cipher/$hash/spin=$spinc/integrity=$integ"
      fi
    done <"$T/inspect.tsv"
    if [ "$rc" -ne 0 ] || [ "$n" -eq 0 ]; then
      fail "oracle-inspect.py on profile $name: exit $rc, $n files parsed: $(tail1 "$T/inspect.err")"
    elif [ -n "$bad" ]; then
      fail "oracle-inspect.py on profile $name: want agile/$expect/dataIntegrity, got$bad"
    else
      pass "oracle-inspect.py on profile $name: $n files are agile $expect with dataIntegrity, spin as requested"
    fi
  done

  section "2. docseal reads msoffcrypto-tool (oracle-encrypt.py) output"
  spawn case2 "$CORPUS/pydocx.docx" "$PW_UNI" ""
  spawn case2 "$CORPUS/openpyxl.xlsx" "$PW_ASCII" 1000
  spawn case2 "$CORPUS/pptx.pptx" "$PW_CJK" 1000
  spawn case2 "$CORPUS/lo-writer.docx" "$PW_ASCII" 1000
  spawn case2 "$CORPUS/lo-calc.xlsx" "$PW_UNI" 1000
  spawn case2 "$CORPUS/lo-impress.pptx" "$PW_ASCII" ""
  spawn case2 "$CORPUS/exact4096.docx" "$PW_UNI" 1000
  spawn case2 "$CORPUS/exact8193.docx" "$PW_ASCII" 1000

  section "3. tampered docseal output"
  newres
  mkdir -p "$T/s3"
  tplain="$CORPUS/exact8193.docx"
  if "$BIN" encrypt "$tplain" "$T/s3/good" -p "$PW_UNI" --spin-count 1000 >"$T/s3/enc.log" 2>&1 \
     && "$BIN" verify "$T/s3/good" -p "$PW_UNI" >>"$T/s3/enc.log" 2>&1; then
    pass "tamper baseline: untouched docseal file of $(basename "$tplain") verifies (exit 0)"
    spawn case3 "$T/s3/good" "$tplain" "$PW_UNI" --file-offset $((512 * 10 + 100)) "byte 512*10+100"
    spawn case3 "$T/s3/good" "$tplain" "$PW_UNI" --stream-offset 0 "StreamSize field"
    spawn case3 "$T/s3/good" "$tplain" "$PW_UNI" --stream-offset 4200 "second segment"
    spawn case3 "$T/s3/good" "$tplain" "$PW_UNI" --stream-offset -1 "last padding byte"
  else
    fail "tamper baseline: docseal encrypt/verify of $(basename "$tplain") failed: $(tail1 "$T/s3/enc.log")"
  fi
fi

# ---- 4. LibreOffice and POI ------------------------------------------------------------------
section "4. LibreOffice (oracle-lo-open.py) and POI (oracle-poi) read docseal output"
S4_PLAIN=(pydocx.docx openpyxl.xlsx pptx.pptx)
S4_PROFILES=("default||$PW_UNI" "aes128-sha1|--cipher aes128 --hash sha1|$PW_ASCII")
mkdir -p "$T/s4"
newres
S4_FILES=()  # "file|plain|password"
for pr in "${S4_PROFILES[@]}"; do
  IFS='|' read -r name flags pw <<<"$pr"
  fl=(); [ -n "$flags" ] && read -r -a fl <<<"$flags"
  for pl in "${S4_PLAIN[@]}"; do
    out="$T/s4/$name-$pl"
    rc=0
    "$BIN" encrypt "$CORPUS/$pl" "$out" -p "$pw" "${fl[@]}" >"$out.log" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ]; then
      S4_FILES+=("$out|$CORPUS/$pl|$pw")
    else
      fail "docseal encrypt $pl $name for LibreOffice/POI: exit $rc: $(tail1 "$out.log")"
    fi
  done
done

have_lo=0
command -v "${SOFFICE:-soffice}" >/dev/null 2>&1 && have_lo=1
have_poi=0
if command -v java >/dev/null 2>&1 && [ -f "${POI_JARS_DIR:-/usr/share/java}/poi-ooxml.jar" ]; then have_poi=1; fi

poi_one() {
  local f=${1%%|*} rest=${1#*|}
  local plain=${rest%%|*} pw=${rest#*|}
  local rc=0
  bash "$ORACLES/oracle-poi" decrypt "$f" "$pw" "$f.poi" >"$f.poi.json" 2>"$f.poi.err" || rc=$?
  local said; said=$(jget mode cipher hash spinCount integrity length <"$f.poi.json" | tr '\t' ' ')
  local what="POI decrypt $(basename "$f")"
  if [ "$rc" -eq 3 ]; then
    skip "$what: oracle-poi not installed: $(tail1 "$f.poi.err")"
  elif [ "$rc" -ne 0 ]; then
    fail "$what: exit $rc: $(tail1 "$f.poi.json") $(tail1 "$f.poi.err")"
  elif [ "$(sha "$f.poi")" != "$(sha "$plain")" ]; then
    fail "$what: POI said [$said] but the package differs from $(basename "$plain")"
  elif [ "$(jget integrity <"$f.poi.json")" != ok ]; then
    fail "$what: POI said [$said]: integrity not ok"
  else
    pass "$what: POI said [$said], sha256 equal"
  fi
}

lo_all() {
  # one LibreOffice start: the plain packages (for reference text digests), the docseal files,
  # and a wrong-password control that must not open
  local tsv="$T/s4/lo.tsv" f rest plain pw
  : >"$tsv"
  for pl in "${S4_PLAIN[@]}"; do printf '%s\t-\n' "$CORPUS/$pl" >>"$tsv"; done
  for e in "${S4_FILES[@]}"; do
    f=${e%%|*}; rest=${e#*|}; pw=${rest#*|}
    printf '%s\t%s\n' "$f" "$pw" >>"$tsv"
  done
  local ctl=${S4_FILES[0]%%|*}
  printf '%s\t%s\n' "$ctl" "not-the-password" >>"$tsv"
  local rc=0
  "$PY" "$ORACLES/oracle-lo-open.py" --batch "$tsv" >"$T/s4/lo.jsonl" 2>"$T/s4/lo.err" || rc=$?
  if [ "$rc" -eq 3 ]; then
    for e in "${S4_FILES[@]}"; do skip "LibreOffice open $(basename "${e%%|*}"): uno not available"; done
    return
  fi
  "$PY" - "$T/s4/lo.jsonl" "$ctl" "${S4_PLAIN[@]/#/$CORPUS/}" -- "${S4_FILES[@]}" >>"$RES" <<'EOF'
import json, os, sys
lines, ctl, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
k = rest.index("--")
plains, files = rest[:k], rest[k + 1:]
res = {}
order = []
for ln in open(lines, encoding="utf-8"):
    ln = ln.strip()
    if ln.startswith("{"):
        o = json.loads(ln)
        order.append(o)
ref = {}
n_plain = len(plains)
for o, p in zip(order[:n_plain], plains):
    ref[p] = o
enc = order[n_plain:n_plain + len(files)]
ctl_res = order[n_plain + len(files)] if len(order) > n_plain + len(files) else None
def said(o):
    keys = ("app", "pages", "sheets", "slides", "text_chars", "load_s")
    s = " ".join("%s=%s" % (k, o[k]) for k in keys if k in o)
    return s or o.get("error", "no answer")
for i, e in enumerate(files):
    f, plain, _ = e.split("|", 2)
    name = os.path.basename(f)
    o = enc[i] if i < len(enc) else {"error": "no answer from oracle-lo-open.py"}
    r = ref.get(plain, {})
    if not o.get("ok"):
        print("FAIL  LibreOffice open %s: %s" % (name, o.get("error", "?")))
    elif not r.get("ok"):
        print("FAIL  LibreOffice open %s: opened [%s] but the plain %s did not: %s"
              % (name, said(o), os.path.basename(plain), r.get("error")))
    elif o.get("text_sha256") != r.get("text_sha256") or o.get("app") != r.get("app"):
        print("FAIL  LibreOffice open %s: opened [%s] but the text digest differs from plain %s"
              % (name, said(o), os.path.basename(plain)))
    else:
        print("PASS  LibreOffice open %s: LibreOffice said [%s], text digest = plain %s"
              % (name, said(o), os.path.basename(plain)))
if ctl_res is None:
    print("FAIL  LibreOffice wrong-password control: no answer")
elif ctl_res.get("ok"):
    print("FAIL  LibreOffice wrong-password control: %s opened with a wrong password" % os.path.basename(ctl))
else:
    print("PASS  LibreOffice wrong-password control: %s refused (%s)"
          % (os.path.basename(ctl), ctl_res.get("error", "?")[:90]))
EOF
}

if [ "${#S4_FILES[@]}" -gt 0 ]; then
  if [ "$have_lo" = 1 ]; then
    spawn lo_all
  else
    newres
    for e in "${S4_FILES[@]}"; do skip "LibreOffice open $(basename "${e%%|*}"): soffice not installed"; done
  fi
  if [ "$have_poi" = 1 ]; then
    for e in "${S4_FILES[@]}"; do spawn poi_one "$e"; done
  else
    newres
    for e in "${S4_FILES[@]}"; do skip "POI decrypt $(basename "${e%%|*}"): java or POI jars not installed"; done
  fi
fi

finish
