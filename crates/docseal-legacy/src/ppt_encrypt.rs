//! PowerPoint 97-2003 (`.ppt`) RC4 CryptoAPI encryption: the mirror of
//! [`crate::ppt::decrypt_ppt`], laid out as PowerPoint lays out an encrypted presentation.
//!
//! The presentation must have one UserEditAtom (no incremental saves) followed only by nothing
//! and preceded by its PersistDirectoryAtom, as PowerPoint saves. The stream becomes: every
//! byte before the PersistDirectoryAtom, the CryptSession10Container (the RC4 CryptoAPI header,
//! in clear) as a new persist object whose id is one more than the highest in use, a new
//! PersistDirectoryAtom holding it, and the UserEditAtom with recLen `0x20` and
//! `encryptSessionPersistIdRef` (its `persistIdSeed` raised to that id). `Current User` gets the
//! encrypted `headerToken` and the new `offsetToCurrentEdit`. Every other persist object is
//! encrypted with one RC4 stream keyed by `block_key(persist id)`, its record header included;
//! in `Pictures` each blip's header and fields are encrypted with a fresh `block_key(0)`
//! keystream. The header's flags are the caller's: PowerPoint's 0x04 with the document
//! properties moved into `EncryptedSummary` ([`crate::summary::encrypt_summary`],
//! [`crate::summary::placeholder_document_summary`]; the caller replaces those streams), or
//! 0x0C with them in clear (as in `Password_Protected-np-hello.ppt`).
//!
//! [`reseal_ppt`] encrypts a decrypted presentation again in place, where its original had its
//! records (what `conform` compares with the original).

use docseal_bytes::u32_at;
use std::collections::BTreeMap;

use crate::keys::{BinaryKey, Rc4};
use crate::ppt::{
    blip_fields, directory_entries, directory_map, locate, PptDecrypted, PptStreams, Rh,
    RT_CRYPT_SESSION10, RT_CURRENT_USER_ATOM, RT_PERSIST_DIRECTORY_ATOM, RT_USER_EDIT_ATOM,
    TOKEN_ENCRYPTED,
};
use crate::seal::Sealing;
use crate::{BinaryHeader, Error, Result};

/// The input streams of a plain `.ppt`.
#[derive(Clone, Copy, Debug)]
pub struct PlainPpt<'a> {
    /// `Current User`.
    pub current_user: &'a [u8],
    /// `PowerPoint Document`.
    pub powerpoint_document: &'a [u8],
    /// `Pictures`, if present.
    pub pictures: Option<&'a [u8]>,
}

/// The encrypted streams.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PptEncrypted {
    /// New `Current User` (same size).
    pub current_user: Vec<u8>,
    /// New `PowerPoint Document`.
    pub powerpoint_document: Vec<u8>,
    /// New `Pictures` (same size), if the input had one.
    pub pictures: Option<Vec<u8>>,
}

/// Encrypts a plain presentation with RC4 CryptoAPI (see the module docs).
///
/// Errors: [`Error::Unsupported`] for an encrypted presentation, an incrementally saved one,
/// a layout PowerPoint does not write, or a sealing other than RC4 CryptoAPI;
/// [`Error::Malformed`] for broken structures.
pub fn encrypt_ppt(plain: &PlainPpt<'_>, sealing: &Sealing) -> Result<PptEncrypted> {
    let (header, key) = rc4_cryptoapi(sealing)?;
    let cu = plain.current_user;
    let doc = plain.powerpoint_document;
    let edit = LastEdit::find(doc, current_edit_offset(cu)?)?;
    let dir = directory(doc, edit.pd, edit.pd_end)?;
    let new_id = next_persist_id(&dir)?;

    // Encrypt every persist object in place (in a copy of the part before the directory).
    let mut out = doc[..edit.pd].to_vec();
    for (&pid, &off) in &dir {
        encrypt_record(&mut out, pid, off, key)?;
    }
    let new_ue = edit.append_session(doc, &mut out, header, dir, new_id)?;

    let mut current_user = cu.to_vec();
    current_user[12..16].copy_from_slice(&TOKEN_ENCRYPTED.to_le_bytes());
    current_user[16..20].copy_from_slice(&u32::try_from(new_ue).map_err(too_big)?.to_le_bytes());

    let pictures = plain
        .pictures
        .map(|p| encrypt_pictures(p, &key.block_key(0)))
        .transpose()?;
    Ok(PptEncrypted {
        current_user,
        powerpoint_document: out,
        pictures,
    })
}

