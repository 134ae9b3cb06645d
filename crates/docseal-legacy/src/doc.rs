//! Word 97-2003 (`.doc`) decryption: the RC4 and RC4 CryptoAPI schemes ([MS-DOC] 2.2.6.2,
//! [MS-OFFCRYPTO] 2.3.5–2.3.6), sans I/O.
//!
//! The caller reads the compound file's `WordDocument` stream, the table stream named by
//! [`DocFib::table_name`] (`0Table` / `1Table`, from `FibBase.fWhichTblStm`) and, if present,
//! `Data`; [`decrypt_doc`] returns the new bytes of those three streams, to be written back in
//! place (every stream keeps its length). Other streams are left alone: Word keeps
//! `\x05SummaryInformation` / `\x05DocumentSummaryInformation` in clear when the CryptoAPI
//! header's `fDocProps` flag (0x08) is set, as in every Office sample we have; a file without it
//! keeps its properties in an `EncryptedSummary` stream this module does not decrypt (the
//! returned [`DocDecrypted::header`] lets the caller check).
//!
//! What stays clear and how the keystream runs (checked against msoffcrypto-tool 6.1,
//! `format/doc97.py`, byte for byte on every corpus file):
//!
//! * The RC4 keystream is positioned by absolute stream offset: block `n` (key
//!   `block_key(n)`) covers bytes `512·n .. 512·(n+1)` of each stream, in each of the three
//!   streams independently, starting at block 0 at stream offset 0.
//! * `WordDocument`: the 68-byte FibBase is clear; bytes 68.. are decrypted with the keystream
//!   at offset 68 (block 0, 68 bytes in). In the output FibBase `fEncrypted`, `fObfuscation`
//!   and `lKey` are cleared (`lKey` MUST be 0 when `fEncrypted` is 0, [MS-DOC] 2.5.2); all
//!   other FibBase bits are kept.
//! * Table stream: the whole stream, from offset 0, goes through the keystream — including its
//!   first `lKey` bytes, which hold the (clear) encryption header, so they come out as
//!   meaningless bytes. This is what msoffcrypto-tool does (LibreOffice's importer is
//!   believed to do the same in memory; not checked here). [MS-DOC] says
//!   the header is not encrypted, so running the keystream over it yields garbage, but no
//!   Word structure points into those bytes once `fEncrypted` and `lKey` are 0 (every FIB
//!   offset into the table stream is past the header), so Word and LibreOffice read the
//!   result as a plain file either way. We follow msoffcrypto here on purpose: keeping the
//!   header in clear would leave the salt and password verifier in the "decrypted" file and
//!   allow offline guessing of the original password.
//! * `Data`: the whole stream from offset 0.
//!
//! XOR obfuscation (`fObfuscation` = 1, [MS-DOC] 2.2.6.1): `lKey` holds the password
//! verifier of [MS-OFFCRYPTO] 2.3.7.4 (high word the XorKey, low word the Method 1 verifier, of
//! the single-byte password); the three streams are transformed with Method 2 (2.3.7.6) by
//! absolute stream offset, `WordDocument` from offset 68: with `k = XorArray[offset % 16]`
//! (the Method 1 array), a byte `b` becomes `b ^ k` unless `b` is 0 or `k` (then it stays),
//! which is its own inverse. Checked on `2003-Test-weak-XOR_….doc` (Word 2003), whose text,
//! styles and fonts come out readable; msoffcrypto-tool 6.1 cannot decrypt it.

use docseal_bytes::{u16_at, u32_at};

use crate::keys::{self, BinaryHeader};
use crate::{Error, Result};

/// Length of FibBase, the part of `WordDocument` that is never encrypted.
pub const FIB_BASE_LEN: usize = 68;

/// Word's RC4 re-keying interval (bytes of stream offset).
pub const DOC_BLOCK_SIZE: usize = 512;

/// `FibBase.wIdent` of a Word binary file.
const W_IDENT: u16 = 0xA5EC;

pub(crate) const F_ENCRYPTED: u16 = 1 << 8;
const F_WHICH_TBL_STM: u16 = 1 << 9;
pub(crate) const F_OBFUSCATION: u16 = 1 << 15;

