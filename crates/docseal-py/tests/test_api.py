"""The docseal Python API: round trips, errors and exit codes, labels, paths, threads."""

import io
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile

import pytest

import docseal

from conftest import CORPUS, FIXTURES, REPO

PLAIN = (FIXTURES / "example.docx").read_bytes()
ID = "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab"
TENANT = "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817"


def test_round_trip_bytes():
    sealed = docseal.encrypt(PLAIN, "pw", spin_count=1000)
    assert docseal.is_encrypted(sealed) and not docseal.is_encrypted(PLAIN)
    assert docseal.decrypt(sealed, "pw") == PLAIN
    docseal.verify(sealed, "pw")


def stored_zip(size: int) -> bytes:
    """A package holding `size` pseudo-random bytes, stored (its length is about `size`)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("blob.bin", os.urandom(size))
    return buf.getvalue()


@pytest.mark.parametrize("size", [0, 3000, 4096, 70_000, (1 << 20) + 3, (9 << 20) + 5])
def test_bytes_round_trip_across_sizes_matches_the_file_api(tmp_path, size):
    """encrypt writes straight into the returned bytes and decrypt fills a bytes of the exact
    size: both agree with the streaming file API on every size class (mini stream, segment and
    batch boundaries, and results of 8 MiB or more, which are allocated uninitialised and
    advised as huge pages)."""
    plain = stored_zip(size)
    sealed = docseal.encrypt(plain, "pw", spin_count=1000)
    assert docseal.decrypt(sealed, "pw") == plain
    src, out = tmp_path / "sealed.docx", tmp_path / "plain.docx"
    src.write_bytes(sealed)
    docseal.decrypt_file(src, out, "pw")
    assert out.read_bytes() == plain
    (tmp_path / "plain-in.docx").write_bytes(plain)
    docseal.encrypt_file(tmp_path / "plain-in.docx", src, "pw", spin_count=1000)
    assert docseal.decrypt(src.read_bytes(), "pw") == plain


def test_encrypt_with_a_label_round_trips():
    """A label changes the package before encryption (the spooled path)."""
    sealed = docseal.encrypt(PLAIN, "pw", spin_count=1000, label={"id": ID, "tenant": TENANT, "name": "General"})
    assert [l["id"] for l in docseal.labels.read(sealed, "pw")] == [ID]
    assert docseal.decrypt(sealed, "pw") != PLAIN


# msoffcrypto-tool's secret key (Agile intermediate key) of its example_password.docx.
SECRET_KEY = bytes.fromhex("be2893f26594d8b0fee703fb2368daef8b00695b674f14317b2be486bdadb6a8")


def test_decrypt_and_verify_with_secret_key(tmp_path):
    sealed = (FIXTURES / "example_password.docx").read_bytes()
    assert docseal.decrypt(sealed, secret_key=SECRET_KEY) == PLAIN
    docseal.verify(sealed, secret_key=SECRET_KEY)
    docseal.decrypt_file(FIXTURES / "example_password.docx", tmp_path / "out.docx", secret_key=SECRET_KEY)
    assert (tmp_path / "out.docx").read_bytes() == PLAIN
    wrong = bytes([SECRET_KEY[0] ^ 1]) + SECRET_KEY[1:]
    with pytest.raises(docseal.IntegrityError):
        docseal.decrypt(sealed, secret_key=wrong)
    with pytest.raises(docseal.WrongPasswordError):  # NoUsableKey: exit 3
        docseal.decrypt(sealed, secret_key=SECRET_KEY[:16])
    with pytest.raises(docseal.InvalidArgumentError):
        docseal.decrypt(sealed, "Password1234_", secret_key=SECRET_KEY)


@pytest.mark.parametrize("scheme,cipher,hash", [("agile", "aes128", "sha1"), ("agile", "aes192", "sha384"), ("agile", "3des", "md5"), ("agile", "rc2", "whirlpool"), ("standard", "aes256", "sha1")])
def test_options(scheme, cipher, hash):
    sealed = docseal.encrypt(PLAIN, "pw", scheme=scheme, cipher=cipher, hash=hash, spin_count=1000)
    info = docseal.inspect(sealed)
    assert info["scheme"] == scheme
    assert docseal.decrypt(sealed, "pw") == PLAIN


@pytest.mark.parametrize("cipher,hash", [("aes256", "sha512"), ("3des", "sha1"), ("rc2", "md5")])
def test_chaining(cipher, hash, tmp_path):
    for chaining, name in (("cbc", "ChainingModeCBC"), ("cfb", "ChainingModeCFB")):
        sealed = docseal.encrypt(PLAIN, "pw", cipher=cipher, hash=hash, chaining=chaining, spin_count=1000)
        info = docseal.inspect(sealed)["encryption_info"]
        assert info["key_data"]["cipher_chaining"] == name
        assert all(k["cipher_chaining"] == name for k in info["key_encryptors"])
        assert docseal.decrypt(sealed, "pw") == PLAIN
    docseal.encrypt_file(FIXTURES / "example.docx", tmp_path / "cfb.docx", "pw", chaining="cfb", spin_count=1000)
    assert docseal.inspect(str(tmp_path / "cfb.docx"))["encryption_info"]["key_data"]["cipher_chaining"] == "ChainingModeCFB"
    with pytest.raises(docseal.InvalidArgumentError) as caught:
        docseal.encrypt(PLAIN, "pw", chaining="ofb")
    assert caught.value.exit_code == 2
    # Standard encryption is AES-ECB: CFB is refused.
    with pytest.raises(docseal.Error):
        docseal.encrypt(PLAIN, "pw", scheme="standard", chaining="cfb")


def test_round_trip_paths(tmp_path):
    src, sealed, out = tmp_path / "a.docx", tmp_path / "b.docx", tmp_path / "c.docx"
    src.write_bytes(PLAIN)
    docseal.encrypt_file(src, sealed, "pw", spin_count=1000)
    assert docseal.is_encrypted(sealed)
    docseal.decrypt_file(sealed, out, "pw")
    assert out.read_bytes() == PLAIN
    assert docseal.open_decrypted(sealed, "pw").read() == PLAIN


@pytest.mark.parametrize(
    "call,error,code",
    [
        (lambda s: docseal.decrypt(s, "wrong"), docseal.WrongPasswordError, 3),
        (lambda s: docseal.decrypt(PLAIN, "pw"), docseal.NotEncryptedError, 6),
        (lambda s: docseal.decrypt(b"garbage", "pw"), docseal.MalformedError, 7),
        (lambda s: docseal.decrypt(s[: len(s) // 2], "pw"), docseal.MalformedError, 7),
        (lambda s: docseal.encrypt(s, "pw"), docseal.UnsupportedError, 5),
        (lambda s: docseal.encrypt(PLAIN, "pw", cipher="serpent"), docseal.InvalidArgumentError, 2),
        (lambda s: docseal.decrypt_file("/nonexistent/x.docx", "/tmp/y", "pw"), docseal.Error, 1),
    ],
)
def test_errors_carry_the_cli_exit_codes(call, error, code):
    sealed = docseal.encrypt(PLAIN, "pw", spin_count=1000)
    with pytest.raises(error) as caught:
        call(sealed)
    assert caught.value.exit_code == code
    assert isinstance(caught.value, docseal.Error)


def test_tampered_file_is_an_integrity_error():
    sealed = bytearray(docseal.encrypt(PLAIN, "pw", spin_count=1000))
    sealed[len(sealed) // 2] ^= 1
    with pytest.raises(docseal.IntegrityError) as caught:
        docseal.decrypt(bytes(sealed), "pw")
    assert caught.value.exit_code == 4


def test_every_truncation_raises_a_docseal_error():
    sealed = docseal.encrypt(PLAIN, "pw", spin_count=1000)
    for cut in range(0, len(sealed) - 512, 509):  # the last sector may be short
        with pytest.raises(docseal.Error):
            docseal.decrypt(sealed[:cut], "pw")


def test_inspect_equals_the_cli_json():
    path = CORPUS / "generated" / "agile-msoffcrypto-label-labelinfo.docx"
    binary = shutil.which("docseal") or str(REPO / "target" / "release" / "docseal")
    if not os.path.exists(binary):
        pytest.skip("the docseal binary is not built")
    out = subprocess.run([binary, "inspect", "--json", "-p", "password", str(path)], capture_output=True, check=True)
    assert docseal.inspect(path, "password") == json.loads(out.stdout)


def test_labels_set_read_remove_on_plain_and_encrypted():
    labelled = docseal.labels.set(PLAIN, id=ID, tenant=TENANT, name="Confidential", scheme="custom")
    found = docseal.labels.read(labelled)
    assert [(l["id"], l["tenant"], l["name"]) for l in found] == [(ID, TENANT, "Confidential")]
    sealed = docseal.encrypt(PLAIN, "pw", spin_count=1000, label={"id": ID, "tenant": TENANT, "name": "Secret"})
    assert docseal.labels.read(sealed, "pw")[0]["id"] == ID
    cleared = docseal.labels.remove(sealed, all=True, password="pw")
    assert docseal.labels.read(cleared, "pw") == []
    assert docseal.decrypt(cleared, "pw")[:2] == b"PK"


def test_bad_label_guid_is_malformed():
    with pytest.raises(docseal.MalformedError):
        docseal.labels.set(PLAIN, id="not-a-guid", tenant=TENANT)


def test_the_gil_is_released_while_docseal_works():
    """While one thread decrypts (a slow key derivation), the main thread keeps running."""
    sealed = docseal.encrypt(PLAIN, "pw", spin_count=1_000_000)
    done = threading.Event()
    results = []

    def work():
        results.append(docseal.decrypt(sealed, "pw"))
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    ticks = 0
    while not done.is_set():
        ticks += 1
    worker.join()
    assert results == [PLAIN]
    # Holding the GIL, the call would leave this loop a few switch intervals at most.
    assert ticks > 100_000


def test_threads_decrypt_concurrently():
    sealed = docseal.encrypt(PLAIN, "pw", spin_count=1000)
    results = []
    threads = [threading.Thread(target=lambda: results.append(docseal.decrypt(sealed, "pw"))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [PLAIN] * 4


def run_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "docseal", *args], input=stdin, capture_output=True)


def test_cli_msoffcrypto_flags(tmp_path):
    src = FIXTURES / "example_password.docx"
    assert run_cli("-t", str(src)).returncode == 0
    assert run_cli("-t", str(FIXTURES / "example.docx")).returncode == 1
    out = tmp_path / "plain.docx"
    assert run_cli("-p", "Password1234_", str(src), str(out)).returncode == 0
    assert out.read_bytes() == PLAIN
    sealed = run_cli("-e", "-p", "pw", "-", "-", stdin=PLAIN)
    assert sealed.returncode == 0 and docseal.decrypt(sealed.stdout, "pw") == PLAIN
    assert run_cli("-p", "wrong", str(src), str(out)).returncode == 3


@pytest.fixture
def recipient(tmp_path):
    """A self-signed RSA certificate and its key (PEM), made with the openssl command."""
    if not shutil.which("openssl"):
        pytest.skip("the openssl command is not installed")
    cert, key = tmp_path / "alice.pem", tmp_path / "alice.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=alice",
         "-days", "2", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


def test_recipient_certificate_and_private_key(recipient):
    cert, key = recipient
    sealed = docseal.encrypt(PLAIN, None, recipients=[cert], spin_count=1000)
    assert docseal.decrypt(sealed, private_key=key) == PLAIN
    assert docseal.decrypt(sealed, private_key=key.read_bytes()) == PLAIN
    with pytest.raises(docseal.WrongPasswordError):
        docseal.decrypt(sealed, "any password")
    from docseal import compat

    office = compat.OfficeFile(io.BytesIO(sealed))
    with open(key, "rb") as f:
        office.load_key(private_key=f)
    out = io.BytesIO()
    office.decrypt(out)
    assert out.getvalue() == PLAIN


def test_mutated_files_raise_docseal_errors_only():
    """Random byte flips anywhere: every call returns or raises a docseal.Error."""
    import random

    rng = random.Random(22)
    sealed = docseal.encrypt(PLAIN, "pw", spin_count=1000)
    for data in (sealed, PLAIN):
        for _ in range(150):
            mutated = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            mutated = bytes(mutated)
            for call in (
                lambda: docseal.decrypt(mutated, "pw"),
                lambda: docseal.inspect(mutated, "pw"),
                lambda: docseal.labels.read(mutated, "pw"),
                lambda: docseal.is_encrypted(mutated),
            ):
                try:
                    call()
                except docseal.Error:
                    pass


def test_the_installed_wheel_carries_its_license_and_version():
    """The wheel states its license as an SPDX expression, ships both texts (the bundled
    OpenSSL is under Apache-2.0 too) and has the crate's version."""
    from importlib import metadata

    meta = metadata.metadata("docseal")
    assert meta["License-Expression"] == "MIT OR Apache-2.0"
    assert meta["Version"] == docseal.__version__
    names = {p.name for p in metadata.files("docseal") or ()}
    assert {"LICENSE-MIT", "LICENSE-APACHE"} <= names
