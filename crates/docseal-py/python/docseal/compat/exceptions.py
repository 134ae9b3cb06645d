"""msoffcrypto-tool's exception names (``msoffcrypto.exceptions``)."""


class FileFormatError(Exception):
    """Raised when the format of given file is unsupported or unrecognized."""


class ParseError(Exception):
    """Raised when the file cannot be parsed correctly."""


class DecryptionError(Exception):
    """Raised when the file cannot be decrypted."""


class EncryptionError(Exception):
    """Raised when the file cannot be encrypted."""


class InvalidKeyError(DecryptionError):
    """Raised when the given password or key is incorrect or cannot be verified."""


class IntegrityError(InvalidKeyError):
    """The data-integrity HMAC does not match (msoffcrypto-tool raises InvalidKeyError for
    this, and only with ``verify_integrity=True``; docseal always checks)."""
