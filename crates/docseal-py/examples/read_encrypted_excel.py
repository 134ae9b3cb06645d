"""Reading a password-protected workbook with pandas and openpyxl: ``docseal.open_decrypted``
gives a BytesIO of the verified plain package (no plain file on disk).

    python examples/read_encrypted_excel.py [FILE.xlsx PASSWORD]
"""

import pathlib
import sys

import openpyxl
import pandas

import docseal

REPO = pathlib.Path(__file__).resolve().parents[3]
DEFAULT = REPO / "corpus" / "fetched" / "msoffcrypto-tool" / "example_password.xlsx"


def main() -> None:
    path, password = (sys.argv[1], sys.argv[2]) if len(sys.argv) > 2 else (DEFAULT, "Password1234_")
    frame = pandas.read_excel(docseal.open_decrypted(path, password), header=None)
    print(f"pandas: {frame.shape[0]} rows x {frame.shape[1]} columns")
    print(frame.head().to_string())
    book = openpyxl.load_workbook(docseal.open_decrypted(path, password), read_only=True)
    print("openpyxl: sheets", book.sheetnames)
    assert frame.shape[0] > 0 and book.sheetnames


if __name__ == "__main__":
    main()
