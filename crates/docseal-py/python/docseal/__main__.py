"""``python -m docseal``: msoffcrypto-tool's command line, and docseal's own subcommands.

msoffcrypto-tool style::

    python -m docseal -p PASSWORD encrypted.docx plain.docx     # decrypt
    python -m docseal -e -p PASSWORD plain.docx encrypted.docx  # encrypt
    python -m docseal -t file.docx                              # exit 0 if encrypted, 1 if not

('-' or a missing OUTFILE is stdout; '-' as INFILE is stdin.) docseal's subcommands
(``encrypt``, ``decrypt``, ``inspect``, ``verify``, ``label`` ...) run the ``docseal`` binary
when it is on PATH; otherwise ``encrypt``, ``decrypt`` and ``inspect`` are served here.
"""

import argparse
import getpass
import json
import os
import shutil
import subprocess
import sys
from typing import List, Optional

import docseal

SUBCOMMANDS = {"encrypt", "decrypt", "verify", "inspect", "label", "passwd", "conform", "lint", "irm", "demo"}


def _read(path: Optional[str]) -> bytes:
    if path is None or path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as f:
        return f.read()


def _write(path: Optional[str], data: bytes) -> None:
    if path is None or path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    with open(path, "wb") as f:
        f.write(data)


def _msoffcrypto_style(argv: List[str]) -> int:
    """msoffcrypto-tool's flags: -p PASSWORD, -e, -t, -v, INFILE, OUTFILE."""
    parser = argparse.ArgumentParser(prog="python -m docseal", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("-p", "--password", nargs="?", const="", dest="password", help="password text")
    group.add_argument("-t", "--test", dest="test_encrypted", action="store_true",
                       help="test if the file is encrypted (exit 0 if it is, 1 if not)")
    parser.add_argument("-e", dest="encrypt", action="store_true", help="encryption mode (default is false)")
    parser.add_argument("-v", dest="verbose", action="store_true", help="print verbose information")
    parser.add_argument("infile", nargs="?", help="input file ('-' or blank: stdin)")
    parser.add_argument("outfile", nargs="?", help="output file ('-' or blank: stdout)")
    args = parser.parse_args(argv)
    data = _read(args.infile)
    name = args.infile or "-"
    if args.test_encrypted:
        try:
            encrypted = docseal.is_encrypted(data)
        except docseal.Error:
            encrypted = False
        if not encrypted:
            print(f"{name}: not encrypted", file=sys.stderr)
            return 1
        if args.verbose:
            print(f"{name}: encrypted", file=sys.stderr)
        return 0
    password = args.password if args.password else getpass.getpass()
    if args.encrypt:
        _write(args.outfile, docseal.encrypt(data, password))
    else:
        _write(args.outfile, docseal.decrypt(data, password))
    return 0


def _own_subcommand(argv: List[str]) -> int:
    """docseal's subcommands: the binary when present, else encrypt/decrypt/inspect here."""
    binary = shutil.which("docseal")
    if binary:
        return subprocess.call([binary, *argv])
    parser = argparse.ArgumentParser(prog="python -m docseal")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in ("encrypt", "decrypt"):
        p = sub.add_parser(command)
        p.add_argument("input")
        p.add_argument("output")
        p.add_argument("-p", "--password")
        p.add_argument("--password-env")
    p = sub.add_parser("inspect")
    p.add_argument("input")
    p.add_argument("-p", "--password")
    p.add_argument("--password-env")
    p.add_argument("--json", action="store_true")
    if argv[0] not in {"encrypt", "decrypt", "inspect"}:
        print(f"docseal: '{argv[0]}' needs the docseal binary on PATH", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    password = args.password or (os.environ.get(args.password_env) if args.password_env else None)
    if args.command == "inspect":
        print(json.dumps(docseal.inspect(_read(args.input), password), indent=None if args.json else 2))
        return 0
    if password is None:
        password = getpass.getpass()
    if args.command == "encrypt":
        _write(args.output, docseal.encrypt(_read(args.input), password))
    else:
        _write(args.output, docseal.decrypt(_read(args.input), password))
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the command; docseal errors exit with the CLI's codes."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv and argv[0] in SUBCOMMANDS:
            return _own_subcommand(argv)
        return _msoffcrypto_style(argv)
    except docseal.Error as e:
        print(f"docseal: {e}", file=sys.stderr)
        return e.exit_code
    except OSError as e:
        print(f"docseal: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
