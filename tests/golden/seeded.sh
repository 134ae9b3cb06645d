#!/usr/bin/env bash
# tests/golden/seeded.sh [DOCSEAL] -- seeded outputs must not change.
# Encrypts the embedded samples with `--insecure-seed-for-tests` across schemes, ciphers, layouts,
# recipients, labels and the Office 97-2003 schemes, and compares every output's SHA-256 with
# tests/golden/seeded.sha256. A refactor that changes one byte of output fails here.
# `--update` rewrites the digest file (only when an output is meant to change; say why in the commit).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
UPDATE=0; [ "${1:-}" = "--update" ] && { UPDATE=1; shift; }
B="${1:-$REPO/target/release/docseal}"
S="$REPO/crates/docseal/samples"
T="$(mktemp -d)"; trap 'rm -rf "$T"' EXIT
export DS_PW="golden password"
enc() { local name="$1"; shift; "$B" -q encrypt --password-env DS_PW --insecure-seed-for-tests 7 "$@" "$T/$name"; }

enc agile.docx "$S/minimal.docx"
enc standard.docx --scheme standard "$S/minimal.docx"
enc aes128-sha1.docx --cipher aes128 --hash sha1 "$S/minimal.docx"
enc des3-sha384-cfb.docx --cipher 3des --hash sha384 --chaining cfb "$S/minimal.docx"
enc rc2-md5.docx --cipher rc2 --hash md5 "$S/minimal.docx"
enc spin1000.pptx --spin-count 1000 "$S/label-both.pptx"
enc office2007.docx --scheme standard --layout office2007 "$S/minimal.docx"
enc office2010.docx --layout office2010 "$S/minimal.docx"
enc office2013.docx --layout office2013 "$S/minimal.docx"
enc recipient.docx --recipient "$S/vectors-recipient.pem" "$S/minimal.docx"
"$B" -q label set "$S/minimal.docx" "$T/labelled-plain.docx" --id 11111111-2222-3333-4444-555555555555 \
  --tenant 66666666-7777-8888-9999-000000000000 --name Golden --set-date 2026-01-01T00:00:00Z
enc labelled.docx "$T/labelled-plain.docx"
# Office 97-2003: decrypt the embedded samples, then encrypt the plain files.
"$B" -q decrypt --password 'Password1234_' "$S/legacy-msoffcrypto-tool-rc4cryptoapi_password.doc" "$T/plain.doc"
"$B" -q decrypt --password 'Password1234_' "$S/legacy-msoffcrypto-tool-rc4cryptoapi_password.xls" "$T/plain.xls"
enc cryptoapi.doc "$T/plain.doc"
enc rc4.doc --scheme rc4 "$T/plain.doc"
enc cryptoapi.xls "$T/plain.xls"
enc rc4.xls --scheme rc4 "$T/plain.xls"
enc xor.xls --scheme xor "$T/plain.xls"
rm "$T/plain.doc" "$T/plain.xls"
# Whole trees.
mkdir -p "$T/tree/sub"; cp "$S/minimal.docx" "$T/tree/a.docx"; cp "$S/label-both.pptx" "$T/tree/sub/b.pptx"
"$B" -q protect "$T/tree" "$T/protected" --password-env DS_PW --insecure-seed-for-tests 7 >/dev/null
for f in a.docx sub/b.pptx; do cp "$T/protected/$f" "$T/protect-$(basename "$f")"; done
rm -rf "$T/tree" "$T/protected"

got="$(cd "$T" && sha256sum -- * | sort -k2)"
# The seed-1 vectors pack (IRM, labels, damaged files): its manifest lists every file's SHA-256.
"$B" -q vectors "$T/vectors" --seed 1 >/dev/null
vec="$(sha256sum < "$T/vectors/MANIFEST.tsv" | cut -d' ' -f1)"
want_vec="$(cut -d' ' -f1 "$REPO/tests/vectors/seed1-manifest.sha256")"
[ "$vec" = "$want_vec" ] || { echo "golden: the seed-1 vectors manifest changed ($vec, want $want_vec)" >&2; exit 1; }
if [ "$UPDATE" = 1 ]; then printf '%s\n' "$got" > "$REPO/tests/golden/seeded.sha256"; echo "updated"; exit 0; fi
if diff <(cat "$REPO/tests/golden/seeded.sha256") <(printf '%s\n' "$got"); then
  echo "golden: $(printf '%s\n' "$got" | wc -l) seeded outputs identical"
else
  echo "golden: seeded outputs changed (diff above: < expected, > got)" >&2; exit 1
fi
