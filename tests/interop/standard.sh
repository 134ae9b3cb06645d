#!/usr/bin/env bash
# tests/interop/standard.sh -- docseal's Standard (Office 2007, 4.2) output against the oracles:
# msoffcrypto-tool (oracle-decrypt.py), Apache POI (oracle-poi decrypt) and LibreOffice
# (oracle-lo-open.py; AES-128 only, as LibreOffice reads no other Standard key size).
# Ends with "standard: N passed, N failed[, N skipped]"; exit 1 if anything failed.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PW="stänðard 密码"
for plain in pydocx.docx openpyxl.xlsx pptx.pptx; do
  for bits in 128 256; do
    f="$T/std$bits-$plain"
    "$DOCSEAL_BIN" encrypt "$REPO/corpus/generated/$plain" "$f" -p "$PW" --scheme standard --cipher "aes$bits"
    want=$(sha256sum "$REPO/corpus/generated/$plain" | cut -d' ' -f1)
    if r=$(python3 "$ORACLES/oracle-decrypt.py" "$f" "$PW" "$T/m.out" 2>&1) && [ "$(sha256sum "$T/m.out" | cut -d' ' -f1)" = "$want" ]; then
      ok "msoffcrypto decrypts std$bits-$plain: $(echo "$r" | head -c 120)"
    else bad "msoffcrypto on std$bits-$plain: $(echo "$r" | head -c 300)"; fi
    if command -v java >/dev/null; then
      if r=$("$ORACLES/oracle-poi" decrypt "$f" "$PW" "$T/p.out" 2>&1) && [ "$(sha256sum "$T/p.out" | cut -d' ' -f1)" = "$want" ]; then
        ok "POI decrypts std$bits-$plain: $(echo "$r" | head -c 120)"
      else bad "POI on std$bits-$plain: $(echo "$r" | head -c 300)"; fi
    else skp "POI absent"; fi
    if [ "$bits" = 128 ]; then
      if command -v soffice >/dev/null; then
        if r=$(python3 "$ORACLES/oracle-lo-open.py" "$f" "$PW" 2>&1) && echo "$r" | grep -q '"ok": *true'; then
          ok "LibreOffice opens std$bits-$plain: $(echo "$r" | tr -d '\n' | head -c 120)"
        else bad "LibreOffice on std$bits-$plain: $(echo "$r" | tr -d '\n' | head -c 300)"; fi
      else skp "LibreOffice absent"; fi
    fi
  done
done
echo "standard: $pass passed, $fail failed$([ $skip -gt 0 ] && echo ", $skip skipped")"
[ "$fail" -eq 0 ]
