//! Word 97-2003 (`.doc`) RC4 / RC4 CryptoAPI encryption: the mirror of
//! [`crate::doc::decrypt_doc`].
//!
//! The encryption header sits in clear at the start of the table stream and `FibBase.lKey`
//! holds its length. Word reserves those bytes when it saves encrypted; a plain document's
//! table stream usually starts with data (the style sheet). So:
//!
//! * if every FIB structure (`FibRgFcLcb` pair with a non-zero `lcb`) lies at or past the
//!   header's length, the header overwrites the table stream's first bytes in place (the case
//!   of a document decrypted by docseal or msoffcrypto-tool, whose first bytes are the old
//!   header run through the keystream, which no FIB offset points into);
//! * otherwise the header is inserted before the table stream and every `fc` of
//!   `FibRgFcLcb` (all of them are table-stream offsets, [MS-DOC] 2.5.6–2.5.11) moves by its
//!   length (the `fc` of an empty structure only when it is a table-stream position).
//!
//! Then `fEncrypted` is set, `fObfuscation` cleared, `lKey` set, and the keystream (re-keyed
//! every 512 bytes of stream offset) runs over `WordDocument` from offset 68, the whole table
//! stream (the header is then written back in clear) and the whole `Data` stream.

use docseal_bytes::{u16_at, u32_at};

use crate::doc::{DocFib, DocStreams, DOC_BLOCK_SIZE, FIB_BASE_LEN, F_ENCRYPTED, F_OBFUSCATION};
use crate::keys::encrypt_at;
use crate::seal::Sealing;
use crate::{Error, Result};

/// The encrypted streams.
#[derive(Clone, Debug)]
pub struct DocEncrypted {
    /// New `WordDocument` (same length).
    pub word_document: Vec<u8>,
    /// Name of the table stream (`"0Table"` / `"1Table"`).
    pub table_name: &'static str,
    /// New table stream (longer by the header when it had to be inserted).
    pub table: Vec<u8>,
    /// New `Data` stream (present iff it was in the input).
    pub data: Option<Vec<u8>>,
}

/// Encrypts a plain Word 97-2003 document (see the module docs).
///
/// Errors: [`Error::Unsupported`] for a document already encrypted or obfuscated, and for
/// XOR (Word's XOR obfuscation is not written); [`Error::Malformed`] for a broken FIB.
pub fn encrypt_doc(streams: &DocStreams<'_>, sealing: &Sealing) -> Result<DocEncrypted> {
    let fib = DocFib::parse(streams.word_document)?;
    if fib.encrypted || fib.obfuscated {
        return Err(Error::unsupported(
            "the document is already encrypted (FibBase.fEncrypted = 1): decrypt it first",
        ));
    }
    let Sealing::Rc4 { header, key } = sealing else {
        return Err(Error::unsupported(
            "XOR obfuscation of a Word document (only Excel's XOR is written)",
        ));
    };
    let head = header.to_bytes();
    let mut word_document = streams.word_document.to_vec();
    let pairs = fc_lcb_pairs(&word_document)?;
    let mut first_used = usize::MAX;
    for o in pairs.clone() {
        let (fc, lcb) = fc_lcb(&word_document, o)?;
        if lcb != 0 {
            first_used = first_used.min(fc as usize);
        }
    }
    let mut table = if first_used >= head.len() {
        let mut t = streams.table.to_vec();
        if t.len() < head.len() {
            t.resize(head.len(), 0);
        }
        t
    } else {
        for o in pairs {
            // An empty structure's fc is moved too when it is a table-stream position (Word
            // writes where it would be); anything else there is left as it is.
            let (fc, lcb) = fc_lcb(&word_document, o)?;
            if lcb == 0 && fc as usize > streams.table.len() {
                continue;
            }
            let fc = fc
                .checked_add(head.len() as u32)
                .ok_or_else(|| Error::malformed("FibRgFcLcb: an fc beyond 4 GiB"))?;
            word_document[o..o + 4].copy_from_slice(&fc.to_le_bytes());
        }
        let mut t = vec![0u8; head.len()];
        t.extend_from_slice(streams.table);
        t
    };

    let flags =
        (u16::from_le_bytes([word_document[10], word_document[11]]) | F_ENCRYPTED) & !F_OBFUSCATION;
    word_document[10..12].copy_from_slice(&flags.to_le_bytes());
    word_document[14..18].copy_from_slice(&(head.len() as u32).to_le_bytes());
    encrypt_at(
        key,
        DOC_BLOCK_SIZE,
        FIB_BASE_LEN,
        &mut word_document[FIB_BASE_LEN..],
    );
    encrypt_at(key, DOC_BLOCK_SIZE, 0, &mut table);
    table[..head.len()].copy_from_slice(&head);
    let data = streams.data.map(|d| {
        let mut d = d.to_vec();
        encrypt_at(key, DOC_BLOCK_SIZE, 0, &mut d);
        d
    });
    Ok(DocEncrypted {
        word_document,
        table_name: fib.table_name(),
        table,
        data,
    })
}

/// The `fc` and `lcb` of the FibRgFcLcb pair at `o` of `WordDocument`.
fn fc_lcb(wd: &[u8], o: usize) -> Result<(u32, u32)> {
    Ok((
        u32_at(wd, o, "FibRgFcLcb")?,
        u32_at(wd, o + 4, "FibRgFcLcb")?,
    ))
}

/// Offsets in `WordDocument` of every `FibRgFcLcb` pair (`fc` at the offset, `lcb` 4 after),
/// checked to lie in the stream.
fn fc_lcb_pairs(wd: &[u8]) -> Result<std::iter::StepBy<std::ops::Range<usize>>> {
    let short = |what: &str| Error::malformed(format!("FIB: the stream ends inside {what}"));
    let u16_at = |o: usize| -> Result<usize> { Ok(usize::from(u16_at(wd, o, "FIB")?)) };
    let csw = 32;
    let cslw = csw + 2 + 2 * u16_at(csw)?;
    let cb = cslw + 2 + 4 * u16_at(cslw)?;
    let start = cb + 2;
    let end = start + 8 * u16_at(cb)?;
    if end > wd.len() {
        return Err(short("FibRgFcLcb"));
    }
    Ok((start..end).step_by(8))
}