/// The FibBase fields that matter for encryption.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocFib {
    /// `nFib` (0x00C1 for Word 97+; other writers use other values).
    pub n_fib: u16,
    /// `fEncrypted`.
    pub encrypted: bool,
    /// `fObfuscation` (XOR obfuscation instead of RC4, when `encrypted`).
    pub obfuscated: bool,
    /// `fWhichTblStm`: `true` means the table stream is `1Table`.
    pub which_table: bool,
    /// `lKey`: the encryption header size (RC4), the XOR verifier (obfuscation) or 0.
    pub l_key: u32,
}

impl DocFib {
    /// Parses the FibBase at the start of a `WordDocument` stream.
    pub fn parse(word_document: &[u8]) -> Result<DocFib> {
        let fib = word_document.get(..FIB_BASE_LEN).ok_or_else(|| {
            Error::malformed(format!(
                "WordDocument stream of {} bytes, shorter than the 68-byte FibBase",
                word_document.len()
            ))
        })?;
        let u16_at = |o: usize| u16_at(fib, o, "FibBase");
        let ident = u16_at(0)?;
        if ident != W_IDENT {
            return Err(Error::malformed(format!(
                "FibBase.wIdent {ident:#06x}, not 0xa5ec (not a Word binary document)"
            )));
        }
        let flags = u16_at(10)?;
        Ok(DocFib {
            n_fib: u16_at(2)?,
            encrypted: flags & F_ENCRYPTED != 0,
            obfuscated: flags & F_OBFUSCATION != 0,
            which_table: flags & F_WHICH_TBL_STM != 0,
            l_key: u32_at(fib, 14, "FibBase")?,
        })
    }

    /// The name of the table stream (`"1Table"` or `"0Table"`).
    pub fn table_name(&self) -> &'static str {
        if self.which_table {
            "1Table"
        } else {
            "0Table"
        }
    }
}

/// The input streams of an encrypted `.doc`.
#[derive(Clone, Copy, Debug)]
pub struct DocStreams<'a> {
    /// The `WordDocument` stream.
    pub word_document: &'a [u8],
    /// The table stream named by [`DocFib::table_name`] of `word_document`.
    pub table: &'a [u8],
    /// The `Data` stream, if the file has one.
    pub data: Option<&'a [u8]>,
}

/// Which RC4 scheme the file used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DocScheme {
    /// "RC4" (Office 97/2000, MD5; header version 1.1).
    Rc4,
    /// "RC4 CryptoAPI" (Office XP+, SHA-1; header version 2/3/4.2).
    Rc4CryptoApi,
    /// XOR obfuscation (Word 95 and "weak" Word 97-2003 protection).
    Xor,
}

/// The decrypted streams, each the same length as its input.
#[derive(Clone, Debug)]
pub struct DocDecrypted {
    /// New `WordDocument` (FibBase with `fEncrypted`, `fObfuscation` and `lKey` cleared).
    pub word_document: Vec<u8>,
    /// Name of the table stream (`"0Table"` / `"1Table"`), where `table` goes.
    pub table_name: &'static str,
    /// New table stream.
    pub table: Vec<u8>,
    /// New `Data` stream (present iff it was in the input).
    pub data: Option<Vec<u8>>,
    /// The scheme used.
    pub scheme: DocScheme,
    /// The encryption header found at the start of the table stream (none for XOR).
    pub header: Option<BinaryHeader>,
    /// True when only the first 15 characters of the password opened the file ("RC4" 1.1, as
    /// Word XP-2007 wrote it; see [`BinaryHeader::unlock_as_office`]).
    pub password_truncated: bool,
}

