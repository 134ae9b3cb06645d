#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ (gitignored) with seeds made from ../corpus/ and from docseal
# itself. Safe to rerun: seeds are named by content and never duplicated; libFuzzer's own
# additions in the same folders are left alone.
#
#   fuzz/seed-corpora.sh                 # all targets
#   MAX_SEED_BYTES=32768 fuzz/seed-corpora.sh
#
# Needs: cargo and a C++ compiler (the seed_tool example links libfuzzer-sys like the targets).
set -euo pipefail

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$FUZZ_DIR")"
SRC="${SEED_SOURCE:-$ROOT/corpus}"
OUT="$FUZZ_DIR/corpus"
MAX_SEED_BYTES="${MAX_SEED_BYTES:-65536}"

for t in encryption_info compound_file decrypt roundtrip dataspaces opc keys oleps labels irm legacy multibuffer mutate; do mkdir -p "$OUT/$t"; done

# Classify the source files by their first bytes.
cfb=() zip=()
while IFS= read -r -d '' f; do
    magic=$(head -c 4 "$f" | od -An -tx1 | tr -d ' \n')
    case "$magic" in
        d0cf11e0) cfb+=("$f") ;;
        504b0304) zip+=("$f") ;;
    esac
done < <(find "$SRC" -type f ! -name '*.tsv' ! -name '*.md' -print0 | sort -z)
echo "source: ${#cfb[@]} compound files, ${#zip[@]} zip packages in $SRC"

small() { for f in "$@"; do [ "$(stat -c %s "$f")" -le "$MAX_SEED_BYTES" ] && printf '%s\n' "$f"; done; return 0; }
copy_hashed() { # dir files...
    local dir=$1; shift
    local n=0
    for f in "$@"; do
        local h; h=$(sha1sum "$f" | cut -c1-16)
        if [ ! -e "$dir/file-$h" ]; then cp "$f" "$dir/file-$h"; n=$((n + 1)); fi
    done
    echo "  $n new files copied into $dir"
}

echo "building seed_tool (release, no sanitizer)"
cargo build --quiet --release --manifest-path "$FUZZ_DIR/Cargo.toml" --example seed_tool
TOOL="$FUZZ_DIR/target/release/examples/seed_tool"

mapfile -t small_cfb < <(small "${cfb[@]}")
mapfile -t small_zip < <(small "${zip[@]}")

# Encrypted seeds that the decrypt target's password opens, at spin counts under its cap.
GEN="$(mktemp -d)"
trap 'rm -rf "$GEN"' EXIT
"$TOOL" encrypt-seeds "$GEN" "${small_zip[@]}"