/// The RC4 CryptoAPI header and key of `sealing`; any other sealing is unsupported.
fn rc4_cryptoapi(sealing: &Sealing) -> Result<(&BinaryHeader, &BinaryKey)> {
    match sealing {
        Sealing::Rc4 {
            header: header @ BinaryHeader::CryptoApi(_),
            key,
        } => Ok((header, key)),
        _ => Err(Error::unsupported(
            "PowerPoint encryption other than RC4 CryptoAPI",
        )),
    }
}

/// The `offsetToCurrentEdit` of a plain `Current User` stream.
fn current_edit_offset(cu: &[u8]) -> Result<usize> {
    const CUW: &str = "CurrentUserAtom";
    let rh = Rh::at(cu, 0, CUW)?;
    if rh.rec_type != RT_CURRENT_USER_ATOM || u32_at(cu, 8, CUW)? != 0x14 {
        return Err(Error::malformed("Current User: not a CurrentUserAtom"));
    }
    if u32_at(cu, 12, CUW)? == TOKEN_ENCRYPTED {
        return Err(Error::unsupported(
            "the presentation is already encrypted: decrypt it first",
        ));
    }
    Ok(u32_at(cu, 16, CUW)? as usize)
}

/// A plain presentation's only UserEditAtom and the PersistDirectoryAtom just before it.
struct LastEdit {
    /// The UserEditAtom's offset, header and end.
    ue: usize,
    ue_rh: Rh,
    ue_end: usize,
    /// The PersistDirectoryAtom's offset and end.
    pd: usize,
    pd_end: usize,
    /// `persistIdSeed`.
    seed: u32,
}

impl LastEdit {
    /// Reads the UserEditAtom at `ue` and its PersistDirectoryAtom, checking PowerPoint's layout.
    fn find(doc: &[u8], ue: usize) -> Result<LastEdit> {
        const UEW: &str = "UserEditAtom";
        let ue_rh = Rh::at(doc, ue, UEW)?;
        if ue_rh.rec_type != RT_USER_EDIT_ATOM {
            return Err(Error::malformed(format!(
                "{UEW} at {ue}: wrong record type"
            )));
        }
        let ue_end = ue_rh.end(ue, doc.len(), UEW)?;
        if ue_rh.rec_len == 0x20 {
            return Err(Error::unsupported(
                "the presentation is already encrypted: decrypt it first",
            ));
        }
        if ue_rh.rec_len != 0x1C {
            return Err(Error::malformed(format!(
                "{UEW}: recLen {:#x}",
                ue_rh.rec_len
            )));
        }
        if u32_at(doc, ue + 16, UEW)? != 0 {
            return Err(Error::unsupported(
                "encrypting an incrementally saved presentation (more than one UserEditAtom)",
            ));
        }
        let pd = u32_at(doc, ue + 20, UEW)? as usize;
        let seed = u32_at(doc, ue + 28, UEW)?;
        const PDW: &str = "PersistDirectoryAtom";
        let pd_rh = Rh::at(doc, pd, PDW)?;
        if pd_rh.rec_type != RT_PERSIST_DIRECTORY_ATOM {
            return Err(Error::malformed(format!(
                "{PDW} at {pd}: wrong record type"
            )));
        }
        let pd_end = pd_rh.end(pd, doc.len(), PDW)?;
        // PowerPoint's order: …, PersistDirectoryAtom, UserEditAtom (the stream ends with the
        // UserEditAtom, possibly after four stale bytes a decryption left).
        if pd_end > ue || ue_end + 4 < doc.len() || doc[pd_end..ue].iter().any(|&b| b != 0) {
            return Err(Error::unsupported(
                "a presentation whose PersistDirectoryAtom and UserEditAtom are not its last records",
            ));
        }
        Ok(LastEdit {
            ue,
            ue_rh,
            ue_end,
            pd,
            pd_end,
            seed,
        })
    }

