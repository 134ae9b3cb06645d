"""A drop-in for msoffcrypto-tool: ``import docseal.compat as msoffcrypto``.

``OfficeFile(file)``, ``load_key(password=..., private_key=..., verify_password=...)``,
``decrypt(outfile)``, ``encrypt(password, outfile)``, ``is_encrypted()``, the ``format`` and
``type`` attributes, and the exceptions of ``msoffcrypto.exceptions``.

Where msoffcrypto-tool is lax, this module is strict: decryption always checks the Agile
data-integrity HMAC (``verify_integrity=False`` does not turn it off) and raises
``exceptions.IntegrityError`` (an ``InvalidKeyError``) for an altered file; files of any size
encrypt correctly. ``load_key(secret_key=...)`` takes msoffcrypto-tool's raw key (an Agile
file's intermediate key, a Standard file's derived AES key); a wrong Agile secret key fails
the integrity check (``exceptions.IntegrityError``), a wrong Standard one the verifier
(``InvalidKeyError``), where msoffcrypto-tool returns garbage or fails the zip check.
"""

from typing import Any, BinaryIO, Optional

import docseal

from . import exceptions

__all__ = ["OfficeFile", "exceptions"]

# inspect's `legacy-binary` formats as msoffcrypto-tool names them.
_LEGACY_FORMATS = {"doc": "doc97", "xls": "xls97", "ppt": "ppt97"}


def _read_all(file: Any) -> bytes:
    file.seek(0)
    data = file.read()
    if not isinstance(data, bytes):
        raise exceptions.FileFormatError("the file must be opened in binary mode")
    return data


def _key_bytes(private_key: Any) -> Any:
    """msoffcrypto-tool takes the private key as an open file; docseal also bytes or a path."""
    if hasattr(private_key, "read"):
        return private_key.read()
    return private_key


class OfficeFile:
    """An Office file opened from a binary file object (read whole; its position changes)."""

    def __init__(self, file: BinaryIO) -> None:
        self._data = _read_all(file)
        try:
            info = docseal.inspect(self._data)
        except docseal.Error as e:
            raise exceptions.FileFormatError(f"Unsupported file format: {e}") from e
        self._info = info
        self._credentials: Optional[dict] = None
        kind = info.get("kind")
        self._encrypted = bool(info.get("encrypted"))
        if kind == "encrypted-package":
            self.format = "ooxml"
            self.type = info.get("scheme") or "unknown"
            self.keyTypes = ("password", "private_key") if self.type == "agile" else ("password",)
        elif kind == "package":
            self.format, self.type = "ooxml", "plain"
        elif kind == "rights-managed":
            self.format, self.type = "ooxml", "irm"
        elif kind == "legacy-binary":
            self.format = _LEGACY_FORMATS.get(str(info.get("format")), str(info.get("format")))
            self.type = self._legacy_type(info) if self._encrypted else "plain"
        elif kind == "compound-file":
            raise exceptions.FileFormatError("Unrecognized file format")
        else:
            raise exceptions.FileFormatError("Unsupported file format")

    @staticmethod
    def _legacy_type(info: dict) -> str:
        """rc4, rc4_cryptoapi or xor, as msoffcrypto-tool names them."""
        text = str(info.get("encryption") or info.get("scheme") or "").lower()
        if "xor" in text or "obfuscation" in text:
            return "xor"
        if "cryptoapi" in text:
            return "rc4_cryptoapi"
        return "rc4" if text else "unknown"

    def load_key(
        self,
        password: Optional[str] = None,
        private_key: Any = None,
        secret_key: Optional[bytes] = None,
        verify_password: bool = False,
    ) -> None:
        """Sets the key for :meth:`decrypt`. The password is checked now when
        ``verify_password`` is true, and always for 97-2003 files (as msoffcrypto-tool does)."""
        # msoffcrypto-tool's precedence: password, then private key, then secret key.
        if password:
            credentials: dict = {"password": password}
        elif private_key:
            credentials = {"private_key": _key_bytes(private_key)}
        elif secret_key:
            if self.format != "ooxml":
                raise exceptions.DecryptionError("secret_key applies to OOXML (Agile or Standard) files only")
            credentials = {"secret_key": bytes(secret_key)}
        else:
            raise exceptions.DecryptionError("No key specified")
        if self.format != "ooxml" and not self._encrypted:
            raise exceptions.DecryptionError("File is not encrypted")
        self._credentials = credentials
        if self.type != "plain" and (verify_password or self.format != "ooxml"):
            self._check_key()

    def _check_key(self) -> None:
        """Tries the key (and the integrity check) without producing output."""
        try:
            docseal.verify(self._data, **self._credentials)
        except docseal.WrongPasswordError as e:
            raise exceptions.InvalidKeyError(f"Key verification failed: {e}") from e
        except docseal.Error as e:
            raise _decryption_error(e) from e

    def decrypt(self, outfile: BinaryIO, verify_integrity: bool = False) -> None:
        """Writes the decrypted file to ``outfile``. The integrity check always runs."""
        if self.type == "plain":
            raise exceptions.DecryptionError("Document is not encrypted")
        if self._credentials is None:
            raise exceptions.DecryptionError("No key specified")
        try:
            plain = docseal.decrypt(self._data, **self._credentials)
        except docseal.Error as e:
            raise _decryption_error(e) from e
        outfile.write(plain)

    def encrypt(self, password: str, outfile: BinaryIO) -> None:
        """Writes the file encrypted with ``password`` (Agile, AES-256, SHA-512) to ``outfile``."""
        if self._encrypted:
            raise exceptions.EncryptionError("File is already encrypted")
        if self.format != "ooxml":
            raise exceptions.EncryptionError("Unable to encrypt this file: only OOXML is supported")
        try:
            sealed = docseal.encrypt(self._data, password)
        except docseal.Error as e:
            raise exceptions.EncryptionError(str(e)) from e
        outfile.write(sealed)

    def is_encrypted(self) -> bool:
        """Whether the file is encrypted."""
        return self._encrypted


def _decryption_error(e: "docseal.Error") -> Exception:
    """docseal's error as the msoffcrypto-tool exception a script expects."""
    if isinstance(e, docseal.WrongPasswordError):
        return exceptions.InvalidKeyError(str(e))
    if isinstance(e, docseal.IntegrityError):
        return exceptions.IntegrityError(f"Payload integrity verification failed: {e}")
    return exceptions.DecryptionError(str(e))
