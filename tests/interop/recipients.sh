#!/usr/bin/env bash
# tests/interop/recipients.sh -- certificate key encryptors against independent readers:
#   * msoffcrypto-tool's primitives (with `cryptography`) unwrap the key of each recipient,
#     check certVerifier and dataIntegrity and decrypt (recipients_oracle.py);
#   * Apache POI parses the EncryptionInfo of certificate-only and mixed files (X.509 included),
#     and decrypts the password path of a mixed file;
#   * LibreOffice opens the password path of a mixed file written with --password-last.
# Known limits of the peers, printed as NOTE lines (not counted): msoffcrypto-tool's OfficeFile
# always reads the first *password* encryptor (IndexError on certificate-only files, a wrong
# key on mixed ones); POI 4.0.1 requires the first encryptor to be a password one, so it refuses
# certificate-only files; LibreOffice 7.4 keeps the encryptedKeyValue of the *last* encryptor
# and dies on a certificate's, so a mixed file must carry its password encryptor last for it.
# Ends with "recipients: N passed, N failed[, N skipped]"; exit 1 if anything failed.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

command -v openssl >/dev/null || { echo "openssl is needed to make test certificates" >&2; exit 1; }
for who in alice bob; do
  openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=$who/O=docseal interop" -days 30 \
    -keyout "$T/$who.key" -out "$T/$who.pem" 2>/dev/null
done
PLAIN="$REPO/corpus/generated/pydocx.docx"
WANT=$(sha256sum "$PLAIN" | cut -d' ' -f1)
"$DOCSEAL_BIN" encrypt "$PLAIN" "$T/certonly.docx" --recipient "$T/alice.pem" --recipient "$T/bob.pem"
"$DOCSEAL_BIN" encrypt "$PLAIN" "$T/mixed.docx" -p "mixed pässwörd" --recipient "$T/alice.pem"
"$DOCSEAL_BIN" encrypt "$PLAIN" "$T/mixedlast.docx" -p "mixed pässwörd" --recipient "$T/alice.pem" --password-last

for f in certonly mixed mixedlast; do
  for who in alice bob; do
    [ "$f" != certonly ] && [ "$who" = bob ] && continue
    if r=$(python3 "$HERE/recipients_oracle.py" "$T/$f.docx" "$T/$who.pem" "$T/$who.key" "$WANT"); then
      ok "msoffcrypto primitives open $f.docx with $who's key: $r"
    else
      bad "msoffcrypto primitives on $f.docx with $who's key: $r"
    fi
  done
done

if command -v java >/dev/null && [ -f /usr/share/java/poi.jar ] || ls /usr/share/java/poi-[0-9]*.jar >/dev/null 2>&1; then
  if r=$("$ORACLES/oracle-poi" info "$T/mixed.docx" 2>&1) && echo "$r" | grep -q '"ok":true'; then
    ok "POI parses mixed.docx EncryptionInfo (password first, X.509 certificate included): $(echo "$r" | head -c 160)"
  else
    bad "POI cannot parse mixed.docx: $(echo "$r" | head -c 300)"
  fi
  r=$("$ORACLES/oracle-poi" info "$T/certonly.docx" 2>&1 || true)
  note "POI on certonly.docx (POI needs a password encryptor first): $(echo "$r" | head -c 160)"
  if r=$("$ORACLES/oracle-poi" decrypt "$T/mixed.docx" "mixed pässwörd" "$T/poi.docx" 2>&1) && [ "$(sha256sum "$T/poi.docx" | cut -d' ' -f1)" = "$WANT" ]; then
    ok "POI decrypts the password path of mixed.docx: $(echo "$r" | head -c 160)"
  else
    bad "POI on mixed.docx: $(echo "$r" | head -c 300)"
  fi
else
  skp "POI absent"
fi
if command -v soffice >/dev/null; then
  if r=$(python3 "$ORACLES/oracle-lo-open.py" "$T/mixedlast.docx" "mixed pässwörd" 2>&1) && echo "$r" | grep -q '"ok": *true'; then
    ok "LibreOffice opens the password path of mixedlast.docx (--password-last): $(echo "$r" | tr -d '\n' | head -c 200)"
  else
    bad "LibreOffice on mixedlast.docx: $(echo "$r" | tr -d '\n' | head -c 300)"
  fi
  r=$(python3 "$ORACLES/oracle-lo-open.py" "$T/mixed.docx" "mixed pässwörd" 2>&1 || true)
  note "LibreOffice on mixed.docx (password first; LibreOffice reads the last encryptedKeyValue): $(echo "$r" | tr -d '\n' | head -c 160)"
else
  skp "LibreOffice absent"
fi
echo "recipients: $pass passed, $fail failed$([ $skip -gt 0 ] && echo ", $skip skipped")"
[ "$fail" -eq 0 ]
