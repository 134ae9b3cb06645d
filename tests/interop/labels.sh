#!/usr/bin/env bash
# tests/interop/labels.sh -- docseal's sensitivity labels (label set|show|remove, encrypt
# --label-*) against independent readers (helpers in labels_oracle.py):
#   1. `label set` in each scheme (labelinfo, custom, both) on docx, xlsx and pptx files written by
#      the Python libraries and by LibreOffice: openpyxl (custom_doc_props) / python-docx /
#      python-pptx (custom-properties and LabelInfo parts found through the package
#      relationships) read exactly the label; the raw parts, content types and package rels are
#      right; oracle-inspect.py sees the label where it was asked for; LibreOffice opens every
#      file with the text digest of the original; every other zip entry keeps its local header,
#      compressed bytes, CRC and central record. Then `label set` without --scheme (a tenant's
#      label is replaced where it is, a new tenant's goes where the file keeps labels) and
#      `label remove` (--id, --tenant, --all).
#   2. `encrypt --label-*`: msoffcrypto-tool decrypts (dataIntegrity ok) to a package carrying the
#      label (the other entries untouched); POI decrypts to the same package; LibreOffice opens it
#      with the password.
#   3. On encrypted files: `label set` (docseal, msoffcrypto-tool and POI Standard files), `label
#      show`, then `decrypt` and `passwd` keep the label parts byte-identical, `label remove
#      --all` removes them; msoffcrypto-tool checks every step.
#   4. Errors: bad GUID / missing tenant exit 7, wrong password exit 3, and no output file.
# One line per check, then "labels: N passed, N failed[, N skipped]"; exit 1 if anything failed.
#
# Env: DOCSEAL_BIN (binary to test; default: cargo build --release -p docseal-cli),
#      DOCSEAL_SHARED (default: $REPO/../shared), OFFICE_ORACLES_HOME (passed to the oracles),
#      DOCSEAL_INTEROP_KEEP=1 (keep the temp dir).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SHARED="${DOCSEAL_SHARED:-$REPO/../shared}"
ORACLES="$SHARED/oracles"
CORPUS="$REPO/corpus/generated"
PY="${PYTHON:-python3}"
H="$HERE/labels_oracle.py"
export DOCSEAL_ORACLES="$ORACLES"  # labels_oracle.py re-executes under the oracles' venv

T="$(mktemp -d "${TMPDIR:-/tmp}/docseal-labels.XXXXXX")"
cleanup() {
  if [ "${DOCSEAL_INTEROP_KEEP:-0}" = 1 ]; then echo "kept temp dir $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
START=$SECONDS

PASSED=0 FAILED=0 SKIPPED=0
ok()  { printf 'PASS  %s\n' "$*"; PASSED=$((PASSED + 1)); }
bad() { printf 'FAIL  %s\n' "$*"; FAILED=$((FAILED + 1)); }
skp() { printf 'SKIP  %s\n' "$*"; SKIPPED=$((SKIPPED + 1)); }
section() { printf '\n== %s\n' "$*"; }
finish() {
  local line="labels: $PASSED passed, $FAILED failed"
  [ "$SKIPPED" -gt 0 ] && line="$line, $SKIPPED skipped"
  printf '\n(%ds)\n%s\n' "$((SECONDS - START))" "$line"
  [ "$FAILED" -eq 0 ]
}
# last line of a log, for FAIL messages
tail1() { tail -n 1 "$1" 2>/dev/null | cut -c1-300; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
# check NAME CMD...: CMD prints one line; exit 0 = PASS, 3 = SKIP (module missing), else FAIL
check() {
  local name=$1; shift
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  out=$(printf '%s' "$out" | tail -n 1 | cut -c1-400)
  case $rc in
    0) ok "$name: $out" ;;
    3) skp "$name: $out" ;;
    *) bad "$name: ${out:-exit $rc}" ;;
  esac
}
# tally FILE: print PASS/FAIL/SKIP lines written by a helper and count them
tally() {
  local l
  while IFS= read -r l; do
    case "$l" in
      PASS\ *) PASSED=$((PASSED + 1)); printf '%s\n' "$l" ;;
      FAIL\ *) FAILED=$((FAILED + 1)); printf '%s\n' "$l" ;;
      SKIP\ *) SKIPPED=$((SKIPPED + 1)); printf '%s\n' "$l" ;;
    esac
  done <"$1"
}
# ds NAME WANT_RC LOG docseal-args...: run docseal, PASS iff its exit status is WANT_RC
ds() {
  local name=$1 want=$2 log=$3; shift 3
  local rc=0
  "$BIN" "$@" >"$log" 2>&1 || rc=$?
  if [ "$rc" -eq "$want" ]; then ok "$name: exit $rc"; return 0; fi
  bad "$name: exit $rc (want $want): $(tail1 "$log")"
  return 1
}
# mso NAME ENC PASSWORD OUT: msoffcrypto-tool (oracle-decrypt.py) decrypts; Agile files must pass
# the dataIntegrity HMAC check (Standard files have none)
mso() {
  local name=$1 enc=$2 pw=$3 out=$4 rc=0
  "$PY" "$ORACLES/oracle-decrypt.py" "$enc" "$pw" "$out" >"$out.json" 2>"$out.err" || rc=$?
  if [ "$rc" -eq 0 ] && { grep -q '"integrity": "ok"' "$out.json" ||
       grep -q '"type": "standard", "integrity": "n/a"' "$out.json"; }; then
    ok "$name: oracle-decrypt.py exit 0, $(grep -o '"type": "[a-z]*", "integrity": "[a-z/]*"' "$out.json" | tr -d '"'), $(stat -c %s "$out") B package"
    return 0
  fi
  bad "$name: oracle-decrypt.py exit $rc: $(tail1 "$out.json") $(tail1 "$out.err")"
  rm -f "$out"
  return 1
}

