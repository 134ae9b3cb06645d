"""Scan a directory tree with Spark: classify every file (``docseal.inspect``), and write a
labelled, encrypted copy of each plain Office package. The work runs on the executors in
``mapInPandas`` batches; the driver gets one summary row per file.

    python examples/spark_scan.py INPUT_DIR OUTPUT_DIR [--master local[2]] [--check]

The password comes from ``$DOCSEAL_SPARK_PASSWORD`` (default "spark-demo"); the label from
``--label-id``/``--label-tenant``/``--label-name``. Encrypted copies go to OUTPUT_DIR/sealed/
(mirroring the input tree; on a cluster OUTPUT_DIR must be storage every executor can write,
e.g. a shared mount), the summary to OUTPUT_DIR/report/ as JSON lines. ``--check`` decrypts
every encrypted copy again on the driver with msoffcrypto-tool (integrity checked).
"""

import argparse
import json
import os
import sys
from typing import Iterator

REPORT_SCHEMA = "path string, kind string, scheme string, encrypted boolean, length long, output string, error string"


def seal_batches(batches: Iterator, root: str, out_dir: str, password: str, label: dict) -> Iterator:
    """mapInPandas body: classify each file; encrypt plain packages with the label."""
    import pandas

    import docseal

    for batch in batches:
        rows = []
        for path, content in zip(batch["path"], batch["content"]):
            local = path[len("file:"):] if path.startswith("file:") else path
            row = {"path": local, "kind": None, "scheme": None, "encrypted": None,
                   "length": len(content), "output": None, "error": None}
            try:
                info = docseal.inspect(bytes(content))
                row.update(kind=info.get("kind"), scheme=info.get("scheme"), encrypted=bool(info.get("encrypted")))
                if info.get("kind") == "package":
                    target = os.path.join(out_dir, "sealed", os.path.relpath(local, root))
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    with open(target, "wb") as f:
                        f.write(docseal.encrypt(bytes(content), password, label=label))
                    row["output"] = target
            except docseal.Error as e:
                row["error"] = f"{type(e).__name__}: {e}"
            rows.append(row)
        yield pandas.DataFrame(rows, columns=["path", "kind", "scheme", "encrypted", "length", "output", "error"])


def check_outputs(rows, password: str) -> int:
    """Decrypts every encrypted copy with msoffcrypto-tool (HMAC checked); returns failures."""
    import io

    import msoffcrypto

    failures = 0
    for row in rows:
        if not row.get("output"):
            continue
        try:
            with open(row["output"], "rb") as f:
                office = msoffcrypto.OfficeFile(f)
                office.load_key(password=password, verify_password=True)
                out = io.BytesIO()
                office.decrypt(out, verify_integrity=True)
            with open(row["path"], "rb") as f:
                assert out.getvalue()[:2] == b"PK"
        except Exception as e:  # noqa: BLE001 - report every failure
            failures += 1
            print(f"CHECK FAILED {row['output']}: {e!r}", file=sys.stderr)
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--master", default=os.environ.get("SPARK_MASTER"))
    parser.add_argument("--label-id", default="3a6c1e7e-2f4b-4c8e-9d61-0123456789ab")
    parser.add_argument("--label-tenant", default="5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817")
    parser.add_argument("--label-name", default="Confidential")
    parser.add_argument("--check", action="store_true", help="decrypt every output with msoffcrypto-tool")
    args = parser.parse_args()

    # Local runs: the executors' Python is this one (where docseal is installed).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("docseal-scan")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")

    root = os.path.abspath(args.input)
    out_dir = os.path.abspath(args.output)
    password = os.environ.get("DOCSEAL_SPARK_PASSWORD", "spark-demo")
    label = {"id": args.label_id, "tenant": args.label_tenant, "name": args.label_name}

    files = (spark.read.format("binaryFile")
             .option("recursiveFileLookup", "true")
             .load(root)
             .select("path", "content"))
    report = files.mapInPandas(lambda it: seal_batches(it, root, out_dir, password, label), REPORT_SCHEMA)
    report.write.mode("overwrite").json(os.path.join(out_dir, "report"))
    rows = [r.asDict() for r in spark.read.json(os.path.join(out_dir, "report")).collect()]
    spark.stop()

    kinds = {}
    for r in rows:
        kinds[r.get("kind") or "error"] = kinds.get(r.get("kind") or "error", 0) + 1
    sealed = sum(1 for r in rows if r.get("output"))
    errors = [r for r in rows if r.get("error")]
    print(json.dumps({"files": len(rows), "kinds": kinds, "sealed": sealed, "errors": len(errors)}, sort_keys=True))
    for r in errors:
        print(f"  {r['path']}: {r['error']}")
    if args.check:
        failures = check_outputs(rows, password)
        print(f"msoffcrypto-tool check: {sealed - failures} of {sealed} encrypted copies decrypt")
        return 1 if failures or sealed == 0 else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
