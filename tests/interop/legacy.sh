#!/usr/bin/env bash
# tests/interop/legacy.sh -- docseal's decryption of Office 97-2003 files (RC4, RC4 CryptoAPI,
# XOR) against LibreOffice: for every doc/xls/ppt row of corpus/MANIFEST.tsv that should open,
# LibreOffice opens docseal's decrypted output without a password and reads the same text
# (text digest) as when it opens the encrypted original with the password itself; and
# msoffcrypto-tool (oracle-decrypt.py) agrees that the output is no longer encrypted.
# Ends with "legacy: N passed, N failed[, N skipped]"; exit 1 if anything failed.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SECONDS=0
batch="$T/batch.tsv"; : > "$batch"
n=0
while IFS=$'\t' read -r file producer scheme cipher password sha source plain expect notes; do
  case "$scheme" in rc4|rc4_cryptoapi|xor) ;; *) continue ;; esac
  [ "$expect" = open ] || continue
  n=$((n + 1))
  out="$T/$n-$(basename "$file")"
  if r=$("$DOCSEAL_BIN" decrypt "$REPO/corpus/$file" "$out" -p "$password" 2>&1); then
    ok "docseal decrypts $file ($scheme)"
    printf '%s\t%s\n' "$REPO/corpus/$file" "$password" >> "$batch"
    printf '%s\t\n' "$out" >> "$batch"
    if r=$("$DOCSEAL_BIN" inspect "$out" --json) && echo "$r" | grep -q '"encrypted":false'; then
      ok "inspect calls the output of $file plain"
    else bad "inspect on the output of $file: $(echo "$r" | head -c 200)"; fi
    # msoffcrypto: the output is not encrypted any more (exit 2 = not encrypted).
    if python3 "$ORACLES/oracle-decrypt.py" "$out" "$password" "$T/m.out" >/dev/null 2>&1; then
      bad "msoffcrypto still sees encryption in the output of $file"
    else ok "msoffcrypto sees no encryption in the output of $file"; fi
  else
    bad "docseal decrypt $file: $(echo "$r" | head -c 200)"
  fi
done < <(tail -n +2 "$REPO/corpus/MANIFEST.tsv")
if command -v soffice >/dev/null; then
  python3 "$ORACLES/oracle-lo-open.py" --batch "$batch" > "$T/lo.jsonl" 2>/dev/null || true
  python3 - "$T/lo.jsonl" <<'PY' > "$T/lo.txt"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
for orig, dec in zip(rows[0::2], rows[1::2]):
    name = orig.get("file", "?").split("/corpus/")[-1]
    if not orig.get("ok") and dec.get("ok"):
        print(f"PASS LibreOffice opens docseal's decryption of {name}: app={dec.get('app')} text_chars={dec.get('text_chars')} (it cannot open the encrypted original, so no text comparison)")
    elif not orig.get("ok"):
        print(f"FAIL LibreOffice opens neither {name} nor docseal's decryption of it: {dec}")
    elif not dec.get("ok"):
        print(f"FAIL LibreOffice cannot open docseal's decryption of {name}: {dec}")
    elif orig.get("text_sha256") != dec.get("text_sha256"):
        print(f"FAIL LibreOffice reads different text from docseal's decryption of {name}")
    else:
        print(f"PASS LibreOffice opens docseal's decryption of {name}: app={dec.get('app')} text_chars={dec.get('text_chars')}, text digest = the original's")
PY
  while read -r verdict rest; do
    case "$verdict" in PASS) ok "$rest" ;; FAIL) bad "$rest" ;; *) skp "$rest" ;; esac
  done < "$T/lo.txt"
else skp "LibreOffice absent"; fi
echo "($SECONDS s)"
echo "legacy: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
