"""Encrypt, decrypt, verify, inspect and label Office files (MS-OFFCRYPTO).

Agile and Standard encryption of docx/xlsx/pptx that Office, LibreOffice, Apache POI and
msoffcrypto-tool open; decryption of those and of Office 97-2003 RC4/XOR files. Decryption
checks the data-integrity HMAC before any plaintext is returned.

>>> import docseal
>>> sealed = docseal.encrypt(package_bytes, "s3cret")            # doctest: +SKIP
>>> docseal.decrypt(sealed, "s3cret") == package_bytes           # doctest: +SKIP
True

``docseal.compat`` is a drop-in for msoffcrypto-tool; ``docseal.labels`` reads and writes
sensitivity labels. Long operations release the GIL.
"""

import io
import json
import os
from typing import Any, Dict, Iterable, Optional, Union

from . import _native
from ._errors import (
    Error,
    IntegrityError,
    InvalidArgumentError,
    LimitExceededError,
    MalformedError,
    NotEncryptedError,
    UnsupportedError,
    WrongPasswordError,
)

__version__ = _native.__version__

__all__ = [
    "encrypt",
    "decrypt",
    "encrypt_file",
    "decrypt_file",
    "verify",
    "inspect",
    "is_encrypted",
    "open_decrypted",
    "labels",
    "compat",
    "Error",
    "InvalidArgumentError",
    "WrongPasswordError",
    "IntegrityError",
    "UnsupportedError",
    "NotEncryptedError",
    "MalformedError",
    "LimitExceededError",
]

PathLike = Union[str, "os.PathLike[str]"]
Source = Union[bytes, bytearray, memoryview, PathLike]
KeySource = Union[bytes, PathLike]


def _read_key_material(item: KeySource) -> bytes:
    """Bytes as they are; a path is read (certificates and private keys, PEM or DER)."""
    if isinstance(item, (bytes, bytearray, memoryview)):
        return bytes(item)
    with open(item, "rb") as f:
        return f.read()


def _as_bytes(data: Any) -> bytes:
    """``bytes`` unchanged (no copy); other buffers copied once."""
    if isinstance(data, bytes):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"expected bytes, got {type(data).__name__}")


def _source(data_or_path: Any) -> Any:
    """What the native layer takes for ``data_or_path``: bytes, or a path string."""
    if isinstance(data_or_path, (bytes, bytearray, memoryview)):
        return _as_bytes(data_or_path)
    return os.fspath(data_or_path)


def _label_args(label: Optional[Dict[str, Any]], scheme: Optional[str] = None) -> Optional[dict]:
    """A label dict ``{"id", "tenant", "name"?, "method"?, "set_date"?}`` for the native layer."""
    if label is None:
        return None
    try:
        ident, tenant = label["id"], label["tenant"]
    except (KeyError, TypeError):
        raise InvalidArgumentError('a label is a dict with "id" and "tenant" (GUIDs)') from None
    return {
        "id": str(ident),
        "tenant": str(tenant),
        "name": label.get("name"),
        "method": label.get("method", "standard"),
        "set_date": label.get("set_date") or _now_iso8601(),
        "scheme": label.get("scheme", scheme),
    }


def _now_iso8601() -> str:
    import datetime

    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def _encrypt_args(
    cipher: str = "aes256",
    hash: str = "sha512",
    spin_count: int = 100_000,
    recipients: Iterable[KeySource] = (),
    label: Optional[Dict[str, Any]] = None,
    scheme: str = "agile",
    chaining: str = "cbc",
) -> dict:
    return {
        "cipher": cipher,
        "hash": hash,
        "chaining": chaining,
        "spin_count": int(spin_count),
        "recipients": [_read_key_material(r) for r in recipients],
        "label": _label_args(label),
        "scheme": scheme,
    }


def _credentials(
    password: Optional[str] = None,
    private_key: Optional[KeySource] = None,
    content_key: Optional[bytes] = None,
    secret_key: Optional[bytes] = None,
) -> dict:
    return {
        "password": password,
        "private_key": None if private_key is None else _read_key_material(private_key),
        "content_key": None if content_key is None else bytes(content_key),
        "secret_key": None if secret_key is None else bytes(secret_key),
    }