echo "compound_file:"
copy_hashed "$OUT/compound_file" "${small_cfb[@]}"
copy_hashed "$OUT/compound_file" "$GEN"/*

echo "decrypt:"
copy_hashed "$OUT/decrypt" "${small_cfb[@]}"
copy_hashed "$OUT/decrypt" "$GEN"/*

echo "mutate (files the password opens):"
copy_hashed "$OUT/mutate" "$GEN"/*
# A plain package and a non-Office file exercise the early exits.
[ "${#small_zip[@]}" -gt 0 ] && copy_hashed "$OUT/decrypt" "${small_zip[0]}"

echo "encryption_info:"
"$TOOL" extract-info "$OUT/encryption_info" "${cfb[@]}" "$GEN"/*

echo "roundtrip:"
"$TOOL" roundtrip-seeds "$OUT/roundtrip" "${small_zip[@]}"

echo "opc:"
copy_hashed "$OUT/opc" "${small_zip[@]}"

echo "dataspaces:"
# The four StrongEncryption streams and Office 2007's \x06Primary, from a docseal file and the corpus.
python3 - "$OUT/dataspaces" "$ROOT/corpus/fetched/poi/protect.xlsx" "$ROOT/corpus/fetched/msoffcrypto-tool/example_password.docx" <<'PY' || echo "  (python3 extraction skipped)"
import hashlib, struct, sys
out = sys.argv[1]
for path in sys.argv[2:]:
    b = open(path, "rb").read()
    # Every 4-byte-aligned window that starts with a plausible record header is a seed.
    for off in range(0, len(b) - 8, 4):
        head = struct.unpack_from("<II", b, off)
        if head[0] in (8, 0x58, 0x6C, 0x3C) and head[1] in (1, 0, 4):
            chunk = b[off:off + 256]
            open(f"{out}/ds-{hashlib.sha1(chunk).hexdigest()[:16]}", "wb").write(chunk)
PY

echo "keys:"
if command -v openssl >/dev/null; then
    d="$(mktemp -d)"
    openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=seed" -days 1 -keyout "$d/k.pem" -out "$d/c.pem" 2>/dev/null
    openssl x509 -in "$d/c.pem" -outform DER -out "$d/c.der"
    openssl pkcs8 -topk8 -in "$d/k.pem" -outform DER -nocrypt -out "$d/k.der"
    openssl rsa -in "$d/k.pem" -traditional -out "$d/k1.pem" 2>/dev/null
    copy_hashed "$OUT/keys" "$d"/*
    rm -rf "$d"
fi

echo "oleps:"
# The property-set streams of the corpus's compound files (olefile from the oracle venv).
PY_OLE="${OFFICE_ORACLES_HOME:-$HOME/.cache/office-oracles}/venv/bin/python"
[ -x "$PY_OLE" ] || PY_OLE=python3
"$PY_OLE" - "$OUT/oleps" "${cfb[@]}" <<'PY' || echo "  (olefile extraction skipped)"
import hashlib, sys
import olefile
out = sys.argv[1]
n = 0
for path in sys.argv[2:]:
    try:
        ole = olefile.OleFileIO(path)
    except Exception:
        continue
    for entry in ole.listdir():
        if entry and entry[-1] in ("\x05SummaryInformation", "\x05DocumentSummaryInformation"):
            b = ole.openstream(entry).read()
            open(f"{out}/ps-{hashlib.sha1(b).hexdigest()[:16]}", "wb").write(b)
            n += 1
print(f"  {n} property-set streams")
PY

echo "legacy:"
# The encrypted streams of the corpus's doc/xls/ppt files: a 2-byte cut, then stream A and B.
"$PY_OLE" - "$OUT/legacy" "${cfb[@]}" <<'PY' || echo "  (olefile extraction skipped)"
import hashlib, struct, sys
import olefile
out = sys.argv[1]
n = 0
for path in sys.argv[2:]:
    try:
        ole = olefile.OleFileIO(path)
    except Exception:
        continue
    names = ["/".join(e) for e in ole.listdir()]
    def get(name):
        return ole.openstream(name).read() if name in names else None
    pairs = []
    wd = get("WordDocument")
    tbl = get("1Table") or get("0Table")
    if wd and tbl:
        pairs.append((wd[:4096], tbl[:4096]))
    wb = get("Workbook") or get("Book")
    if wb:
        pairs.append((wb[:16384], b""))
    cu, pd = get("Current User"), get("PowerPoint Document")
    if cu and pd:
        pairs.append((cu, pd[:16384]))
    for a, b in pairs:
        seed = struct.pack("<H", len(a)) + a + b
        open(f"{out}/bin-{hashlib.sha1(seed).hexdigest()[:16]}", "wb").write(seed)
        n += 1
print(f"  {n} seeds")
PY

echo "labels:"
# The label parts of the labelled samples, and the small packages themselves.
python3 - "$OUT/labels" "$SRC"/generated/label-*.* <<'PY' || echo "  (python3 extraction skipped)"
import hashlib, sys, zipfile
out = sys.argv[1]
for path in sys.argv[2:]:
    try:
        z = zipfile.ZipFile(path)
    except Exception:
        continue
    for name in ("docMetadata/LabelInfo.xml", "docProps/custom.xml", "_rels/.rels", "[Content_Types].xml"):
        if name in z.namelist():
            b = z.read(name)
            open(f"{out}/part-{hashlib.sha1(b).hexdigest()[:16]}", "wb").write(b)
PY
copy_hashed "$OUT/labels" $(small "${zip[@]}")

echo "irm:"
# The IRM sample's \x06Primary (found by its DRM TransformInfoHeader) and its licence, plus small
# hand-made transform info, end-user licence and licence texts.
python3 - "$OUT/irm" "$SRC"/fetched/tika/testWORD_protected_drm.doc <<'PY' || echo "  (python3 extraction skipped)"
import base64, hashlib, struct, sys
out = sys.argv[1]
def put(b, tag):
    open(f"{out}/{tag}-{hashlib.sha1(b).hexdigest()[:16]}", "wb").write(b)
def lp8(b):
    return struct.pack("<I", len(b)) + b + b"\0" * (-len(b) % 4)
def lp16(s):
    u = s.encode("utf-16-le")
    return struct.pack("<I", len(u)) + u + b"\0" * (-len(u) % 4)
header = (struct.pack("<II", 0x58, 1) + lp16("{C73DFACD-061F-43B0-8B64-0C620D2A8B50}")
          + lp16("Microsoft.Metadata.DRMTransform") + struct.pack("<6H", 1, 0, 1, 0, 1, 0))
small = (b'<?xml version="1.0"?><XrML version="1.2"><BODY type="Microsoft Rights Label">'
         b'<ISSUER><OBJECT><NAME>a@b</NAME></OBJECT></ISSUER><WORK><OBJECT><ID type="MS-GUID">{1}</ID>'
         b'</OBJECT></WORK><AUTHENTICATEDDATA id="Encrypted-Rights-Data">AA==</AUTHENTICATEDDATA></BODY></XrML>')
put(header + struct.pack("<I", 4) + lp8(small), "primary")
put(small, "licence")
cert = base64.b64encode('<XrML version="1.2"><BODY type="LICENSE"/></XrML>'.encode("utf-16-le"))
chain = b'<?xml version="1.0"?><certificatechain><certificate>' + cert + b'</certificate></certificatechain>'
ident = base64.b64encode("Windows:a@b".encode("utf-16-le"))
put(struct.pack("<I", 8 + len(ident) + (-len(ident) % 4)) + lp8(ident) + lp8(chain), "eul")
put(chain, "licence")
n = 0
for path in sys.argv[2:]:
    try:
        b = open(path, "rb").read()
    except OSError:
        continue
    at = b.find(header)
    if at >= 0:
        size = struct.unpack_from("<I", b, at + len(header) + 4)[0]
        p = b[at:at + len(header) + 8 + size]
        if p.endswith(b"</XrML>"):
            put(p, "primary")
            put(p[len(header) + 8:], "licence")
            n += 1
print(f"  {n} IRM licences from the corpus, 4 hand-made seeds")
PY

for t in encryption_info compound_file decrypt roundtrip dataspaces opc keys oleps labels irm legacy mutate; do
    printf '%-16s %5d files\n' "$t" "$(find "$OUT/$t" -type f | wc -l)"
done
