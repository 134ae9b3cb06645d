#!/usr/bin/env bash
# tests/interop/legacy_encrypt.sh -- Office 97-2003 files docseal encrypts, against the oracles.
# Inputs: the plain doc/xls of the corpus and docseal's decryption of every encrypted doc/xls
# row that should open. Each is encrypted with every scheme docseal writes for it (doc:
# rc4-cryptoapi, rc4; xls: rc4-cryptoapi, rc4, xor; ppt: rc4-cryptoapi), then:
#   - msoffcrypto-tool (oracle-decrypt.py) decrypts it, and its streams equal docseal's own
#     decryption of the same file (two independent decryptors agree; ppt: it decrypts, and the
#     document properties are in EncryptedSummary as PowerPoint writes them, restored by
#     docseal's decryption; POI's oracle reads OOXML only); skipped for the inputs
#     whose encrypted original msoffcrypto cannot read either (manifest: "msoffcrypto fails");
#   - LibreOffice opens it with the password and reads the same text (text digest) as from the
#     plain input (ppt: LibreOffice opens no encrypted presentation, PowerPoint's included, so
#     it reads docseal's decryption of docseal's output instead; XOR with an ASCII password: LibreOffice did not open an XOR workbook whose
#     password has a non-ASCII character);
#   - `docseal encrypt` refuses the encrypted output (exit 2, "decrypt it first").
# Also Word XOR decryption: openwall's `2003-Test-weak-XOR_…doc` (shared corpus only, no
# licence to copy it), decrypted by docseal, reads in LibreOffice as the original does when
# LibreOffice opens it itself (with the password's first 15 characters, all XOR keeps).
# Ends with "legacy_encrypt: N passed, N failed[, N skipped]"; exit 1 if anything failed.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SECONDS=0
PW='s3cret-Pässwort'
PW_XOR='xor-Passw0rd'
plain_dir="$T/plain"; mkdir -p "$plain_dir"
: > "$T/no-msoffcrypto"
n=0
while IFS=$'\t' read -r file producer scheme cipher password sha source plain expect notes; do
  case "$file" in *.doc|*.xls|*.ppt) ;; *) continue ;; esac
  case "$scheme" in
    plain) cp "$REPO/corpus/$file" "$plain_dir/$n-plain-$(basename "$file")" ;;
    rc4|rc4_cryptoapi|xor)
      [ "$expect" = open ] || continue
      # Excel 5/95 (Book stream) is not written.
      case "$notes" in *BIFF5*) continue ;; esac
      "$DOCSEAL_BIN" decrypt "$REPO/corpus/$file" "$plain_dir/$n-dec-$(basename "$file")" -p "$password" \
        >/dev/null 2>&1 || { bad "docseal decrypt $file"; continue; }
      case "$notes" in *"fails in: msoffcrypto"*|*"msoffcrypto fails"*)
        echo "$n-dec-$(basename "$file")" >> "$T/no-msoffcrypto" ;; esac ;;
    *) continue ;;
  esac
  n=$((n + 1))
done < <(tail -n +2 "$REPO/corpus/MANIFEST.tsv")

streams_equal() { # a b: every stream of two compound files, by path, equal
  "$VENV_PY" - "$1" "$2" <<'PY'
import sys
import olefile
def streams(p):
    o = olefile.OleFileIO(p)
    return {"/".join(e): o.openstream(e).read() for e in o.listdir(streams=True, storages=False)}
a, b = streams(sys.argv[1]), streams(sys.argv[2])
diff = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
print(", ".join(diff) if diff else "")
sys.exit(1 if diff else 0)
PY
}
ppt_properties() { # plain encrypted decrypted: PowerPoint's encrypted document properties
  "$VENV_PY" - "$1" "$2" "$3" <<'PY'
import sys
import olefile
SI, DSI = "\x05SummaryInformation", "\x05DocumentSummaryInformation"
def streams(p):
    o = olefile.OleFileIO(p)
    return {"/".join(e): o.openstream(e).read() for e in o.listdir(streams=True, storages=False)}
plain, enc, dec = (streams(p) for p in sys.argv[1:4])
if SI not in plain and DSI not in plain:
    print("no property sets in the plain input"); sys.exit(0)
problems = []
if "EncryptedSummary" not in enc: problems.append("no EncryptedSummary")
if SI in enc: problems.append("SummaryInformation in clear")
if DSI in plain and len(enc.get(DSI, b"")) != 72: problems.append("no 72-byte placeholder")
for n in (SI, DSI):
    if plain.get(n) != dec.get(n): problems.append(f"{n[1:]} not restored")
if "EncryptedSummary" in dec: problems.append("EncryptedSummary left in the decryption")
print("; ".join(problems) if problems else f"EncryptedSummary {len(enc['EncryptedSummary'])} bytes")
sys.exit(1 if problems else 0)
PY
}
VENV_PY="$(cd "$ORACLES" && python3 -B -c 'from _oracle_common import venv_python; print(venv_python())' 2>/dev/null || echo python3)"
[ -x "$VENV_PY" ] || VENV_PY=python3

