#!/usr/bin/env python3
"""oracle_decrypt_nozip.py ORACLES_DIR FILE PASSWORD OUT

Runs shared/oracles/oracle-decrypt.py (msoffcrypto-tool 6.1.0 + the oracle's spec-exact Agile
verifier, key derivation and dataIntegrity HMAC) unchanged, except for one plaintext sniff:
msoffcrypto's OOXMLFile.decrypt() ends with `zipfile.is_zipfile(decrypted)` and reports
InvalidKeyError when the package is not a zip. A zip needs at least 22 bytes (its end record), so
packages of 0..21 bytes can never pass that sniff, however correct the encryption. Here that
sniff (and only it: is_zipfile on the in-memory plaintext) answers True; password verification,
the HMAC check and the segment decryption are the oracle's and msoffcrypto's own.
Same output and exit codes as oracle-decrypt.py.
"""
import importlib.util
import io
import os
import sys

sys.dont_write_bytecode = True


def main():
    if len(sys.argv) < 5:
        sys.stderr.write(__doc__)
        return 1
    path = os.path.join(sys.argv[1], "oracle-decrypt.py")
    spec = importlib.util.spec_from_file_location("oracle_decrypt", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # may re-exec this script under the oracle venv's python

    import zipfile
    import msoffcrypto.format.ooxml as ooxml

    class _ZipSniffOff:
        def __getattr__(self, attr):
            return getattr(zipfile, attr)

        @staticmethod
        def is_zipfile(f):
            return True if isinstance(f, io.BytesIO) else zipfile.is_zipfile(f)

    ooxml.zipfile = _ZipSniffOff()
    sys.argv = [path] + sys.argv[2:]
    return mod.main()


if __name__ == "__main__":
    sys.exit(main())
