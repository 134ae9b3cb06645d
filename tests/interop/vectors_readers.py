#!/usr/bin/env python3
"""Runs the rows of a docseal test-vector manifest through readers and compares the outcomes.

  vectors_readers.py check  PACK MANIFEST FINDINGS --readers docseal,msoffcrypto,poi
      every reader against the manifest's `expected` (the proof of tests/interop/vectors.sh);
      exit 1 on a disagreement not listed in FINDINGS
  vectors_readers.py mutants PACK MANIFEST OUT N
      N mutated files (docseal mutate, seeds 1..N, targets package / container /
      encryption-info in turn) from the pack's password-protected Agile and Standard `open`
      rows whose plaintext is a zip, with OUT/MANIFEST.tsv (expected `open`, plaintext digest
      from docseal)
  vectors_readers.py differ PACK MANIFEST... FINDINGS --readers docseal,msoffcrypto,poi,officecrypto,lo
      the readers against each other (tests/interop/differential.sh): a table of every row where
      they disagree, each classified by FINDINGS (ours / theirs / spec); exit 1 on an
      unclassified disagreement or on one classified `ours` (a docseal bug)

Outcomes are coarse classes every reader can report: `open` (with the plaintext SHA-256 where
the reader gives the plaintext), `wrong-password`, `integrity`, and `rejected` (any other
refusal: docseal's malformed/unsupported/limit, a peer's exception). A reader that does not
handle a row's scheme or credential is `n/a`.

FINDINGS is a TSV: reader, file glob, observed outcome (glob), verdict (theirs|ours|spec),
reason. The first matching line classifies a disagreement.
Environment: DOCSEAL_BIN, ORACLES (the shared oracle scripts).
"""
import argparse
import fnmatch
import hashlib
import json
import os
import subprocess
import sys
import tempfile

DOCSEAL = os.environ.get("DOCSEAL_BIN", "docseal")
ORACLES = os.environ.get("ORACLES", "")
# Schemes each peer decrypts, and whether it takes only passwords.
SCHEMES = {
    "docseal": None,
    "msoffcrypto": {"agile", "standard", "rc4", "rc4-cryptoapi", "xor"},
    "poi": {"agile", "standard"},
    "officecrypto": {"agile", "standard", "rc4", "rc4-cryptoapi", "xor"},
    "lo": {"agile", "standard", "rc4", "rc4-cryptoapi", "xor"},
}
# Readers that report no integrity verdict of their own: a refusal agrees with any of docseal's.
COARSE_ONLY = {"lo", "officecrypto"}
# Rows whose plaintext is a document LibreOffice can show.
DOCUMENTS = (".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt")
COARSE = {
    "open": "open",
    "wrong-password": "wrong-password",
    "integrity": "integrity",
    "malformed": "rejected",
    "unsupported": "rejected",
    "limit": "rejected",
}


def unescape(text):
    out, it = [], iter(text)
    for c in it:
        if c != "\\":
            out.append(c)
            continue
        n = next(it, "\\")
        out.append({"t": "\t", "r": "\r", "n": "\n"}.get(n, n))
    return "".join(out)


