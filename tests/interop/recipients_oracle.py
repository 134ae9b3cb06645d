#!/usr/bin/env python3
"""recipients_oracle.py FILE CERT.pem KEY.pem EXPECTED_SHA256

Opens a docseal file through a certificate key encryptor with msoffcrypto-tool's own primitives:
RSA PKCS#1 v1.5 unwrap (ECMA376Agile.makekey_from_privkey, i.e. `cryptography`), certVerifier
HMAC, the dataIntegrity check (ECMA376Agile.verify_integrity) and segment decryption
(ECMA376Agile.decrypt). msoffcrypto-tool's OfficeFile cannot do it itself: it always reads the
first *password* encryptor (IndexError on certificate-only files; the password's encryptedKeyValue
on mixed files), so this script parses EncryptionInfo itself and reports what OfficeFile does.
Prints one JSON object; exit 0 when the package decrypts to EXPECTED_SHA256."""
import base64, hashlib, hmac, io, json, os, sys
from xml.dom import minidom

HOME = os.environ.get("OFFICE_ORACLES_HOME", os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "office-oracles"))
VENV_PY = os.path.join(HOME, "venv", "bin", "python")
if os.path.realpath(sys.executable) != os.path.realpath(VENV_PY) and os.path.exists(VENV_PY) and not os.environ.get("_RECIP_REEXEC"):
    os.environ["_RECIP_REEXEC"] = "1"
    os.execv(VENV_PY, [VENV_PY] + sys.argv)

import olefile
import msoffcrypto
from msoffcrypto.method.ecma376_agile import ECMA376Agile
from cryptography import x509
from cryptography.hazmat.primitives import serialization

path, cert_path, key_path, expected = sys.argv[1:5]
out = {"file": path}
ole = olefile.OleFileIO(path)
info = ole.openstream("EncryptionInfo").read()
package = ole.openstream("EncryptedPackage").read()
xml = minidom.parseString(info[8:])
kd = xml.getElementsByTagName("keyData")[0]
salt = base64.b64decode(kd.getAttribute("saltValue"))
hash_alg = kd.getAttribute("hashAlgorithm")
di = xml.getElementsByTagName("dataIntegrity")[0]
cert_der = x509.load_pem_x509_certificate(open(cert_path, "rb").read()).public_bytes(serialization.Encoding.DER)
ns_c = "http://schemas.microsoft.com/office/2006/keyEncryptor/certificate"
nodes = xml.getElementsByTagNameNS(ns_c, "encryptedKey")
out["certificate_encryptors"] = len(nodes)
node = next((n for n in nodes if base64.b64decode(n.getAttribute("X509Certificate")) == cert_der), None)
if node is None:
    out.update(ok=False, error="no certificate encryptor for this certificate")
    print(json.dumps(out)); sys.exit(1)
with open(key_path, "rb") as f:
    key = ECMA376Agile.makekey_from_privkey(f, base64.b64decode(node.getAttribute("encryptedKeyValue")))
digest = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA384": hashlib.sha384, "SHA512": hashlib.sha512}[hash_alg]
out["cert_verifier_ok"] = hmac.compare_digest(hmac.new(key, cert_der, digest).digest(), base64.b64decode(node.getAttribute("certVerifier")))
out["integrity_ok"] = bool(ECMA376Agile.verify_integrity(
    key, salt, hash_alg, int(kd.getAttribute("blockSize")),
    base64.b64decode(di.getAttribute("encryptedHmacKey")), base64.b64decode(di.getAttribute("encryptedHmacValue")),
    io.BytesIO(package)))
plain = ECMA376Agile.decrypt(key, salt, hash_alg, io.BytesIO(package))
out["sha256"] = hashlib.sha256(plain).hexdigest()
try:
    of = msoffcrypto.OfficeFile(open(path, "rb"))
    with open(key_path, "rb") as f:
        of.load_key(private_key=f)
    buf = io.BytesIO(); of.decrypt(buf)
    out["officefile_private_key"] = "ok" if hashlib.sha256(buf.getvalue()).hexdigest() == expected else "wrong plaintext"
except Exception as e:  # msoffcrypto-tool's known limitation, reported, not judged
    out["officefile_private_key"] = f"fails: {type(e).__name__}: {e}"[:160]
out["ok"] = out["cert_verifier_ok"] and out["integrity_ok"] and out["sha256"] == expected
print(json.dumps(out)); sys.exit(0 if out["ok"] else 1)