def encrypt(
    data: bytes,
    password: Optional[str],
    *,
    cipher: str = "aes256",
    hash: str = "sha512",
    spin_count: int = 100_000,
    recipients: Iterable[KeySource] = (),
    label: Optional[Dict[str, Any]] = None,
    scheme: str = "agile",
    chaining: str = "cbc",
) -> bytes:
    """Encrypts an OOXML package (docx/xlsx/pptx bytes) and returns the encrypted file; a plain
    doc/xls/ppt is encrypted with RC4 CryptoAPI, Office XP-2003's scheme.

    ``cipher``: aes128, aes192, aes256, and for Agile des, 3des, 3des112, desx, rc2; ``hash``:
    sha1, sha256, sha384, sha512, md5, md4, md2, ripemd128, ripemd160, whirlpool (Agile);
    ``chaining``: cbc (Office's) or cfb (Agile; CFB-8, as Apache POI writes it); ``scheme``: agile or standard; ``recipients``: certificates (paths or PEM/DER bytes) whose
    private keys also open the file (``password`` may then be None); ``label``: a sensitivity
    label ``{"id": GUID, "tenant": GUID, "name": str}`` written into the package first.
    """
    options = _encrypt_args(cipher, hash, spin_count, recipients, label, scheme, chaining)
    return _native.encrypt(_as_bytes(data), password, options)


def encrypt_file(src: PathLike, dst: PathLike, password: Optional[str], **options: Any) -> None:
    """Encrypts the package at ``src`` into ``dst`` (streamed; ``dst`` appears only when
    complete). Options as for :func:`encrypt`."""
    _native.encrypt_file(os.fspath(src), os.fspath(dst), password, _encrypt_args(**options))


def decrypt(
    data: bytes,
    password: Optional[str] = None,
    *,
    private_key: Optional[KeySource] = None,
    content_key: Optional[bytes] = None,
    secret_key: Optional[bytes] = None,
    verify_integrity: bool = True,
) -> bytes:
    """Decrypts an encrypted Office file and returns the plain file.

    Agile files are integrity-checked before any plaintext is produced (IntegrityError when
    the file was altered); ``verify_integrity=False`` skips that check, for recovering damaged
    files only. ``private_key``: a recipient's RSA key (path or PEM/DER bytes);
    ``content_key``: the AES key of a rights-managed file; ``secret_key``: the key that
    encrypts the package itself, instead of the password (an Agile file's intermediate key or
    a Standard file's derived AES key: msoffcrypto-tool's ``secret_key``). A wrong Agile
    secret key fails the integrity check (IntegrityError), as nothing else can tell it.
    """
    creds = _credentials(password, private_key, content_key, secret_key)
    return _native.decrypt(_as_bytes(data), creds, bool(verify_integrity))


def decrypt_file(
    src: PathLike,
    dst: PathLike,
    password: Optional[str] = None,
    *,
    private_key: Optional[KeySource] = None,
    content_key: Optional[bytes] = None,
    secret_key: Optional[bytes] = None,
    verify_integrity: bool = True,
) -> None:
    """Decrypts the file at ``src`` into ``dst``, streamed; ``dst`` appears only once the
    integrity check passed. Keys as for :func:`decrypt`."""
    creds = _credentials(password, private_key, content_key, secret_key)
    _native.decrypt_file(os.fspath(src), os.fspath(dst), creds, bool(verify_integrity))


def verify(
    data_or_path: Source,
    password: Optional[str] = None,
    *,
    private_key: Optional[KeySource] = None,
    secret_key: Optional[bytes] = None,
) -> None:
    """Checks that ``password`` (or the key) opens the file and that its integrity check
    passes; raises WrongPasswordError, IntegrityError, ... otherwise."""
    creds = _credentials(password, private_key, secret_key=secret_key)
    _native.verify(_source(data_or_path), creds)


def inspect(
    data_or_path: Source,
    password: Optional[str] = None,
    *,
    private_key: Optional[KeySource] = None,
) -> Dict[str, Any]:
    """Describes a file: the object ``docseal inspect --json`` prints (container, scheme,
    cipher, hash, spin count, key encryptors, labels, ...). With a password, the labels inside
    an encrypted package too."""
    text = _native.inspect(_source(data_or_path), _credentials(password, private_key))
    return json.loads(text)


def is_encrypted(data_or_path: Source) -> bool:
    """Whether the file is encrypted (password, certificate, IRM, or 97-2003 RC4/XOR)."""
    return bool(inspect(data_or_path).get("encrypted"))


def open_decrypted(path: PathLike, password: Optional[str] = None, **credentials: Any) -> io.BytesIO:
    """The decrypted file as a BytesIO, for ``pandas.read_excel``, openpyxl or python-docx."""
    with open(path, "rb") as f:
        data = f.read()
    return io.BytesIO(decrypt(data, password, **credentials))


from . import compat, labels  # noqa: E402  (they use the functions above)
