"""A python-docx document labelled "Confidential" and encrypted in one call, then decrypted
and read back: the text and the sensitivity label survive.

    python examples/docx_label_round_trip.py
"""

import io

import docx

import docseal

LABEL = {
    "id": "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab",
    "tenant": "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817",
    "name": "Confidential",
}


def main() -> None:
    document = docx.Document()
    document.add_heading("Board minutes", level=1)
    document.add_paragraph("Approved: the Q3 budget.")
    buf = io.BytesIO()
    document.save(buf)

    sealed = docseal.encrypt(buf.getvalue(), "minutes-pw", label=LABEL)
    labels = docseal.labels.read(sealed, password="minutes-pw")
    assert [(l["id"], l["tenant"]) for l in labels] == [(LABEL["id"], LABEL["tenant"])]

    reopened = docx.Document(io.BytesIO(docseal.decrypt(sealed, "minutes-pw")))
    text = [p.text for p in reopened.paragraphs]
    assert "Approved: the Q3 budget." in text
    print(f"label {labels[0]['id']} ({labels[0]['location']}); text: {text}")

    unlabelled = docseal.labels.remove(sealed, all=True, password="minutes-pw")
    assert docseal.labels.read(unlabelled, password="minutes-pw") == []
    print("label removed; the file still opens with the same password")


if __name__ == "__main__":
    main()
