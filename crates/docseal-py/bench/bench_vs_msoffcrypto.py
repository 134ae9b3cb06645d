"""docseal vs msoffcrypto-tool on one 64 MiB package: encrypt, and decrypt with the integrity
check, file to file (``encrypt_file``/``decrypt_file``; msoffcrypto-tool with open files)
and bytes to bytes (both in memory: input and output are in the process). Each measurement runs in its own subprocess; its peak RSS is read by a parent of its
own with ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``. Times are of the call alone
(interpreter start and imports excluded), best of ``--repeat`` (5), docseal's and
msoffcrypto-tool's runs alternating. The ``x pkg`` column is
docseal's peak RSS over the package size (interpreter, input and output included); ``call
ratio`` compares what the call itself adds to the peak (peak RSS minus the peak before the
call, when the interpreter, the modules and, for bytes, the input are already in memory).
``CPU ratio`` is msoffcrypto-tool's CPU time (user + system, every thread) over docseal's:
docseal's threads overlap, so on an idle machine with two cores or more its wall-time
speed-up is at least about this; on a loaded machine wall times swing with the load and the
CPU ratio does not.

    python crates/docseal-py/bench/bench_vs_msoffcrypto.py [--size-mib 64] [--repeat 5]
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile

PASSWORD = "bench-password"


def make_package(path: str, size: int) -> None:
    """A stored (uncompressed) zip of random bytes: an OOXML-sized package."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/media/random.bin", os.urandom(size))


def work_files(side: str, op: str, path: str) -> float:
    """One operation from file to file, timed; runs in the measured subprocess."""
    out = path + ".out"
    if side == "docseal":
        import docseal

        start = time.perf_counter()
        if op == "encrypt":
            docseal.encrypt_file(path, out, PASSWORD)
        else:
            docseal.decrypt_file(path, out, PASSWORD)
    else:
        import msoffcrypto

        start = time.perf_counter()
        with open(path, "rb") as src, open(out, "wb") as dst:
            office = msoffcrypto.OfficeFile(src)
            if op == "encrypt":
                office.encrypt(PASSWORD, dst)
            else:
                office.load_key(password=PASSWORD)
                office.decrypt(dst, verify_integrity=True)
    elapsed = time.perf_counter() - start
    assert os.path.getsize(out) > 0
    os.remove(out)
    return elapsed


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def cpu_seconds() -> float:
    """User and system time of this process, every thread included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def work(side: str, api: str, op: str, path: str) -> str:
    """One operation, timed: its seconds and the peak RSS (KiB) before it started."""
    __import__("docseal" if side == "docseal" else "msoffcrypto")  # loaded before the baseline

    if api == "files":
        before, cpu = peak_kib(), cpu_seconds()
        elapsed = work_files(side, op, path)
        return f"{elapsed} {before} {cpu_seconds() - cpu}"
    with open(path, "rb") as f:
        data = f.read()
    before, cpu = peak_kib(), cpu_seconds()
    if side == "docseal":
        import docseal

        start = time.perf_counter()
        if op == "encrypt":
            out = docseal.encrypt(data, PASSWORD)
        else:
            out = docseal.decrypt(data, PASSWORD)
    else:
        import msoffcrypto

        start = time.perf_counter()
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        sink = io.BytesIO()
        if op == "encrypt":
            office.encrypt(PASSWORD, sink)
        else:
            office.load_key(password=PASSWORD)
            office.decrypt(sink, verify_integrity=True)
        out = sink.getvalue()
    elapsed = time.perf_counter() - start
    assert len(out) > 0
    return f"{elapsed} {before} {cpu_seconds() - cpu}"


def measure(side: str, api: str, op: str, path: str) -> dict:
    """Runs `work` in a child and reports its time and peak RSS (the only child of this process)."""
    child = subprocess.run([sys.executable, __file__, "--work", side, api, op, path], capture_output=True, text=True)
    if child.returncode != 0:
        raise SystemExit(f"{side} {api} {op} failed:\n{child.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    seconds, before, cpu = child.stdout.split()
    return {"seconds": float(seconds), "peak_rss_mib": peak / 1024, "call_mib": (peak - int(before)) / 1024, "cpu": float(cpu)}


def run_measure(side: str, api: str, op: str, path: str) -> dict:
    """One repetition in a fresh measuring process, so RUSAGE_CHILDREN sees one child."""
    out = subprocess.run([sys.executable, __file__, "--measure", side, api, op, path], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def best(runs: list) -> dict:
    """The fastest time and least CPU of the runs, and their largest memory figures."""
    return {
        "seconds": min(r["seconds"] for r in runs),
        "cpu": min(r["cpu"] for r in runs),
        "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
        "call_mib": max(r["call_mib"] for r in runs),
    }


def compare(api: str, op: str, path: str, repeat: int) -> tuple:
    """docseal's and msoffcrypto-tool's runs alternate, so a change in the machine's speed
    during the benchmark (other tenants, frequency) reaches both sides alike."""
    docseal, msoffcrypto = [], []
    for _ in range(repeat):
        docseal.append(run_measure("docseal", api, op, path))
        msoffcrypto.append(run_measure("msoffcrypto", api, op, path))
    return best(docseal), best(msoffcrypto)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mib", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", nargs=4, metavar=("SIDE", "API", "OP", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--measure", nargs=4, metavar=("SIDE", "API", "OP", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.work:
        print(work(*args.work))
        return
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "plain.xlsx")
        sealed = os.path.join(tmp, "sealed.xlsx")
        make_package(plain, args.size_mib << 20)
        import docseal

        docseal.encrypt_file(plain, sealed, PASSWORD)
        package_mib = os.path.getsize(plain) / 2**20
        print(f"package: {package_mib:.1f} MiB, Agile AES-256/SHA-512, spin count 100000")
        print(f"{'operation':<30}{'docseal s':>10}{'msoffcrypto s':>15}{'speed-up':>10}{'docseal MiB':>13}{'msoffcrypto MiB':>17}{'RSS ratio':>11}{'x pkg':>7}{'call ratio':>12}{'CPU ratio':>11}")
        cases = [(api, op, path) for api in ("files", "bytes")
                 for op, path in (("encrypt", plain), ("decrypt", sealed))]
        for api, op, path in cases:
            d, m = compare(api, op, path, args.repeat)
            label = f"{op}{'+integrity' if op == 'decrypt' else ''} ({api})"
            print(
                f"{label:<30}{d['seconds']:>10.3f}{m['seconds']:>15.3f}{m['seconds'] / d['seconds']:>9.1f}x"
                f"{d['peak_rss_mib']:>13.0f}{m['peak_rss_mib']:>17.0f}{d['peak_rss_mib'] / m['peak_rss_mib']:>11.2f}"
                f"{d['peak_rss_mib'] / package_mib:>7.2f}{d['call_mib'] / m['call_mib']:>12.2f}"
                f"{m['cpu'] / d['cpu']:>10.1f}x"
            )


if __name__ == "__main__":
    main()