# ---- preflight
echo "repo:    $REPO"
echo "oracles: $ORACLES"
if [ ! -f "$ORACLES/oracle-decrypt.py" ]; then
  bad "oracles not found at $ORACLES (set DOCSEAL_SHARED)"
  finish || exit 1
fi
if [ -n "${DOCSEAL_BIN:-}" ]; then
  BIN="$DOCSEAL_BIN"
else
  echo "building: cargo build --release -p docseal-cli" >&2
  if ! (cd "$REPO" && cargo build --release -q -p docseal-cli) >"$T/build.log" 2>&1; then
    cat "$T/build.log" >&2
    bad "cargo build --release -p docseal-cli"
    finish || exit 1
  fi
  TD="${CARGO_TARGET_DIR:-target}"
  case "$TD" in /*) ;; *) TD="$REPO/$TD" ;; esac
  BIN="$TD/release/docseal"
fi
if [ ! -x "$BIN" ]; then
  bad "docseal binary $BIN not found"
  finish || exit 1
fi
echo "binary:  $BIN ($("$BIN" --version 2>/dev/null || echo '?'))"
have_lo=0; command -v "${SOFFICE:-soffice}" >/dev/null 2>&1 && have_lo=1
have_poi=0
if command -v java >/dev/null 2>&1 && [ -f "${POI_JARS_DIR:-/usr/share/java}/poi-ooxml.jar" ]; then have_poi=1; fi

# Labels. Ids and tenants go in in upper case and braces; docseal must store them in lower case
# (SiteId) and braced lower case (LabelInfo). The name needs XML escaping.
ID1='{1B2C3D4E-5F60-4718-8A9B-0C1D2E3F4A5B}' id1=1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b
TN1='AABBCCDD-1122-4334-8556-778899AABBCC' tn1=aabbccdd-1122-4334-8556-778899aabbcc
ID2='99999999-aaaa-4bbb-8ccc-dddddddddddd' id2=$ID2
TN2='{12345678-9ABC-4DEF-8123-456789ABCDEF}' tn2=12345678-9abc-4def-8123-456789abcdef
NAME1='Confidential – Ünïcödé & <Finance> "Q3"'
NAME2='Highly Confidential'
DATE1='2024-06-01T12:00:00Z'
PW='Lä.bel pässwörd 🔒'
PW_NEW='n3w-Pässwort'
# scheme -> label set options, and the expected method | ContentBits
declare -A SOPTS=(
  [labelinfo]="--method standard"
  [custom]="--method privileged --content-bits header,footer,watermark,encryption"
  [both]="--method privileged --content-bits header,watermark"
)
declare -A SWANT=([labelinfo]="Standard|0" [custom]="Privileged|15" [both]="Privileged|5")
PLAINS=(minimal.docx lo-writer.docx openpyxl.xlsx lo-calc.xlsx pptx.pptx lo-impress.pptx)

# ---- 1. label set / remove on plain packages -------------------------------------------------
section "1. label set on plain docx/xlsx/pptx: Python libraries, oracle-inspect.py, LibreOffice, zip entries"
mkdir -p "$T/s1"
LO1="$T/s1/lo.tsv"; : >"$LO1"
for pl in "${PLAINS[@]}"; do printf '%s\t-\t=\t%s\n' "$CORPUS/$pl" "$pl" >>"$LO1"; done
CASES=() FILES1=()  # CASES: "file|original|spec"
for pl in "${PLAINS[@]}"; do
  for s in labelinfo custom both; do
    out="$T/s1/$s-$pl"
    read -r -a o <<<"${SOPTS[$s]}"
    if ds "label set --scheme $s $pl" 0 "$out.log" label set "$CORPUS/$pl" "$out" \
         --id "$ID1" --tenant "$TN1" --name "$NAME1" --set-date "$DATE1" --scheme "$s" "${o[@]}"; then
      CASES+=("$out|$CORPUS/$pl|$id1|$tn1|$NAME1|${SWANT[$s]}|$DATE1|$s")
      FILES1+=("$out")
      printf '%s\t-\t%s\t%s\n' "$out" "$CORPUS/$pl" "$s-$pl" >>"$LO1"
    fi
  done
done
rc=0
"$PY" "$ORACLES/oracle-inspect.py" "${FILES1[@]}" >"$T/s1/inspect.jsonl" 2>"$T/s1/inspect.err" || rc=$?
[ "$rc" -eq 0 ] || bad "oracle-inspect.py on the relabelled files: exit $rc: $(tail1 "$T/s1/inspect.err")"
for c in "${CASES[@]}"; do
  f=${c%%|*}; rest=${c#*|}; orig=${rest%%|*}; spec=${rest#*|}
  n=$(basename "$f")
  "$BIN" label show "$f" --json >"$f.show.json" 2>"$f.show.err" || true
  check "label show --json $n" "$PY" "$H" show "$f.show.json" "$spec"
  check "Python library reads $n" "$PY" "$H" libs "$f" "$orig" "$spec"
  check "package parts of $n" "$PY" "$H" labels "$f" "$spec"
  check "oracle-inspect.py sees the label of $n" "$PY" "$H" inspect "$T/s1/inspect.jsonl" "$f" "$spec"
  check "zip entries of $n vs $(basename "$orig")" "$PY" "$H" zipcmp "$orig" "$f"
done

# label remove: --id and --tenant on a file with two tenants' labels, --all on a corpus file
x="$T/s1/both-openpyxl.xlsx"
if [ -f "$x" ]; then
  r="$T/s1/rm"
  s1="$id1|$tn1|$NAME1|${SWANT[both]}|$DATE1|both"
  if ds "label set: second tenant's label on both-openpyxl.xlsx" 0 "$r-two.log" label set "$x" "$r-two.xlsx" \
       --id "$ID2" --tenant "$TN2" --name "$NAME2" --method privileged --set-date "$DATE1"; then
    s2="$id2|$tn2|$NAME2|Privileged|0|$DATE1|both"
    check "package parts with two tenants' labels" "$PY" "$H" labels "$r-two.xlsx" "$s1" "$s2"
    check "Python library reads two tenants' labels" "$PY" "$H" libs "$r-two.xlsx" "$CORPUS/openpyxl.xlsx" "$s1" "$s2"
    if ds "label remove --id (second label)" 0 "$r-id.log" label remove "$r-two.xlsx" "$r-id.xlsx" --id "$ID2"; then
      check "after remove --id only the first label is left" "$PY" "$H" labels "$r-id.xlsx" "$s1"
      check "zip entries after remove --id" "$PY" "$H" zipcmp "$CORPUS/openpyxl.xlsx" "$r-id.xlsx"
    fi
    if ds "label remove --tenant (first tenant)" 0 "$r-tn.log" label remove "$r-two.xlsx" "$r-tn.xlsx" --tenant "$TN1"; then
      check "after remove --tenant only the second label is left" "$PY" "$H" labels "$r-tn.xlsx" "$s2"
      check "openpyxl after remove --tenant" "$PY" "$H" libs "$r-tn.xlsx" "$CORPUS/openpyxl.xlsx" "$s2"
    fi
    if ds "label remove --all (two labels)" 0 "$r-all.log" label remove "$r-two.xlsx" "$r-all.xlsx" --all; then
      check "after remove --all no label is left" "$PY" "$H" labels "$r-all.xlsx"
      check "openpyxl after remove --all" "$PY" "$H" libs "$r-all.xlsx" "$CORPUS/openpyxl.xlsx"
      check "zip entries after remove --all" "$PY" "$H" zipcmp "$CORPUS/openpyxl.xlsx" "$r-all.xlsx"
      printf '%s\t-\t%s\t%s\n' "$r-all.xlsx" "$CORPUS/openpyxl.xlsx" "openpyxl.xlsx after remove --all" >>"$LO1"
    fi
  fi
fi
# label set without --scheme: a tenant's new label replaces its old one where it is; a new
# tenant's label goes where the file keeps labels
x="$T/s1/custom-openpyxl.xlsx"
if [ -f "$x" ] && ds "label set, same tenant, new id, no --scheme on custom-openpyxl.xlsx" 0 "$T/s1/rep.log" \
     label set "$x" "$T/s1/rep.xlsx" --id 55555555-6666-4777-8888-999999999999 --tenant "$tn1" \
     --name "Replacement" --set-date 2025-01-31T23:59:59Z; then
  sR="55555555-6666-4777-8888-999999999999|$tn1|Replacement|Standard|0|2025-01-31T23:59:59Z|custom"
  check "the tenant's old label is replaced, still as custom properties" "$PY" "$H" labels "$T/s1/rep.xlsx" "$sR"
  check "openpyxl reads the replacing label" "$PY" "$H" libs "$T/s1/rep.xlsx" "$CORPUS/openpyxl.xlsx" "$sR"
  check "zip entries after the replacement" "$PY" "$H" zipcmp "$CORPUS/openpyxl.xlsx" "$T/s1/rep.xlsx"
  printf '%s\t-\t%s\t%s\n' "$T/s1/rep.xlsx" "$CORPUS/openpyxl.xlsx" "openpyxl.xlsx with the replacing label" >>"$LO1"
fi
ll="$CORPUS/label-labelinfo.docx"
if ds "label set, new tenant, no --scheme on label-labelinfo.docx (corpus, LabelInfo only)" 0 "$T/s1/ll.log" \
     label set "$ll" "$T/s1/ll.docx" --id "$ID2" --tenant "$TN2" --set-date "$DATE1"; then
  sL0="3a6c1e7e-2f4b-4c8e-9d61-0123456789ab|5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817||Standard|0||labelinfo"
  sL="$id2|$tn2||Standard|0|$DATE1|labelinfo"
  check "the new tenant's label joins the old one in LabelInfo.xml" "$PY" "$H" labels "$T/s1/ll.docx" "$sL0" "$sL"
  check "python-docx reads both LabelInfo labels" "$PY" "$H" libs "$T/s1/ll.docx" "$ll" "$sL0" "$sL"
  check "zip entries of label-labelinfo.docx after label set" "$PY" "$H" zipcmp "$ll" "$T/s1/ll.docx"
  printf '%s\t-\t=\t%s\n' "$ll" "label-labelinfo.docx" >>"$LO1"
  printf '%s\t-\t%s\t%s\n' "$T/s1/ll.docx" "$ll" "label-labelinfo.docx with a second tenant's label" >>"$LO1"
fi
lb="$CORPUS/label-both.pptx"
if ds "label remove --all on label-both.pptx (corpus, LabelInfo + custom properties)" 0 "$T/s1/lb.log" \
     label remove "$lb" "$T/s1/lb-none.pptx" --all; then
  check "label-both.pptx after remove --all: no label" "$PY" "$H" labels "$T/s1/lb-none.pptx"
  "$BIN" label show "$T/s1/lb-none.pptx" --json >"$T/s1/lb-none.json" 2>&1 || true
  check "label show --json after remove --all" "$PY" "$H" show "$T/s1/lb-none.json"
  check "python-pptx reads label-both.pptx after remove --all" "$PY" "$H" libs "$T/s1/lb-none.pptx" "$lb"
  check "zip entries of label-both.pptx after remove --all" "$PY" "$H" zipcmp "$lb" "$T/s1/lb-none.pptx"
  printf '%s\t-\t=\t%s\n' "$lb" "label-both.pptx" >>"$LO1"
  printf '%s\t-\t%s\t%s\n' "$T/s1/lb-none.pptx" "$lb" "label-both.pptx after remove --all" >>"$LO1"
fi

# lo_batch MANIFEST: one LibreOffice start for every row of MANIFEST (see labels_oracle.py lo)
lo_batch() {
  local m=$1
  if [ "$have_lo" != 1 ]; then
    skp "LibreOffice: soffice not installed ($(grep -vc $'\t=\t' "$m") files not opened)"
    return
  fi
  cut -f1,2 "$m" >"$m.in"
  local rc=0
  "$PY" "$ORACLES/oracle-lo-open.py" --batch "$m.in" >"$m.jsonl" 2>"$m.err" || rc=$?
  if [ "$rc" -eq 3 ]; then
    skp "LibreOffice: uno not available: $(tail1 "$m.err")"
    return
  fi
  "$PY" "$H" lo "$m" "$m.jsonl" >"$m.res" 2>&1 || true
  tally "$m.res"
  grep -q . "$m.res" || bad "LibreOffice: no result (oracle-lo-open.py exit $rc: $(tail1 "$m.err"))"
}
lo_batch "$LO1"

# ---- 2. encrypt --label-* --------------------------------------------------------------------
section "2. encrypt --label-*: msoffcrypto-tool, POI and LibreOffice read the labelled encrypted files"
mkdir -p "$T/s2"
LO2="$T/s2/lo.tsv"; : >"$LO2"
# plain | --label-* options | expected method|bits | where
ENCS=(
  "openpyxl.xlsx||Standard|0|both"
  "lo-writer.docx|--label-scheme labelinfo --label-method privileged|Privileged|0|labelinfo"
  "lo-impress.pptx|--label-scheme custom --label-content-bits header,footer|Standard|3|custom"
)
for e in "${ENCS[@]}"; do
  IFS='|' read -r pl opts mb_m mb_b where <<<"$e"
  plain="$CORPUS/$pl" enc="$T/s2/enc-$pl"
  o=(); [ -n "$opts" ] && read -r -a o <<<"$opts"
  ds "encrypt --label-* $pl (${opts:-default scheme})" 0 "$enc.log" encrypt "$plain" "$enc" -p "$PW" \
    --label-id "$ID1" --label-tenant "$TN1" --label-name "$NAME1" "${o[@]}" || continue
  spec="$id1|$tn1|$NAME1|$mb_m|$mb_b||$where"
  "$BIN" label show "$enc" "$PW" --json >"$enc.show.json" 2>"$enc.show.err" || true
  check "label show --json encrypted $pl" "$PY" "$H" show "$enc.show.json" "$spec"
  ds "verify encrypted labelled $pl" 0 "$enc.verify.log" verify "$enc" -p "$PW" || true
  if mso "msoffcrypto decrypts encrypted labelled $pl" "$enc" "$PW" "$enc.mso"; then
    check "label inside msoffcrypto's package of $pl" "$PY" "$H" labels "$enc.mso" "$spec"
    check "Python library reads msoffcrypto's package of $pl" "$PY" "$H" libs "$enc.mso" "$plain" "$spec"
    check "zip entries of msoffcrypto's package vs $pl" "$PY" "$H" zipcmp "$plain" "$enc.mso"
  fi
  if [ "$have_poi" = 1 ]; then
    rc=0
    bash "$ORACLES/oracle-poi" decrypt "$enc" "$PW" "$enc.poi" >"$enc.poi.json" 2>"$enc.poi.err" || rc=$?
    if [ "$rc" -ne 0 ]; then
      bad "POI decrypts encrypted labelled $pl: exit $rc: $(tail1 "$enc.poi.json") $(tail1 "$enc.poi.err")"
    elif ! grep -q '"integrity":"ok"' "$enc.poi.json"; then
      bad "POI decrypts encrypted labelled $pl: integrity not ok: $(tail1 "$enc.poi.json")"
    elif [ ! -f "$enc.mso" ] || [ "$(sha "$enc.poi")" != "$(sha "$enc.mso")" ]; then
      bad "POI decrypts encrypted labelled $pl: package differs from msoffcrypto's"
    else
      ok "POI decrypts encrypted labelled $pl: integrity ok, package = msoffcrypto's"
    fi
  else
    skp "POI decrypts encrypted labelled $pl: java or POI jars not installed"
  fi
  printf '%s\t%s\t=\t%s\n' "$plain" - "$pl" >>"$LO2"
  printf '%s\t%s\t%s\t%s\n' "$enc" "$PW" "$plain" "enc-$pl with the password" >>"$LO2"
done
first=$(head -n 2 "$LO2" | tail -n 1 | cut -f1)
[ -n "$first" ] && printf '%s\t%s\t!\t%s\n' "$first" "not-the-password" "wrong-password control ($(basename "$first"))" >>"$LO2"
lo_batch "$LO2"

# ---- 3. label set / show / decrypt / passwd / remove on encrypted files ----------------------
section "3. labels of encrypted files: label set/show, decrypt, passwd, label remove"
mkdir -p "$T/s3"
LO3="$T/s3/lo.tsv"; : >"$LO3"
printf '%s\t-\t=\t%s\n' "$CORPUS/openpyxl.xlsx" openpyxl.xlsx >>"$LO3"
printf '%s\t-\t=\t%s\n' "$CORPUS/label-msip.xlsx" label-msip.xlsx >>"$LO3"
enc="$T/s2/enc-openpyxl.xlsx" e2="$T/s3/enc2.xlsx"
sA="$id1|$tn1|$NAME1|Standard|0||both"
sB="$id2|$tn2|$NAME2|Privileged|8|$DATE1|both"
export DOCSEAL_LABELS_OLD="$PW" DOCSEAL_LABELS_NEW="$PW_NEW"
if [ -f "$enc" ] && ds "label set on encrypted enc-openpyxl.xlsx (second tenant, password as argument)" 0 "$e2.log" \
     label set "$enc" "$e2" "$PW" --id "$ID2" --tenant "$TN2" --name "$NAME2" --method privileged \
     --content-bits encryption --set-date "$DATE1"; then
  "$BIN" label show "$e2" "$PW" --json >"$e2.show.json" 2>"$e2.show.err" || true
  check "label show --json enc2.xlsx shows the new label and the old one" "$PY" "$H" show "$e2.show.json" "$sA" "$sB"
  ds "verify enc2.xlsx" 0 "$e2.verify.log" verify "$e2" -p "$PW" || true
  rc=0
  "$PY" "$ORACLES/oracle-inspect.py" "$enc" "$e2" >"$T/s3/inspect.jsonl" 2>&1 || rc=$?
  check "oracle-inspect.py: enc2.xlsx keeps the encryption parameters of enc-openpyxl.xlsx" "$PY" -c '
import json, sys
dec, t, i, objs = json.JSONDecoder(), open(sys.argv[1]).read(), 0, []
while t.find("{", i) >= 0:
    o, i = dec.raw_decode(t, t.find("{", i)); objs.append(o)
keys = ("scheme", "encryptionVersion", "cipher", "hash", "spinCount", "dataIntegrity", "keyEncryptors")
a, b = ({k: o.get(k) for k in keys} for o in objs[:2])
if len(objs) < 2 or a != b or a["scheme"] != "agile":
    print("differ: %s vs %s" % (a, b)); sys.exit(1)
print("%s %s/%s spin=%s dataIntegrity=%s, %d key encryptor(s), as before"
      % (a["scheme"], a["cipher"], a["hash"], a["spinCount"], a["dataIntegrity"], len(a["keyEncryptors"])))
' "$T/s3/inspect.jsonl"
  if mso "msoffcrypto decrypts enc2.xlsx" "$e2" "$PW" "$e2.mso"; then
    check "labels inside msoffcrypto's package of enc2.xlsx" "$PY" "$H" labels "$e2.mso" "$sA" "$sB"
    check "openpyxl reads both labels of enc2.xlsx" "$PY" "$H" libs "$e2.mso" "$CORPUS/openpyxl.xlsx" "$sA" "$sB"
    if [ -f "$enc.mso" ]; then
      check "zip entries of enc2.xlsx's package vs enc-openpyxl.xlsx's" "$PY" "$H" zipcmp "$enc.mso" "$e2.mso"
    fi
    # docseal decrypt keeps the label parts byte for byte
    if ds "docseal decrypt enc2.xlsx" 0 "$T/s3/dec.log" decrypt "$e2" "$T/s3/dec.xlsx" -p "$PW"; then
      check "docseal decrypt keeps the label parts byte-identical" "$PY" "$H" same-parts "$e2.mso" "$T/s3/dec.xlsx" \
        docProps/custom.xml docMetadata/LabelInfo.xml _rels/.rels '[Content_Types].xml'
      if [ "$(sha "$T/s3/dec.xlsx")" = "$(sha "$e2.mso")" ]; then
        ok "docseal decrypt enc2.xlsx = msoffcrypto's package (sha256)"
      else
        bad "docseal decrypt enc2.xlsx: package differs from msoffcrypto's"
      fi
    fi
    # docseal passwd keeps them too
    if ds "docseal passwd enc2.xlsx" 0 "$T/s3/passwd.log" passwd "$e2" "$T/s3/enc3.xlsx" \
         --old-password-env DOCSEAL_LABELS_OLD --new-password-env DOCSEAL_LABELS_NEW; then
      if mso "msoffcrypto decrypts enc3.xlsx (after passwd) with the new password" "$T/s3/enc3.xlsx" "$PW_NEW" "$T/s3/enc3.mso"; then
        check "passwd keeps the label parts byte-identical" "$PY" "$H" same-parts "$e2.mso" "$T/s3/enc3.mso" \
          docProps/custom.xml docMetadata/LabelInfo.xml _rels/.rels '[Content_Types].xml'
        check "labels inside enc3.xlsx" "$PY" "$H" labels "$T/s3/enc3.mso" "$sA" "$sB"
      fi
      "$BIN" label show "$T/s3/enc3.xlsx" -p "$PW_NEW" --json >"$T/s3/enc3.show.json" 2>&1 || true
      check "label show --json enc3.xlsx (new password)" "$PY" "$H" show "$T/s3/enc3.show.json" "$sA" "$sB"
      ds "label show enc3.xlsx with the old password" 3 "$T/s3/enc3.old.log" label show "$T/s3/enc3.xlsx" "$PW" --json || true
      printf '%s\t%s\t%s\t%s\n' "$T/s3/enc3.xlsx" "$PW_NEW" "$CORPUS/openpyxl.xlsx" "enc3.xlsx (after passwd) with the new password" >>"$LO3"
    fi
  fi
  printf '%s\t%s\t%s\t%s\n' "$e2" "$PW" "$CORPUS/openpyxl.xlsx" "enc2.xlsx (relabelled encrypted) with the password" >>"$LO3"
  # label remove --all on the encrypted file
  e4="$T/s3/enc4.xlsx"
  if ds "label remove --all enc2.xlsx" 0 "$e4.log" label remove "$e2" "$e4" --all --password-env DOCSEAL_LABELS_OLD; then
    "$BIN" label show "$e4" "$PW" --json >"$e4.show.json" 2>&1 || true
    check "label show --json after remove --all: no label" "$PY" "$H" show "$e4.show.json"
    if mso "msoffcrypto decrypts enc4.xlsx (labels removed)" "$e4" "$PW" "$e4.mso"; then
      check "no label inside enc4.xlsx" "$PY" "$H" labels "$e4.mso"
      check "openpyxl sees no MSIP_Label_* property in enc4.xlsx" "$PY" "$H" libs "$e4.mso" "$CORPUS/openpyxl.xlsx"
      check "zip entries of enc4.xlsx's package vs openpyxl.xlsx" "$PY" "$H" zipcmp "$CORPUS/openpyxl.xlsx" "$e4.mso"
    fi
  fi
fi

# label set on files encrypted by others: msoffcrypto-tool (Agile) and POI (Standard, labelled)
M="$CORPUS/agile-msoffcrypto-openpyxl.xlsx" MPW='密码' m2="$T/s3/m2.xlsx"
sC="$id2|$tn2||Standard|0||both"
if ds "label set on msoffcrypto-tool's agile-msoffcrypto-openpyxl.xlsx" 0 "$m2.log" label set "$M" "$m2" -p "$MPW" --id "$ID2" --tenant "$TN2"; then
  if mso "msoffcrypto decrypts the relabelled msoffcrypto file" "$m2" "$MPW" "$m2.mso"; then
    check "label inside the relabelled msoffcrypto file" "$PY" "$H" labels "$m2.mso" "$sC"
    check "zip entries of the relabelled msoffcrypto file vs openpyxl.xlsx" "$PY" "$H" zipcmp "$CORPUS/openpyxl.xlsx" "$m2.mso"
  fi
  printf '%s\t%s\t%s\t%s\n' "$m2" "$MPW" "$CORPUS/openpyxl.xlsx" "relabelled agile-msoffcrypto-openpyxl.xlsx" >>"$LO3"
fi
S="$CORPUS/standard-poi-label-msip.xlsx" SPW='pässwörd' s2="$T/s3/s2.xlsx"
sOld="3a6c1e7e-2f4b-4c8e-9d61-0123456789ab|5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817|Confidential|Standard|0|2024-05-01T10:00:00Z|custom"
sNew="$id2|$tn2|$NAME2|Standard|2|$DATE1|custom"
if ds "label set on POI's Standard standard-poi-label-msip.xlsx (already labelled, custom properties)" 0 "$s2.log" \
     label set "$S" "$s2" "$SPW" --id "$ID2" --tenant "$TN2" --name "$NAME2" --content-bits footer --set-date "$DATE1"; then
  "$BIN" label show "$s2" "$SPW" --json >"$s2.show.json" 2>&1 || true
  check "label show --json on the relabelled Standard file: old and new label, custom properties" "$PY" "$H" show "$s2.show.json" "$sOld" "$sNew"
  if mso "msoffcrypto decrypts the relabelled Standard file" "$s2" "$SPW" "$s2.mso"; then
    check "labels inside the relabelled Standard file" "$PY" "$H" labels "$s2.mso" "$sOld" "$sNew"
    check "openpyxl reads the relabelled Standard file" "$PY" "$H" libs "$s2.mso" "$CORPUS/label-msip.xlsx" "$sOld" "$sNew"
    check "zip entries of the relabelled Standard file vs label-msip.xlsx" "$PY" "$H" zipcmp "$CORPUS/label-msip.xlsx" "$s2.mso"
    if [ "$have_poi" = 1 ]; then
      rc=0
      bash "$ORACLES/oracle-poi" decrypt "$s2" "$SPW" "$s2.poi" >"$s2.poi.json" 2>"$s2.poi.err" || rc=$?
      if [ "$rc" -eq 0 ] && [ "$(sha "$s2.poi")" = "$(sha "$s2.mso")" ]; then
        ok "POI decrypts the relabelled Standard file: package = msoffcrypto's"
      else
        bad "POI decrypts the relabelled Standard file: exit $rc: $(tail1 "$s2.poi.json") $(tail1 "$s2.poi.err")"
      fi
    else
      skp "POI decrypts the relabelled Standard file: java or POI jars not installed"
    fi
  fi
  printf '%s\t%s\t%s\t%s\n' "$s2" "$SPW" "$CORPUS/label-msip.xlsx" "relabelled standard-poi-label-msip.xlsx" >>"$LO3"
fi
lo_batch "$LO3"

# ---- 4. errors -------------------------------------------------------------------------------
section "4. errors: exit 7 for bad GUIDs and a missing tenant, exit 3 for a wrong password; no output"
mkdir -p "$T/s4"
# err NAME WANT_RC OUT docseal-args...: exit WANT_RC and OUT not written
err() {
  local name=$1 want=$2 out=$3; shift 3
  local rc=0
  "$BIN" "$@" >"$out.log" 2>&1 || rc=$?
  if [ "$rc" -ne "$want" ]; then
    bad "$name: exit $rc (want $want): $(tail1 "$out.log")"
  elif [ -e "$out" ]; then
    bad "$name: exit $rc but $out was written"
  else
    ok "$name: exit $rc, no output ($(tail1 "$out.log" | cut -c1-100))"
  fi
}
X="$CORPUS/openpyxl.xlsx"
err "label set --id not-a-guid" 7 "$T/s4/a.xlsx" label set "$X" "$T/s4/a.xlsx" --id not-a-guid --tenant "$TN1"
err "label set --id one hex digit short" 7 "$T/s4/b.xlsx" label set "$X" "$T/s4/b.xlsx" --id 1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5 --tenant "$TN1"
err "label set --id with a non-hex digit" 7 "$T/s4/c.xlsx" label set "$X" "$T/s4/c.xlsx" --id 1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5g --tenant "$TN1"
err "label set --tenant not a GUID" 7 "$T/s4/d.xlsx" label set "$X" "$T/s4/d.xlsx" --id "$ID1" --tenant 'aabbccdd-1122-4334-8556'
err "label set without --tenant" 7 "$T/s4/e.xlsx" label set "$X" "$T/s4/e.xlsx" --id "$ID1"
err "encrypt --label-id without --label-tenant" 7 "$T/s4/f.xlsx" encrypt "$X" "$T/s4/f.xlsx" -p "$PW" --label-id "$ID1"
err "encrypt --label-id not-a-guid" 7 "$T/s4/g.xlsx" encrypt "$X" "$T/s4/g.xlsx" -p "$PW" --label-id nope --label-tenant "$TN1"
err "label remove --id not-a-guid" 7 "$T/s4/h.xlsx" label remove "$CORPUS/label-msip.xlsx" "$T/s4/h.xlsx" --id nope
err "label set --id not-a-guid on an encrypted file" 7 "$T/s4/i.xlsx" label set "$M" "$T/s4/i.xlsx" "$MPW" --id nope --tenant "$TN1"
if [ -f "$enc" ]; then
  err "label set, wrong password (docseal file)" 3 "$T/s4/j.xlsx" label set "$enc" "$T/s4/j.xlsx" "not-the-password" --id "$ID2" --tenant "$TN2"
  err "label show, wrong password" 3 "$T/s4/k.json" label show "$enc" "not-the-password" --json
  err "label remove --all, wrong password" 3 "$T/s4/l.xlsx" label remove "$enc" "$T/s4/l.xlsx" --all -p "not-the-password"
fi
err "label set, wrong password (msoffcrypto file)" 3 "$T/s4/m.xlsx" label set "$M" "$T/s4/m.xlsx" -p "${MPW}x" --id "$ID2" --tenant "$TN2"
err "label set, wrong password (POI Standard file)" 3 "$T/s4/n.xlsx" label set "$S" "$T/s4/n.xlsx" "${SPW}x" --id "$ID2" --tenant "$TN2"

finish