def read_manifest(path):
    with open(path, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        rows = []
        for line in f:
            cols = line.rstrip("\n").split("\t")
            row = dict(zip(head, cols))
            row["password"] = unescape(row["password"]) if row["credential"] == "password" else None
            rows.append(row)
    return rows


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def run(cmd, timeout=600):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return -1, "", "timeout"


def last_json(text):
    for line in reversed(text.splitlines()):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return {}


class Readers:
    def __init__(self, pack, tmp):
        self.pack, self.tmp = pack, tmp
        self.out = os.path.join(tmp, "plain")
        self.pwfile = os.path.join(tmp, "pw")

    def docseal(self, row, path):
        cmd = [DOCSEAL, "-q", "decrypt", path, self.out]
        cred = row["credential"]
        if cred == "password":
            with open(self.pwfile, "w", encoding="utf-8") as f:
                f.write(row["password"] + "\n")
            cmd += ["--password-file", self.pwfile]
        elif cred.startswith("private-key:"):
            cmd += ["--private-key", os.path.join(self.pack, cred.split(":", 1)[1])]
        elif cred.startswith("content-key:"):
            cmd += ["--content-key-hex", cred.split(":", 1)[1]]
        rc, _, err = run(cmd)
        cls = {0: "open", 3: "wrong-password", 4: "integrity", 5: "rejected", 7: "rejected",
               8: "rejected"}.get(rc, "error")
        return cls, sha256_file(self.out) if rc == 0 else None, err.strip()[-200:]

    def msoffcrypto(self, row, path):
        with open(self.pwfile, "w", encoding="utf-8") as f:
            f.write(row["password"])
        rc, out, err = run([sys.executable, os.path.join(ORACLES, "oracle-decrypt.py"), path,
                            self.out, "--password-file", self.pwfile])
        return self._peer(rc, out, err)

    def poi(self, row, path):
        rc, out, err = run([os.path.join(ORACLES, "oracle-poi"), "decrypt", path,
                            row["password"], self.out])
        return self._peer(rc, out, err)

    def officecrypto(self, row, path):
        rc, out, err = run(["node", os.path.join(ORACLES, "oracle-officecrypto.js"), "decrypt",
                            path, row["password"], self.out])
        return self._peer(rc, out, err)

    def _peer(self, rc, out, err):
        j = last_json(out)
        cls = {0: "open", 2: "wrong-password", 4: "integrity"}.get(rc, "rejected")
        # Exit 2 is also "not encrypted" / "not a container": only a complaint about the
        # password is a wrong-password verdict.
        if rc == 2 and "password" not in (str(j.get("error", "")) + err).lower():
            cls = "rejected"
        digest = sha256_file(self.out) if rc == 0 and os.path.exists(self.out) else None
        detail = str(j.get("error") or err.strip()[-200:] or "")
        if os.path.exists(self.out):
            os.remove(self.out)
        return cls, digest, detail[:200]


def outcomes(pack, rows, readers, tmp):
    """{(file, reader): (class, sha256, detail)} for every row and reader."""
    r = Readers(pack, tmp)
    res = {}
    lo_rows = []
    for row in rows:
        path = os.path.join(row["_dir"], row["file"])
        for reader in readers:
            schemes = SCHEMES[reader]
            if schemes is not None and (row["scheme"] not in schemes or row["password"] is None):
                res[(row["file"], reader)] = ("n/a", None, "")
            elif reader == "lo" and not row["file"].endswith(DOCUMENTS):
                # The package is a zip of filler bytes (the size and layout rows), no document:
                # LibreOffice has nothing to show whether or not it decrypted it.
                res[(row["file"], reader)] = ("n/a", None, "")
            elif reader == "lo" and "target=package" in row["parameters"]:
                # LibreOffice reads the package, which a package mutant damages on purpose:
                # its verdict says nothing about the decryption.
                res[(row["file"], reader)] = ("n/a", None, "")
            elif reader == "lo":
                lo_rows.append(row)
            else:
                res[(row["file"], reader)] = getattr(r, reader)(row, path)
    if lo_rows:
        batch = os.path.join(tmp, "lo.tsv")
        with open(batch, "w", encoding="utf-8") as f:
            for row in lo_rows:
                pw = row["password"] if row["password"] else "-"
                f.write(f"{os.path.join(row['_dir'], row['file'])}\t{pw}\n")
        _, out, _ = run([sys.executable, os.path.join(ORACLES, "oracle-lo-open.py"), "--batch",
                         batch], timeout=1800)
        by_path = {}
        for line in out.splitlines():
            try:
                j = json.loads(line)
            except ValueError:
                continue
            by_path[j.get("file") or j.get("path")] = j
        for row in lo_rows:
            j = by_path.get(os.path.join(row["_dir"], row["file"]), {})
            cls = "open" if j.get("ok") else "rejected"
            res[(row["file"], "lo")] = (cls, None, str(j.get("error", ""))[:200])
    return res


def load_findings(path):
    found = []
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    cols = line.rstrip("\n").split("\t")
                    found.append(cols + [""] * (5 - len(cols)))
    return found


def classify(findings, reader, file, observed):
    for r, glob, obs, verdict, reason in findings:
        if r == reader and fnmatch.fnmatch(file, glob) and fnmatch.fnmatch(observed, obs):
            return verdict, reason
    return None, None


def show(cls, digest):
    return cls if digest is None else f"{cls}:{digest[:8]}"


def check(args, rows, res, findings):
    bad = 0
    for row in rows:
        want = COARSE[row["expected"]]
        want_digest = row["plaintext_sha256"] if want == "open" else None
        for reader in args.readers:
            cls, digest, detail = res[(row["file"], reader)]
            if cls == "n/a":
                continue
            if row["plaintext_sha256"] == "-":
                digest = None
            digest_ok = (want != "open" or want_digest == "-" or digest is None and reader == "lo"
                         or digest == want_digest)
            if cls == want and digest_ok:
                continue
            observed = show(cls, digest if digest != want_digest else None)
            verdict, reason = classify(findings, reader, row["file"], observed)
            line = f"{reader:12} {row['file']:44} expected {row['expected']:14} got {observed}"
            if verdict in ("theirs", "spec") and reader != "docseal":
                what = "their bug" if verdict == "theirs" else "spec ambiguity"
                print(f"NOTE  {line}  [{what}: {reason}]")
            else:
                bad += 1
                print(f"FAIL  {line}  {detail}")
    agreed = sum(1 for k, v in res.items() if v[0] != "n/a")
    print(f"{agreed} reader x row outcomes checked, {bad} unexplained disagreements")
    return 1 if bad else 0


def differ(args, rows, res, findings):
    readers = args.readers
    print("| file | " + " | ".join(readers) + " | verdict |")
    print("| --- |" + " --- |" * (len(readers) + 1))
    bad = 0
    counts = {}
    for row in rows:
        got = {rd: res[(row["file"], rd)] for rd in readers}
        if row["plaintext_sha256"] == "-":
            # No canonical plaintext (legacy): compare the verdicts only.
            got = {rd: (c, None, d) for rd, (c, _, d) in got.items()}
        ref_cls, ref_digest, _ = got["docseal"]
        odd = []
        for rd in readers[1:]:
            cls, digest, _ = got[rd]
            if cls == "n/a":
                continue
            if rd in COARSE_ONLY and cls == "rejected" and ref_cls not in ("open", "n/a"):
                continue  # a refusal is all this reader can say
            if cls != ref_cls or (digest and ref_digest and digest != ref_digest):
                odd.append(rd)
        if not odd:
            continue
        verdicts = []
        for rd in odd:
            cls, digest, _ = got[rd]
            digest = None if digest == ref_digest else digest
            verdict, reason = classify(findings, rd, row["file"], show(cls, digest))
            if verdict is None or verdict == "ours":
                bad += 1
            verdicts.append(f"{rd}: {verdict or 'UNCLASSIFIED'}" + (f" ({reason})" if reason else ""))
            counts[(rd, verdict or "unclassified")] = counts.get((rd, verdict or "unclassified"), 0) + 1
        cells = [show(got[rd][0], got[rd][1] if got[rd][1] != ref_digest else None) for rd in readers]
        print(f"| {row['file']} | " + " | ".join(cells) + " | " + "; ".join(verdicts) + " |")
    print()
    for (rd, verdict), n in sorted(counts.items()):
        print(f"{rd}: {n} disagreement(s) classified {verdict}")
    print(f"{len(rows)} files, {len(readers)} readers, {bad} unclassified or docseal-side")
    return 1 if bad else 0


TARGETS = ["package", "container", "encryption-info"]


def mutants(pack, manifest, out, n):
    bases = [r for r in read_manifest(manifest)
             if r["expected"] == "open" and r["credential"] == "password"
             and r["scheme"] in ("agile", "standard") and "spin=10000000" not in r["parameters"]
             and (r["file"].endswith((".docx", ".xlsx", ".pptx")) or "layout=" in r["parameters"])]
    os.makedirs(out, exist_ok=True)
    head = ["file", "set", "scheme", "parameters", "credential", "password", "expected",
            "plaintext_sha256", "exercises", "source", "sha256"]
    lines = ["\t".join(head)]
    pw = os.path.join(out, ".pw")
    plain = os.path.join(out, ".plain")
    for i in range(1, n + 1):
        base = bases[(i - 1) % len(bases)]
        target = TARGETS[(i - 1) % len(TARGETS)]
        name = f"mutant-{i:04d}-{target}-{os.path.basename(base['file'])}"
        with open(pw, "w", encoding="utf-8") as f:
            f.write(base["password"] + "\n")
        dst = os.path.join(out, name)
        rc, _, err = run([DOCSEAL, "-q", "mutate", os.path.join(pack, base["file"]), dst,
                          "--seed", str(i), "--target", target, "--password-file", pw])
        if rc != 0:
            print(f"docseal mutate {base['file']} --seed {i} --target {target}: exit {rc} {err}",
                  file=sys.stderr)
            return 1
        if target == "container":
            # Name the compound-file version the mutation chose (v3: 512-byte sectors, v4:
            # 4096), which readers' verdicts depend on.
            with open(dst, "rb") as f:
                major = int.from_bytes(f.read(28)[26:28], "little")
            name = f"mutant-{i:04d}-{target}-v{major}-{os.path.basename(base['file'])}"
            os.rename(dst, os.path.join(out, name))
            dst = os.path.join(out, name)
        rc, _, err = run([DOCSEAL, "-q", "decrypt", dst, plain, "--password-file", pw])
        if rc != 0:
            print(f"docseal cannot open its own mutant {name}: exit {rc} {err}", file=sys.stderr)
            return 1
        password = base["password"].replace("\\", "\\\\").replace("\t", "\\t")
        lines.append("\t".join([
            name, "mutated", base["scheme"],
            f"base={base['file']} target={target} seed={i}", "password", password, "open",
            sha256_file(plain), f"docseal mutate --target {target} of {base['file']}",
            "seeded-insecure-for-tests", sha256_file(dst)]))
    os.remove(pw)
    os.remove(plain)
    with open(os.path.join(out, "MANIFEST.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{n} mutants of {len(bases)} base files in {out}")
    return 0


def main():
    ap = argparse.ArgumentParser()
    if len(sys.argv) > 1 and sys.argv[1] == "mutants":
        _, _, pack, manifest, out, n = sys.argv
        return mutants(pack, manifest, out, int(n))
    ap.add_argument("mode", choices=["check", "differ"])
    ap.add_argument("pack")
    ap.add_argument("manifests", nargs="+")
    ap.add_argument("--findings")
    ap.add_argument("--readers", default="docseal,msoffcrypto,poi")
    args = ap.parse_args()
    args.readers = args.readers.split(",")
    rows = []
    for m in args.manifests:
        for row in read_manifest(m):
            row["_dir"] = os.path.dirname(os.path.abspath(m))
            rows.append(row)
    findings = load_findings(args.findings)
    with tempfile.TemporaryDirectory() as tmp:
        res = outcomes(args.pack, rows, args.readers, tmp)
    return check(args, rows, res, findings) if args.mode == "check" else differ(args, rows, res, findings)


if __name__ == "__main__":
    sys.exit(main())