/// Decrypts an RC4 / RC4 CryptoAPI-encrypted or XOR-obfuscated Word 97-2003 document.
///
/// Errors: [`Error::WrongPassword`] if the verifier rejects `password`;
/// [`Error::NotEncrypted`] for a document that is not encrypted (`fEncrypted` = 0);
/// [`Error::Unsupported`] for unknown header versions; [`Error::Malformed`] for a broken FibBase or
/// header.
pub fn decrypt_doc(streams: &DocStreams<'_>, password: &str) -> Result<DocDecrypted> {
    let fib = DocFib::parse(streams.word_document)?;
    if !fib.encrypted {
        return Err(Error::not_encrypted(
            "this .doc is not encrypted (FibBase.fEncrypted = 0): nothing to decrypt",
        ));
    }
    if fib.obfuscated {
        return decrypt_xor(streams, &fib, password);
    }
    let (header, header_len) = BinaryHeader::parse(streams.table)?;
    // lKey should equal the header length; msoffcrypto and (as far as we know) Word ignore it
    // when reading, so a mismatch is tolerated as long as the header fits in the stream,
    // which `parse` has checked.
    let _ = header_len;
    let scheme = match header {
        BinaryHeader::Rc4(_) => DocScheme::Rc4,
        BinaryHeader::CryptoApi(_) => DocScheme::Rc4CryptoApi,
    };
    let (key, password_truncated) = header.unlock_as_office(password)?;

    let mut word_document = streams.word_document.to_vec();
    keys::decrypt_at(
        &key,
        DOC_BLOCK_SIZE,
        FIB_BASE_LEN,
        &mut word_document[FIB_BASE_LEN..],
    );
    clear_encryption(&mut word_document);

    let mut table = streams.table.to_vec();
    keys::decrypt_at(&key, DOC_BLOCK_SIZE, 0, &mut table);

    let data = streams.data.map(|d| {
        let mut d = d.to_vec();
        keys::decrypt_at(&key, DOC_BLOCK_SIZE, 0, &mut d);
        d
    });

    Ok(DocDecrypted {
        word_document,
        table_name: fib.table_name(),
        table,
        data,
        scheme,
        header: Some(header),
        password_truncated,
    })
}

/// Clears `fEncrypted`, `fObfuscation` and `lKey` in a plain `WordDocument`'s FibBase.
fn clear_encryption(word_document: &mut [u8]) {
    let flags =
        u16::from_le_bytes([word_document[10], word_document[11]]) & !(F_ENCRYPTED | F_OBFUSCATION);
    word_document[10..12].copy_from_slice(&flags.to_le_bytes());
    word_document[14..18].copy_from_slice(&[0; 4]);
}

/// The `lKey` of an XOR-obfuscated document for the single-byte password `pw`
/// ([MS-OFFCRYPTO] 2.3.7.4): XorKey in the high word, the Method 1 verifier in the low word.
pub fn xor_l_key(pw: &[u8]) -> u32 {
    (u32::from(crate::xls::xor_key(pw)) << 16) | u32::from(crate::xls::xor_verifier(pw))
}

/// XOR Data Transformation Method 2 over `data`, which sits at stream offset `offset`.
pub fn xor_method2(xor_array: &[u8; 16], offset: usize, data: &mut [u8]) {
    for (i, b) in data.iter_mut().enumerate() {
        let k = xor_array[(offset + i) % 16];
        if *b != 0 && *b != k {
            *b ^= k;
        }
    }
}

fn decrypt_xor(streams: &DocStreams<'_>, fib: &DocFib, password: &str) -> Result<DocDecrypted> {
    let pw = crate::xls::xor_password_bytes(password);
    if pw.is_empty() || !bool::from(subtle::ConstantTimeEq::ct_eq(&xor_l_key(&pw), &fib.l_key)) {
        return Err(Error::WrongPassword);
    }
    let xa = crate::xls::xor_array(&pw);
    let mut word_document = streams.word_document.to_vec();
    xor_method2(&xa, FIB_BASE_LEN, &mut word_document[FIB_BASE_LEN..]);
    clear_encryption(&mut word_document);
    let mut table = streams.table.to_vec();
    xor_method2(&xa, 0, &mut table);
    let data = streams.data.map(|d| {
        let mut d = d.to_vec();
        xor_method2(&xa, 0, &mut d);
        d
    });
    Ok(DocDecrypted {
        word_document,
        table_name: fib.table_name(),
        table,
        data,
        scheme: DocScheme::Xor,
        header: None,
        password_truncated: false,
    })
}
