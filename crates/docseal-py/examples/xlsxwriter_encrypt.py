"""An XlsxWriter workbook, encrypted in memory with docseal: a password-protected .xlsx that
Excel opens. Checked here with msoffcrypto-tool (when installed) and openpyxl.

    python examples/xlsxwriter_encrypt.py [OUT.xlsx]
"""

import io
import sys
import tempfile

import xlsxwriter

import docseal

PASSWORD = "Quarterly-2026"


def build_workbook() -> bytes:
    buf = io.BytesIO()
    workbook = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = workbook.add_worksheet("Q3")
    sheet.write_row(0, 0, ["Region", "Revenue"])
    for row, (region, revenue) in enumerate([("North", 1200), ("South", 950), ("West", 1430)], start=1):
        sheet.write_row(row, 0, [region, revenue])
    sheet.write_formula(4, 1, "=SUM(B2:B4)", None, 3580)
    workbook.close()
    return buf.getvalue()


def check_with_msoffcrypto(path: str) -> None:
    try:
        import msoffcrypto
    except ImportError:
        print("msoffcrypto-tool not installed: check skipped")
        return
    with open(path, "rb") as f:
        office = msoffcrypto.OfficeFile(f)
        office.load_key(password=PASSWORD, verify_password=True)
        out = io.BytesIO()
        office.decrypt(out, verify_integrity=True)
    import openpyxl

    sheet = openpyxl.load_workbook(out)["Q3"]
    assert sheet["A2"].value == "North" and sheet["B4"].value == 1430
    print("msoffcrypto-tool decrypts it; openpyxl reads Q3!A2 =", sheet["A2"].value)


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else tempfile.mktemp(suffix=".xlsx")
    sealed = docseal.encrypt(build_workbook(), PASSWORD)
    with open(path, "wb") as f:
        f.write(sealed)
    info = docseal.inspect(path)
    print(f"wrote {path}: {info['scheme']}, encrypted={info['encrypted']}")
    check_with_msoffcrypto(path)


if __name__ == "__main__":
    main()
