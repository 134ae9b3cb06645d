#!/usr/bin/env python3
"""Small, standard-library-only helpers for tests/interop/run.sh.

  util.py gen DIR SIZE...            deterministic pseudo-random packages DIR/rand-SIZE.bin
  util.py sha256 FILE                hex SHA-256 of FILE
  util.py jget KEY...                first JSON object on stdin; print the KEYs' values, tab-separated
  util.py inspect-tsv                oracle-inspect.py output on stdin (concatenated JSON objects) ->
                                     file, scheme, cipher, hash, spinCount, dataIntegrity per line
  util.py flip FILE STREAM (--stream-offset N | --file-offset N)
                                     flip the low bit of one byte of the compound file's STREAM,
                                     addressed inside the stream or by file offset (which must lie
                                     in one of STREAM's sectors); prints "file_offset stream_offset"

Random packages: SIZE bytes from random.Random("docseal-interop/SIZE"). msoffcrypto-tool insists
that a decrypted package is a zip (zipfile.is_zipfile, i.e. an end-of-central-directory record at
the end), so for SIZE >= 22 the last 22 bytes are an empty EOCD record; smaller sizes cannot be a
zip at all and are pure random bytes.
"""
import hashlib
import json
import os
import random
import struct
import sys

EOCD = b"PK\x05\x06" + bytes(18)


def gen(outdir, sizes):
    os.makedirs(outdir, exist_ok=True)
    for s in sizes:
        n = int(s)
        rnd = random.Random("docseal-interop/%d" % n)
        if n >= len(EOCD):
            data = rnd.randbytes(n - len(EOCD)) + EOCD
        else:
            data = rnd.randbytes(n)
        with open(os.path.join(outdir, "rand-%d.bin" % n), "wb") as f:
            f.write(data)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    print(h.hexdigest())


def first_json(text):
    text = text.strip()
    if not text:
        return {}
    try:
        obj, _ = json.JSONDecoder().raw_decode(text[text.index("{"):])
        return obj
    except ValueError:
        return {}


def jget(keys):
    obj = first_json(sys.stdin.read())
    print("\t".join("" if obj.get(k) is None else str(obj.get(k)) for k in keys))


def inspect_tsv():
    text = sys.stdin.read()
    dec = json.JSONDecoder()
    i = 0
    while True:
        j = text.find("{", i)
        if j < 0:
            break
        obj, i = dec.raw_decode(text, j)
        print("\t".join(str(obj.get(k, "")) for k in
                        ("file", "scheme", "cipher", "hash", "spinCount", "dataIntegrity")))


def cfb_stream_sectors(data, name):
    """Return (sector_size, [file offsets of the stream's sectors], stream size) for a stream
    kept in regular sectors (size >= the mini-stream cutoff)."""
    if data[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SystemExit("not a compound file")
    ssz = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff = struct.unpack_from("<I", data, 0x38)[0]
    first_difat, n_difat = struct.unpack_from("<II", data, 0x44)

    def sector(n):
        return data[(n + 1) * ssz:(n + 2) * ssz]

    fat_secs = list(struct.unpack_from("<109I", data, 0x4C))
    d = first_difat
    for _ in range(n_difat):
        ids = struct.unpack("<%dI" % (ssz // 4), sector(d))
        fat_secs += ids[:-1]
        d = ids[-1]
    fat = []
    for s in fat_secs[:n_fat]:
        fat += struct.unpack("<%dI" % (ssz // 4), sector(s))

    def chain(start):
        out, seen = [], set()
        while start < 0xFFFFFFFA:
            if start in seen or start >= len(fat):
                raise SystemExit("broken FAT chain")
            seen.add(start)
            out.append(start)
            start = fat[start]
        return out

    dirdata = b"".join(sector(s) for s in chain(first_dir))
    for k in range(0, len(dirdata), 128):
        e = dirdata[k:k + 128]
        nlen = struct.unpack_from("<H", e, 64)[0]
        ename = e[:max(nlen - 2, 0)].decode("utf-16-le", "replace")
        if e[66] == 2 and ename == name:
            start = struct.unpack_from("<I", e, 116)[0]
            size = struct.unpack_from("<Q", e, 120)[0]
            if ssz == 512:
                size &= 0xFFFFFFFF
            if size < cutoff:
                raise SystemExit("%s is in the mini stream; use a larger package" % name)
            return ssz, [(s + 1) * ssz for s in chain(start)], size
    raise SystemExit("no stream %r" % name)


def flip(path, stream, how, n):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    ssz, secs, size = cfb_stream_sectors(bytes(data), stream)
    if how == "--stream-offset":
        if n < 0:
            n += size
        if not 0 <= n < size:
            raise SystemExit("stream offset %d outside %s (%d bytes)" % (n, stream, size))
        soff, foff = n, secs[n // ssz] + n % ssz
    elif how == "--file-offset":
        foff = n
        for i, base in enumerate(secs):
            if base <= n < base + ssz and i * ssz + (n - base) < size:
                soff = i * ssz + (n - base)
                break
        else:
            raise SystemExit("file offset %d is not inside stream %s" % (n, stream))
    else:
        raise SystemExit("flip: --stream-offset or --file-offset")
    data[foff] ^= 0x01
    with open(path, "wb") as f:
        f.write(data)
    print(foff, soff)


def main(argv):
    if not argv:
        raise SystemExit(__doc__)
    cmd, rest = argv[0], argv[1:]
    if cmd == "gen":
        gen(rest[0], rest[1:])
    elif cmd == "sha256":
        sha256(rest[0])
    elif cmd == "jget":
        jget(rest)
    elif cmd == "inspect-tsv":
        inspect_tsv()
    elif cmd == "flip":
        flip(rest[0], rest[1], rest[2], int(rest[3]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    main(sys.argv[1:])
