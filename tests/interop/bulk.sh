#!/usr/bin/env bash
# tests/interop/bulk.sh -- `docseal protect` of a generated tree, checked by msoffcrypto-tool:
# every output docseal encrypted must decrypt in oracle-decrypt.py (HMAC checked) to the exact
# source package; files already protected and other files are copied byte for byte; Office
# 97-2003 files are encrypted with RC4 CryptoAPI. Then `docseal unprotect` of the protected tree gives the
# sources back. Ends with "bulk: N passed, N failed"; exit 1 if anything failed.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PW="bulk pässwörd"
export BULK_PW="$PW"
C="$REPO/corpus"
mkdir -p "$T/src/docs/deeper" "$T/src/enc" "$T/src/other"
cp "$C/generated/pydocx.docx" "$C/generated/label-labelinfo.docx" "$T/src/docs/"
cp "$C/generated/openpyxl.xlsx" "$C/generated/pptx.pptx" "$C/generated/exact4096.docx" "$T/src/docs/deeper/"
cp "$C/fetched/msoffcrypto-tool/example_password.docx" "$C/fetched/msoffcrypto-tool/ecma376standard_password.docx" \
  "$C/fetched/msoffcrypto-tool/rc4cryptoapi_password.xls" "$T/src/enc/"
cp "$C/fetched/msoffcrypto-tool/plain.doc" "$T/src/other/"
echo "notes" >"$T/src/other/notes.txt"

out=$("$DOCSEAL_BIN" protect "$T/src" "$T/dst" --password-env BULK_PW --copy-other --jobs 2 --json) \
  || bad "protect exited $?"
while IFS= read -r line; do
  path=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("path",""))' "$line")
  action=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("action",""))' "$line")
  [ -n "$path" ] || continue
  case "$action" in
    encrypted)
      want=$(sha256sum "$T/src/$path" | cut -d' ' -f1)
      case "$path" in
        # An Office 97-2003 file's decryption is not its source byte for byte (the encryption
        # header record stays as an empty record): msoffcrypto-tool must give docseal's.
        *.doc|*.xls|*.ppt)
          "$DOCSEAL_BIN" -q decrypt "$T/dst/$path" "$T/d.out" -p "$PW" || bad "docseal decrypt of $path"
          want=$(sha256sum "$T/d.out" | cut -d' ' -f1) ;;
      esac
      if r=$(python3 "$ORACLES/oracle-decrypt.py" "$T/dst/$path" "$PW" "$T/m.out" 2>&1) \
        && [ "$(sha256sum "$T/m.out" | cut -d' ' -f1)" = "$want" ]; then
        ok "msoffcrypto decrypts protected $path: $(echo "$r" | head -c 100)"
      else bad "msoffcrypto on protected $path: $(echo "$r" | head -c 300)"; fi ;;
    copied)
      if cmp -s "$T/src/$path" "$T/dst/$path"; then ok "copied as is: $path"
      else bad "copy differs: $path"; fi ;;
    *) bad "unexpected record: $line" ;;
  esac
done <<<"$out"
n=$(grep -c '"action":"encrypted"' <<<"$out" || true)
[ "$n" = 6 ] && ok "5 plain packages and a doc encrypted" || bad "$n files encrypted, expected 6"

if "$DOCSEAL_BIN" -q unprotect "$T/dst" "$T/back" --password-env BULK_PW --jobs 2 >/dev/null 2>&1; then :; fi
for f in docs/pydocx.docx docs/deeper/openpyxl.xlsx docs/deeper/pptx.pptx; do
  if cmp -s "$T/src/$f" "$T/back/$f"; then ok "unprotect gives back $f"; else bad "unprotect of $f differs"; fi
done
echo "bulk: $pass passed, $fail failed$([ $skip -gt 0 ] && echo ", $skip skipped")"
[ "$fail" -eq 0 ]
