"""The exceptions docseal raises. ``exit_code`` is the exit status the ``docseal`` CLI gives
for the same failure."""


class Error(Exception):
    """Base class of every docseal error. ``exit_code``: 1 (I/O or internal), 2 (bad argument),
    or the subclass's code."""

    exit_code = 1


class InvalidArgumentError(Error, ValueError):
    """A bad option value (unknown cipher, password too long, ...)."""

    exit_code = 2


class WrongPasswordError(Error):
    """The password (or key) does not open the file."""

    exit_code = 3


class IntegrityError(Error):
    """The data-integrity HMAC does not match: the file was altered or damaged."""

    exit_code = 4


class UnsupportedError(Error):
    """A file variant or operation docseal does not implement."""

    exit_code = 5


class NotEncryptedError(Error):
    """The file is not encrypted (for decrypt and verify)."""

    exit_code = 6


class MalformedError(Error):
    """The input is not an Office file, or a structure in it is broken."""

    exit_code = 7


class LimitExceededError(Error):
    """A size or count limit was exceeded (a hostile or absurd file)."""

    exit_code = 8
