#!/usr/bin/env bash
# tests/interop/layouts.sh -- docseal's Office-era layouts against independent readers:
# for each `encrypt --layout` era, both schemes, a small docx and a package large enough to
# need more than three FAT sectors, msoffcrypto-tool (oracle-decrypt.py) must return the exact
# package, olefile must list every stream with its size, and `docseal lint` must name the era;
# `irm protect` output (Office's IRM creation order, EncryptedSIHash/EncryptedDSIHash) must read
# in olefile with both hash streams holding 0xAB 0x00 and the MsoCrc32 of their property set.
# Ends with "layouts: N passed, N failed[, N skipped]"; exit 1 if anything failed.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
VPY="${OFFICE_ORACLES_HOME:-$HOME/.cache/office-oracles}/venv/bin/python"
PW="ëra pässwörd"
# A 700 KB package (stored, so it stays that size): more than three FAT sectors.
python3 - "$REPO/corpus/generated/pydocx.docx" "$T/large.docx" <<'PY'
import sys, zipfile
src, dst = sys.argv[1:]
with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as out:
    for i in z.infolist():
        out.writestr(i, z.read(i))
    out.writestr("docProps/filler.bin", bytes((i * 7) % 251 for i in range(700_000)))
PY
cp "$REPO/corpus/generated/pydocx.docx" "$T/small.docx"

olefile_check() {  # olefile_check FILE: every stream readable to its declared size
  "$VPY" - "$1" <<'PY'
import sys, olefile
o = olefile.OleFileIO(sys.argv[1])
n = 0
for path in o.listdir():
    size = o.get_size(path)
    assert len(o.openstream(path).read()) == size, path
    n += 1
print(f"{n} streams")
PY
}

if [ ! -x "$VPY" ]; then skp "oracle venv absent ($VPY)"; fi
for era in office2007 office2010 office2013; do
  for scheme in agile standard; do
    for plain in small.docx large.docx; do
      f="$T/$era-$scheme-$plain"
      "$DOCSEAL_BIN" encrypt "$T/$plain" "$f" -p "$PW" --scheme "$scheme" --layout "$era" --spin-count 1000 -q
      want=$(sha256sum "$T/$plain" | cut -d' ' -f1)
      if r=$(python3 "$ORACLES/oracle-decrypt.py" "$f" "$PW" "$T/m.out" 2>&1) && [ "$(sha256sum "$T/m.out" | cut -d' ' -f1)" = "$want" ]; then
        ok "msoffcrypto decrypts $era $scheme $plain"
      else bad "msoffcrypto on $era $scheme $plain: $(echo "$r" | head -c 300)"; fi
      if [ -x "$VPY" ]; then
        if r=$(olefile_check "$f" 2>&1); then ok "olefile reads $era $scheme $plain: $r"
        else bad "olefile on $era $scheme $plain: $(echo "$r" | tail -c 300)"; fi
      fi
      # Exit 9 is "findings": the spin count of 1000 is weaker-than-office, which is expected.
      rc=0; r=$("$DOCSEAL_BIN" lint "$f" 2>&1) || rc=$?
      if { [ "$rc" = 0 ] || [ "$rc" = 9 ]; } && echo "$r" | grep -q "^layout: .*$era"; then
        ok "lint names $era for $scheme $plain"
      else bad "lint on $era $scheme $plain: $(echo "$r" | head -c 300)"; fi
    done
  done
done

for plain in small.docx large.docx; do
  f="$T/irm-$plain"
  "$DOCSEAL_BIN" irm protect "$T/$plain" "$f" --test-provider --content-key-out "$T/k.bin" -q 2>/dev/null
  if [ -x "$VPY" ]; then
    if r=$("$VPY" - "$f" <<'PY' 2>&1
import sys, struct, olefile
table = []
for i in range(256):
    v = i << 24
    for _ in range(8):
        v = ((v << 1) ^ 0xAF) if v & 0x80000000 else (v << 1)
        v &= 0xFFFFFFFF
    table.append(v & 0xFFFF)
def crc(data):
    c = 0
    for b in data:
        c = ((c << 8) & 0xFFFFFFFF) ^ table[((c >> 24) ^ b) & 0xFF]
    return c
o = olefile.OleFileIO(sys.argv[1])
for ps, h in [("\x05SummaryInformation", "EncryptedSIHash"), ("\x05DocumentSummaryInformation", "EncryptedDSIHash")]:
    want = bytes([0xAB, 0]) + struct.pack("<I", crc(o.openstream(ps).read()))
    assert o.openstream(h).read() == want, h
print(len(o.listdir()), "streams, hashes match")
PY
    ); then ok "olefile reads irm protect $plain: $r"; else bad "olefile on irm protect $plain: $(echo "$r" | tail -c 300)"; fi
  fi
  if r=$("$DOCSEAL_BIN" conform "$f" 2>&1); then ok "conform without the key: irm protect $plain identical"
  else bad "conform on irm protect $plain: $(echo "$r" | head -c 300)"; fi
done
echo "layouts: $pass passed, $fail failed$([ $skip -gt 0 ] && echo ", $skip skipped")"
[ "$fail" -eq 0 ]