    /// Appends the CryptSession10Container (persist object `new_id`), the persist directory
    /// `dir` with it, and the UserEditAtom pointing at both. Returns the UserEditAtom's offset.
    fn append_session(
        &self,
        doc: &[u8],
        out: &mut Vec<u8>,
        header: &BinaryHeader,
        mut dir: BTreeMap<u32, usize>,
        new_id: u32,
    ) -> Result<usize> {
        let session = out.len();
        record(out, 0x000F, RT_CRYPT_SESSION10, &header.to_bytes());
        dir.insert(new_id, session);
        let new_pd = out.len();
        record(
            out,
            0x0000,
            RT_PERSIST_DIRECTORY_ATOM,
            &directory_body(&dir)?,
        );
        let new_ue = out.len();
        let mut ue_body = doc[self.ue + 8..self.ue_end].to_vec();
        ue_body[12..16].copy_from_slice(&u32::try_from(new_pd).map_err(too_big)?.to_le_bytes());
        ue_body[20..24].copy_from_slice(&self.seed.max(new_id).to_le_bytes());
        ue_body.extend_from_slice(&new_id.to_le_bytes());
        record(out, self.ue_rh.ver_inst, RT_USER_EDIT_ATOM, &ue_body);
        Ok(new_ue)
    }
}

/// One more than the highest id in use (PowerPoint's choice: its persistIdSeed is that id).
fn next_persist_id(dir: &BTreeMap<u32, usize>) -> Result<u32> {
    dir.keys()
        .copied()
        .max()
        .unwrap_or(0)
        .checked_add(1)
        .filter(|&id| id <= 0xF_FFFF)
        .ok_or_else(|| Error::malformed("persist ids beyond 20 bits"))
}

/// Encrypts the plain persist object `pid` at `off` in `out` (record header included) with one
/// RC4 stream keyed by `block_key(pid)`.
fn encrypt_record(out: &mut [u8], pid: u32, off: usize, key: &BinaryKey) -> Result<()> {
    let h: [u8; 8] = off
        .checked_add(8)
        .and_then(|e| out.get(off..e))
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| {
            Error::malformed(format!(
                "persist object {pid}: offset {off} past the objects"
            ))
        })?;
    let end = Rh::parse(&h).end(off, out.len(), &format!("persist object {pid}"))?;
    Rc4::new(&key.block_key(pid)).apply(&mut out[off..end]);
    Ok(())
}

/// Encrypts again, in place, a presentation [`crate::ppt::decrypt_ppt`] decrypted from
/// `encrypted`: the same persist objects are encrypted with `sealing`'s key (the one that
/// decrypted them, from [`Sealing::reuse`]), the CryptSession10Container is written back at
/// its place from `sealing`'s header, the persist directory and UserEditAtom get their
/// session entry back and `Current User` the encrypted `headerToken`. Nothing is copied from
/// `encrypted` but the positions, so comparing the result with it checks every byte
/// PowerPoint wrote. `EncryptedSummary` is not rebuilt (the caller keeps the original's).
///
/// Errors: [`Error::Unsupported`] for a sealing other than RC4 CryptoAPI, or a directory
/// `decrypt_ppt` had to rewrite (the session was not the last offset of its entry);
/// [`Error::Malformed`] when `decrypted` does not match `encrypted`'s structures.
pub fn reseal_ppt(
    encrypted: &PptStreams<'_>,
    decrypted: &PptDecrypted,
    sealing: &Sealing,
) -> Result<PptEncrypted> {
    let (header, key) = rc4_cryptoapi(sealing)?;
    let at = locate(encrypted)?;
    let mut out = decrypted.powerpoint_document.clone();
    let (ue, id) = (at.ue, at.session_id);

    // UserEditAtom: recLen 0x20 and encryptSessionPersistIdRef.
    if at.ue_end > out.len() {
        return Err(Error::malformed("decrypted PowerPoint Document too short"));
    }
    put(&mut out, ue + 4, 0x20);
    put(&mut out, ue + 8 + 0x1C, id);
    restore_session_entry(&mut out, at.pd, id, at.cs)?;

    // CryptSession10Container at its place.
    let mut cs_rec = Vec::new();
    record(&mut cs_rec, 0x000F, RT_CRYPT_SESSION10, &header.to_bytes());
    out.get_mut(at.cs..at.cs + cs_rec.len())
        .ok_or_else(|| Error::malformed("CryptSession10Container past the stream end"))?
        .copy_from_slice(&cs_rec);

    // The persist objects decryption decrypted.
    for (&pid, &off) in &at.dir {
        if pid != id {
            encrypt_record(&mut out, pid, off, key)?;
        }
    }

    let mut current_user = decrypted.current_user.clone();
    if current_user.len() < 16 {
        return Err(Error::malformed("decrypted Current User too short"));
    }
    put(&mut current_user, 12, TOKEN_ENCRYPTED);
    let pictures = decrypted
        .pictures
        .as_deref()
        .map(|p| encrypt_pictures(p, &key.block_key(0)))
        .transpose()?;
    Ok(PptEncrypted {
        current_user,
        powerpoint_document: out,
        pictures,
    })
}

