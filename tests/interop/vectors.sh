#!/usr/bin/env bash
# tests/interop/vectors.sh -- the proof of the test-vector packs (docseal vectors):
#   1. the seed-1 pack is regenerated and its MANIFEST.tsv has the committed SHA-256
#      (tests/vectors/seed1-manifest.sha256; the manifest lists every file's SHA-256);
#   2. every file has the SHA-256 its row gives;
#   3. every row gets its expected outcome in docseal (open rows: the plaintext digest), and
#      msoffcrypto-tool and Apache POI agree with the manifest on every row in the schemes they
#      support, except the disagreements listed with their reason in vectors-findings.tsv.
# Ends with "vectors: N passed, N failed"; exit 1 if anything failed. 116 s to 493 s on the shared
# 2-core machine while other builds ran (2026-12-03): POI's JVM per file and the
# 10,000,000-spin row in each reader.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SECONDS=0
PACK="$T/pack"
"$DOCSEAL_BIN" -q vectors "$PACK" --seed 1
want="$(cut -d' ' -f1 "$REPO/tests/vectors/seed1-manifest.sha256")"
got="$(sha256sum "$PACK/MANIFEST.tsv" | cut -d' ' -f1)"
if [ "$got" = "$want" ]; then ok "seed-1 pack: MANIFEST.tsv sha256 $got as committed"
else bad "seed-1 pack: MANIFEST.tsv sha256 $got, committed $want"; fi
if r=$(cd "$PACK" && tail -n +2 MANIFEST.tsv | awk -F'\t' '{print $11 "  " $1}' | sha256sum -c --quiet 2>&1); then
  ok "every file has its manifest SHA-256 ($(($(wc -l < "$PACK/MANIFEST.tsv") - 1)) files, $(du -sh "$PACK" | cut -f1))"
else bad "files differ from their manifest SHA-256: $r"; fi
if ORACLES="$ORACLES" DOCSEAL_BIN="$DOCSEAL_BIN" python3 "$HERE/vectors_readers.py" check "$PACK" \
     "$PACK/MANIFEST.tsv" --findings "$HERE/vectors-findings.tsv" \
     --readers docseal,msoffcrypto,poi > "$T/check.txt" 2>&1; then
  ok "docseal, msoffcrypto-tool and POI agree with the manifest ($(tail -1 "$T/check.txt"))"
else
  bad "readers disagree with the manifest: $(tail -1 "$T/check.txt")"
fi
grep -E '^(FAIL|NOTE)' "$T/check.txt" || true
echo "vectors: $pass passed, $fail failed (${SECONDS}s)"
[ "$fail" -eq 0 ]
