//! Excel 97-2003 (`.xls`, BIFF8) encryption of the `Workbook` stream: the mirror of
//! [`crate::xls::decrypt_workbook`].
//!
//! A `FilePass` record goes right after the globals' `BOF` (after `WriteProtect` when the
//! workbook has one), where every Excel-made encrypted workbook has it. If that place holds a
//! type-0 record of the same size (a `FilePass` neutralised by decryption), the record is
//! overwritten and nothing moves; otherwise it is inserted, and the stream positions that
//! records keep are moved by its length: `BoundSheet8.lbPlyPos`, `Index.ibXF` and
//! `Index.rgibRw`, `ExtSST`'s `ISSTInf.ib` (the three kinds of absolute offsets BIFF8
//! stores). Then every record body except the ones Excel keeps clear (`BOF`, `FilePass`,
//! `UsrExcl`, `FileLock`, `InterfaceHdr`, `RRDInfo`, `RRDHead`, the first 4 bytes of
//! `BoundSheet8`) is encrypted at its stream offset: RC4 keyed per 1024-byte block, or XOR
//! Method 1 (`rol5(plain) ^ XorArray[(offset + recordSize) % 16]`).

use zeroize::Zeroizing;

use crate::keys::encrypt_at;
use crate::seal::Sealing;
use crate::xls::{
    encrypted_range, find_filepass, records, xor_array, xor_key, xor_verifier, Record,
    RT_BOUNDSHEET8, RT_FILEPASS, XLS_BLOCK,
};
use crate::{Error, Result};

const RT_WRITEPROTECT: u16 = 0x0086;
const RT_INDEX: u16 = 0x020B;
const RT_EXTSST: u16 = 0x00FF;

/// Encrypts a plain BIFF8 `Workbook` stream (see the module docs).
///
/// Errors: [`Error::Unsupported`] for a workbook that is already encrypted or is BIFF5;
/// [`Error::Malformed`] for a stream that is not BIFF8 records, or whose offsets would pass
/// 4 GiB once moved.
pub fn encrypt_workbook(plain: &[u8], sealing: &Sealing) -> Result<Vec<u8>> {
    let recs = records(plain)?;
    match find_filepass(plain, &recs)? {
        Some(_) => {
            return Err(Error::unsupported(
                "the workbook is already encrypted (it has a FilePass record): decrypt it first",
            ))
        }
        None if biff_version(plain) == Some(0x0500) => {
            return Err(Error::unsupported(
                "encrypting a BIFF5 (Excel 5/95) workbook",
            ))
        }
        None => {}
    }
    let body = filepass_body(sealing);
    let at = if recs.get(1).is_some_and(|r| r.rtype == RT_WRITEPROTECT) {
        2
    } else {
        1
    };
    let mut out = match recs.get(at) {
        Some(r) if r.rtype == 0 && r.size == body.len() => {
            let mut out = plain.to_vec();
            out[r.pos..r.pos + 2].copy_from_slice(&RT_FILEPASS.to_le_bytes());
            out[r.body()].copy_from_slice(&body);
            out
        }
        other => {
            let pos = other.map_or(plain.len(), |r| r.pos);
            insert_filepass(plain, &recs, pos, &body)?
        }
    };
    let recs = records(&out)?;
    match sealing {
        Sealing::Rc4 { key, .. } => {
            let mut ks = Zeroizing::new(vec![0u8; out.len()]);
            encrypt_at(key, XLS_BLOCK, 0, &mut ks);
            for r in &recs {
                for p in encrypted_range(r) {
                    out[p] ^= ks[p];
                }
            }
        }
        Sealing::Xor { password } => {
            let xa = xor_array(password);
            for r in &recs {
                for p in encrypted_range(r) {
                    out[p] = out[p].rotate_left(5) ^ xa[(p + r.size) % 16];
                }
            }
        }
    }
    Ok(out)
}

fn biff_version(wb: &[u8]) -> Option<u16> {
    wb.get(4..6).map(|v| u16::from_le_bytes([v[0], v[1]]))
}

/// The `FilePass` body: `wEncryptionType` 1 and the RC4 header, or 0 and XORObfuscation.
fn filepass_body(sealing: &Sealing) -> Vec<u8> {
    match sealing {
        Sealing::Rc4 { header, .. } => {
            let mut b = vec![1, 0];
            b.extend_from_slice(&header.to_bytes());
            b
        }
        Sealing::Xor { password } => {
            let mut b = vec![0, 0];
            b.extend_from_slice(&xor_key(password).to_le_bytes());
            b.extend_from_slice(&xor_verifier(password).to_le_bytes());
            b
        }
    }
}

/// `plain` with a `FilePass` record of `body` inserted at `pos`, and every stored stream
/// position at or after `pos` moved by the record's length.
fn insert_filepass(plain: &[u8], recs: &[Record], pos: usize, body: &[u8]) -> Result<Vec<u8>> {
    let delta = 4 + body.len();
    let mut out = Vec::with_capacity(plain.len() + delta);
    out.extend_from_slice(&plain[..pos]);
    out.extend_from_slice(&RT_FILEPASS.to_le_bytes());
    out.extend_from_slice(&(body.len() as u16).to_le_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&plain[pos..]);
    let moved = |at: usize| if at >= pos { at + delta } else { at };
    for r in recs {
        let b = r.body();
        let start = moved(b.start);
        let end = start + r.size;
        let fields: Vec<usize> = match r.rtype {
            RT_BOUNDSHEET8 if r.size >= 4 => vec![start],
            RT_INDEX if r.size >= 16 => {
                let mut f = vec![start + 12];
                f.extend((start + 16..end).step_by(4).filter(|&o| o + 4 <= end));
                f
            }
            RT_EXTSST if r.size >= 2 => (start + 2..end)
                .step_by(8)
                .filter(|&o| o + 4 <= end)
                .collect(),
            _ => continue,
        };
        for o in fields {
            shift_u32(&mut out, o, pos, delta)?;
        }
    }
    Ok(out)
}

/// Moves the stream position stored at `o` by `delta` if it points at or after `pos`.
fn shift_u32(out: &mut [u8], o: usize, pos: usize, delta: usize) -> Result<()> {
    let v = u32::from_le_bytes([out[o], out[o + 1], out[o + 2], out[o + 3]]);
    if (v as usize) < pos || v == 0 {
        return Ok(());
    }
    let v = u32::try_from(v as usize + delta).map_err(|_| {
        Error::malformed("Workbook stream: a stream position beyond 4 GiB after FilePass")
    })?;
    out[o..o + 4].copy_from_slice(&v.to_le_bytes());
    Ok(())
}