/// In the PersistDirectoryAtom at `pd`, the entry that ends just before the session `id`,
/// followed by the session's offset `cs` (the word decryption left outside it), takes it back.
fn restore_session_entry(out: &mut [u8], pd: usize, id: u32, cs: usize) -> Result<()> {
    const PDW: &str = "PersistDirectoryAtom";
    let pd_end = Rh::at(out, pd, PDW)?.end(pd, out.len(), PDW)?;
    let cs_word = u32::try_from(cs).map_err(too_big)?;
    let mut p = pd + 8;
    while p < pd_end {
        let w = u32_at(&out[..pd_end], p, PDW)?;
        let c = w >> 20;
        let next = p + 4 + 4 * c as usize;
        if (w & 0xF_FFFF) + c == id && u32_at(&out[..pd_end], next, PDW).ok() == Some(cs_word) {
            put(out, p, (w & 0xF_FFFF) | ((c + 1) << 20));
            return Ok(());
        }
        p = next;
    }
    Err(Error::unsupported(
        "re-encrypting a presentation whose persist directory decryption rewrote",
    ))
}

fn put(b: &mut [u8], o: usize, v: u32) {
    b[o..o + 4].copy_from_slice(&v.to_le_bytes());
}

fn too_big(_: std::num::TryFromIntError) -> Error {
    Error::malformed("PowerPoint Document stream beyond 4 GiB")
}

fn record(out: &mut Vec<u8>, ver_inst: u16, rec_type: u16, body: &[u8]) {
    out.extend_from_slice(&ver_inst.to_le_bytes());
    out.extend_from_slice(&rec_type.to_le_bytes());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
}

/// The persist directory: id → offset (a later entry replaces an earlier one).
fn directory(doc: &[u8], pd: usize, pd_end: usize) -> Result<BTreeMap<u32, usize>> {
    Ok(directory_map(&directory_entries(doc, pd, pd_end)?))
}

/// A PersistDirectoryAtom body: runs of consecutive ids, each one entry.
fn directory_body(dir: &BTreeMap<u32, usize>) -> Result<Vec<u8>> {
    let mut runs: Vec<(u32, Vec<u32>)> = Vec::new();
    for (&id, &off) in dir {
        let off = u32::try_from(off).map_err(too_big)?;
        match runs.last_mut() {
            Some((start, offs)) if *start + offs.len() as u32 == id && offs.len() < 0xFFF => {
                offs.push(off)
            }
            _ => runs.push((id, vec![off])),
        }
    }
    let mut body = Vec::new();
    for (start, offs) in runs {
        body.extend_from_slice(&(start | (offs.len() as u32) << 20).to_le_bytes());
        for o in offs {
            body.extend_from_slice(&o.to_le_bytes());
        }
    }
    Ok(body)
}

/// Encrypts the `Pictures` stream: per blip, the header and each field with a fresh keystream.
fn encrypt_pictures(pics: &[u8], k0: &[u8]) -> Result<Vec<u8>> {
    const W: &str = "Pictures stream";
    let enc = |buf: &mut [u8]| Rc4::new(k0).apply(buf);
    let mut out = pics.to_vec();
    let mut p = 0usize;
    while p < out.len() {
        if out.len() - p < 8 {
            return Err(Error::malformed(format!("{W}: truncated record at {p}")));
        }
        let rh = Rh::parse(out[p..p + 8].try_into().expect("8"));
        let end = rh.end(p, out.len(), W)?;
        let fields = blip_fields(&rh, p)?;
        enc(&mut out[p..p + 8]);
        let mut q = p + 8;
        for n in fields {
            if end - q < n {
                return Err(Error::malformed(format!(
                    "{W}: blip at {p} shorter than its header"
                )));
            }
            enc(&mut out[q..q + n]);
            q += n;
        }
        enc(&mut out[q..end]);
        p = end;
    }
    Ok(out)
}