batch="$T/batch.tsv"; : > "$batch"
xor_doc="$SHARED/corpus/fetched/john-samples/2003-Test-weak-XOR_myhovercraftisfullofeels_.doc"
if [ -f "$xor_doc" ]; then
  if "$DOCSEAL_BIN" decrypt "$xor_doc" "$T/xor-word.doc" -p myhovercraftisfullofeels >/dev/null 2>&1; then
    ok "docseal decrypts Word XOR obfuscation (2003-Test-weak-XOR_…doc)"
    printf '%s\t%s\n%s\t-\n' "$xor_doc" myhovercraftisf "$T/xor-word.doc" >> "$batch"
  else bad "docseal cannot decrypt 2003-Test-weak-XOR_…doc"; fi
else skp "Word XOR sample absent ($xor_doc)"; fi
for in_file in "$plain_dir"/*; do
  base="$(basename "$in_file")"
  case "$base" in
    *.xls) schemes="rc4-cryptoapi rc4 xor" ;;
    *.ppt) schemes="rc4-cryptoapi" ;;
    *) schemes="rc4-cryptoapi rc4" ;;
  esac
  for s in $schemes; do
    enc="$T/enc-$s-$base"
    pw="$PW"; [ "$s" = xor ] && pw="$PW_XOR"
    if ! r=$("$DOCSEAL_BIN" encrypt "$in_file" "$enc" -p "$pw" --scheme "$s" 2>&1); then
      bad "docseal encrypt --scheme $s $base: $r"; continue
    fi
    if grep -qxF "$base" "$T/no-msoffcrypto"; then
      skp "msoffcrypto on docseal's $s $base (it cannot read the encrypted original either)"
    elif python3 "$ORACLES/oracle-decrypt.py" "$enc" "$pw" "$T/m.out" >/dev/null 2>&1; then
      "$DOCSEAL_BIN" decrypt "$enc" "$T/d.out" -p "$pw" >/dev/null
      if [ "${base%.ppt}" != "$base" ]; then
        # msoffcrypto sizes a persist object by the next one's offset, so it also runs the
        # keystream over bytes no object holds (a decrypted input's old CryptSession10Container),
        # and leaves Pictures encrypted (see crates/docseal-legacy/src/ppt.rs): no stream compare.
        ok "msoffcrypto decrypts docseal's $s $base"
      elif d=$(streams_equal "$T/m.out" "$T/d.out" 2>&1); then
        ok "msoffcrypto decrypts docseal's $s $base; its streams equal docseal's decryption"
      else bad "msoffcrypto and docseal decrypt docseal's $s $base differently: $d"; fi
    else bad "msoffcrypto cannot decrypt docseal's $s $base"; fi
    set +e; "$DOCSEAL_BIN" encrypt "$enc" "$T/again" -p x >/dev/null 2>&1; rc=$?; set -e
    if [ "$rc" -eq 2 ]; then ok "encrypting docseal's $s $base again is refused (exit 2)"
    else bad "encrypting docseal's $s $base again: exit $rc, not 2"; fi
    case "$base" in
      *.ppt) # LibreOffice opens no encrypted ppt (not even PowerPoint's): docseal's decryption
        "$DOCSEAL_BIN" decrypt "$enc" "$T/dec-$s-$base" -p "$pw" >/dev/null
        # The document properties as PowerPoint encrypts them: EncryptedSummary, no clear
        # SummaryInformation, a 72-byte DocumentSummaryInformation placeholder; docseal's
        # decryption gives the plain input's property sets back.
        if d=$(ppt_properties "$in_file" "$enc" "$T/dec-$s-$base" 2>&1); then
          ok "docseal's $s $base has its properties in EncryptedSummary and decrypts to the plain ones ($d)"
        else bad "docseal's $s $base: document properties: $d"; fi
        printf '%s\t-\n%s\t-\n' "$in_file" "$T/dec-$s-$base" >> "$batch" ;;
      *) printf '%s\t-\n%s\t%s\n' "$in_file" "$enc" "$pw" >> "$batch" ;;
    esac
  done
done
# RC4 with a password longer than 15 characters is keyed with its first 15, as Word XP-2007,
# Excel XP and LibreOffice key it: msoffcrypto-tool (which keys with the whole password) and
# LibreOffice (which refuses longer RC4 passwords) open it with those 15, docseal with either.
PW_LONG='typed-password-of-24-chs'
for in_file in $(ls "$plain_dir"/*.doc | head -1) $(ls "$plain_dir"/*.xls | head -1); do
  base="$(basename "$in_file")"; enc="$T/enc-rc4-long-$base"; d=""
  "$DOCSEAL_BIN" -q encrypt "$in_file" "$enc" -p "$PW_LONG" --scheme rc4
  "$DOCSEAL_BIN" decrypt "$enc" "$T/d.out" -p "$PW_LONG" >/dev/null 2>&1
  if python3 "$ORACLES/oracle-decrypt.py" "$enc" "${PW_LONG:0:15}" "$T/m.out" >/dev/null 2>&1 \
     && d=$(streams_equal "$T/m.out" "$T/d.out" 2>&1); then
    ok "msoffcrypto decrypts docseal's rc4 $base (24-character password) with its first 15 characters, as docseal decrypts it with all 24"
  else bad "docseal's rc4 $base with a 24-character password: msoffcrypto cannot decrypt it with the first 15 characters ${d}"; fi
  printf '%s\t-\n%s\t%s\n' "$in_file" "$enc" "${PW_LONG:0:15}" >> "$batch"
done
if command -v soffice >/dev/null; then
  python3 "$ORACLES/oracle-lo-open.py" --batch "$batch" > "$T/lo.jsonl" 2>/dev/null || true
  python3 - "$T/lo.jsonl" <<'PY' > "$T/lo.txt"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
for plain, enc in zip(rows[0::2], rows[1::2]):
    name = enc.get("file", "?").rsplit("/", 1)[-1]
    how = "docseal's decryption of docseal's" if name.startswith("dec-") else "with the password"
    if name == "xor-word.doc":
        same = plain.get("ok") and enc.get("ok") and plain.get("text_sha256") == enc.get("text_sha256")
        print(("PASS" if same else "FAIL") + f" LibreOffice reads docseal's decryption of the Word XOR sample like the original: {enc.get('text_chars')} chars")
        continue
    if not plain.get("ok"):
        print(f"SKIP LibreOffice cannot open the plain input of {name}")
    elif not enc.get("ok"):
        print(f"FAIL LibreOffice cannot open {name} ({how}): {enc}")
    elif plain.get("text_sha256") != enc.get("text_sha256"):
        print(f"FAIL LibreOffice reads different text from {name} than from its plain input")
    else:
        print(f"PASS LibreOffice opens {name} ({how}): app={enc.get('app')} text_chars={enc.get('text_chars')}, text digest = the plain input's")
PY
  while read -r verdict rest; do
    case "$verdict" in PASS) ok "$rest" ;; FAIL) bad "$rest" ;; *) skp "$rest" ;; esac
  done < "$T/lo.txt"
else skp "LibreOffice absent"; fi
echo "($SECONDS s)"
echo "legacy_encrypt: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
