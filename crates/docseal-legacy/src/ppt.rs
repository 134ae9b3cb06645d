//! PowerPoint 97-2003 (`.ppt`) RC4 CryptoAPI decryption ([MS-PPT] 2.3.7, [MS-OFFCRYPTO]
//! 2.3.5), sans I/O: the caller reads the `Current User`, `PowerPoint Document` and
//! (optional) `Pictures` streams and writes back what [`decrypt_ppt`] returns.
//!
//! Layout of an encrypted presentation:
//!
//! - `Current User` holds the CurrentUserAtom: `headerToken` `0xF3D1C4DF` (encrypted; some
//!   WPS-made files say `0xE391C05F` anyway) and `offsetToCurrentEdit`.
//! - At that offset in `PowerPoint Document`, the UserEditAtom (recType `0x0FF5`, in clear) has
//!   recLen `0x20` instead of `0x1C`: the extra field `encryptSessionPersistIdRef` names the
//!   persist object holding the CryptSession10Container (recType `0x2F14`, in clear), whose
//!   body is the RC4 CryptoAPI EncryptionInfo.
//! - `offsetPersistDirectory` points at the PersistDirectoryAtom (recType `0x1772`, in clear),
//!   which maps persist ids to stream offsets. Every other persist object (header included)
//!   is encrypted with one RC4 stream keyed by `block_key(persist id)`, never re-keyed.
//! - `Pictures`: each blip record is encrypted with `block_key(0)`, the keystream restarting
//!   at every field (record header, each rgbUid, tag or metafile header, blip data).
//!
//! The output follows msoffcrypto-tool 6.1 (`format/ppt97.py`) byte for byte where that tool
//! is right, so that both produce the same streams:
//!
//! - `Current User`: only `headerToken` changes, to `0xE391C05F`.
//! - UserEditAtom: recLen `0x20` → `0x1C`, `encryptSessionPersistIdRef` → 0 (the 4 bytes stay,
//!   now outside the record; records are reached by offset, so nothing reads them).
//! - PersistDirectoryAtom: the entry holding the CryptSession10Container loses its last
//!   offset (cPersist − 1), recLen unchanged; the stale offset word is then read as an empty
//!   entry (persistId = offset, cPersist = 0), which is what msoffcrypto leaves too.
//! - The CryptSession10Container record is overwritten with zeros (stream size unchanged).
//!
//! Where msoffcrypto is wrong we follow PowerPoint / the spec ([MS-PPT] 2.3.7) instead:
//!
//! - msoffcrypto takes each persist object's length as "offset of the next directory entry
//!   minus this offset", which is only right when the directory is sorted by offset and the
//!   objects are contiguous. POI-made/PowerPoint files with unsorted directories (e.g.
//!   `Password_Protected-hello.ppt`) come out garbled from msoffcrypto (objects decrypted
//!   with the wrong key, the directory and UserEditAtom overwritten). We decrypt exactly
//!   `8 + recLen` bytes, recLen read from the decrypted header, as POI and PowerPoint do.
//! - msoffcrypto always decrements the first directory entry, even when the
//!   CryptSession10Container is in another entry (`Password_Protected-56-hello.ppt`), which
//!   drops a real slide from the directory. We decrement the entry that holds it. When it is
//!   not the last offset of its entry, or the stale word would not read as an empty entry
//!   (offset ≥ 2^20), we rewrite the atom compactly without it (recLen shrinks, the freed
//!   bytes are zeroed).
//! - msoffcrypto leaves the `Pictures` stream encrypted; we decrypt it (PowerPoint needs it).
//! - msoffcrypto rewrites `Current User` from its parsed fields and so fails on streams with
//!   trailing bytes (`cryptoapi-proc2356.ppt`); we patch the token in place.
//!
//! - Key sizes other than 40 and 128 bits (56-bit: `Password_Protected-56-hello.ppt`) use an
//!   RC4 key of keyLength bits, not one padded to 128 ([MS-OFFCRYPTO] 2.3.5.2, and what
//!   msoffcrypto does); `keys::BinaryKey::block_key` gives them at that length.
//!
//! The `EncryptedSummary` stream (encrypted property sets, [MS-OFFCRYPTO] 2.3.5.4) is
//! decrypted (see [`crate::summary`]): its streams come back in [`PptDecrypted::add_streams`]
//! (replacing the clear placeholder `\x05DocumentSummaryInformation`) and it is listed in
//! [`PptDecrypted::drop_streams`]. Incrementally saved encrypted files (more than one UserEditAtom) are rejected as
//! malformed: [MS-PPT] 2.3.7 says an encrypted stream has exactly one.

use docseal_bytes::u32_at;

use crate::keys::{BinaryHeader, BinaryKey, Rc4};
use crate::{Error, Result};

/// `CurrentUserAtom.headerToken` of an encrypted presentation.
pub const TOKEN_ENCRYPTED: u32 = 0xF3D1_C4DF;
/// `CurrentUserAtom.headerToken` of a plain presentation.
pub const TOKEN_PLAIN: u32 = 0xE391_C05F;

pub(crate) const RT_CURRENT_USER_ATOM: u16 = 0x0FF6;
pub(crate) const RT_USER_EDIT_ATOM: u16 = 0x0FF5;
pub(crate) const RT_PERSIST_DIRECTORY_ATOM: u16 = 0x1772;
pub(crate) const RT_CRYPT_SESSION10: u16 = 0x2F14;

/// The input streams of an encrypted `.ppt` (bytes as read from the compound file).
#[derive(Clone, Copy, Debug)]
pub struct PptStreams<'a> {
    /// `Current User`.
    pub current_user: &'a [u8],
    /// `PowerPoint Document`.
    pub powerpoint_document: &'a [u8],
    /// `Pictures`, if present.
    pub pictures: Option<&'a [u8]>,
    /// `EncryptedSummary`, if present (not decrypted; see the module docs).
    pub encrypted_summary: Option<&'a [u8]>,
}

/// What to write into the plain compound file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PptDecrypted {
    /// New `Current User` (same size).
    pub current_user: Vec<u8>,
    /// New `PowerPoint Document` (same size).
    pub powerpoint_document: Vec<u8>,
    /// New `Pictures` (same size), if the input had one.
    pub pictures: Option<Vec<u8>>,
    /// Root-level streams to remove from the output (`EncryptedSummary` when present).
    pub drop_streams: Vec<String>,
    /// Root-level streams recovered from `EncryptedSummary` (name, bytes): they replace a
    /// placeholder of the same name or are added.
    pub add_streams: Vec<(String, Vec<u8>)>,
}

fn put_u32(b: &mut [u8], o: usize, v: u32) {
    b[o..o + 4].copy_from_slice(&v.to_le_bytes());
}

/// A record header: (recVerInstance, recType, recLen).
pub(crate) struct Rh {
    pub(crate) ver_inst: u16,
    pub(crate) rec_type: u16,
    pub(crate) rec_len: u32,
}

impl Rh {
    pub(crate) fn parse(h: &[u8; 8]) -> Rh {
        Rh {
            ver_inst: u16::from_le_bytes([h[0], h[1]]),
            rec_type: u16::from_le_bytes([h[2], h[3]]),
            rec_len: u32::from_le_bytes([h[4], h[5], h[6], h[7]]),
        }
    }

    pub(crate) fn at(b: &[u8], o: usize, what: &str) -> Result<Rh> {
        let s = o
            .checked_add(8)
            .and_then(|e| b.get(o..e))
            .ok_or_else(|| Error::malformed(format!("{what}: record header truncated at {o}")))?;
        Ok(Rh::parse(s.try_into().expect("8 bytes")))
    }

    pub(crate) fn instance(&self) -> u16 {
        self.ver_inst >> 4
    }

    /// End offset of the record at `o` in a stream of `len` bytes, checked.
    pub(crate) fn end(&self, o: usize, len: usize, what: &str) -> Result<usize> {
        o.checked_add(8)
            .and_then(|x| x.checked_add(self.rec_len as usize))
            .filter(|&e| e <= len)
            .ok_or_else(|| {
                Error::malformed(format!(
                    "{what} at {o}: length {} runs past the stream end ({len})",
                    self.rec_len
                ))
            })
    }
}

/// One PersistDirectoryEntry as found in the atom.
pub(crate) struct DirEntry {
    /// Offset of the entry's header word in the stream.
    pos: usize,
    persist_id: u32,
    offsets: Vec<u32>,
}

/// Where the encryption structures of an encrypted presentation are (all in clear).
pub(crate) struct Located {
    /// UserEditAtom: offset and end.
    pub(crate) ue: usize,
    pub(crate) ue_end: usize,
    /// PersistDirectoryAtom: offset and end.
    pub(crate) pd: usize,
    pub(crate) pd_end: usize,
    /// The directory's entries as stored, and the resulting map id → offset.
    entries: Vec<DirEntry>,
    pub(crate) dir: std::collections::BTreeMap<u32, usize>,
    /// `encryptSessionPersistIdRef`.
    pub(crate) session_id: u32,
    /// CryptSession10Container: offset and end.
    pub(crate) cs: usize,
    pub(crate) cs_end: usize,
    /// The header it holds and its stored length (from `cs + 8`).
    pub(crate) header: BinaryHeader,
    pub(crate) header_len: usize,
}

/// Follows CurrentUserAtom → UserEditAtom → PersistDirectoryAtom → CryptSession10Container.
pub(crate) fn locate(streams: &PptStreams<'_>) -> Result<Located> {
    let doc = streams.powerpoint_document;
    let current = CurrentUser::parse(streams.current_user)?;
    let ue = current.offset_to_current_edit;
    let edit = UserEdit::parse(doc, ue, current.token)?;
    let pd = edit.offset_persist_directory;
    let pd_end = persist_directory_end(doc, pd, (ue, edit.ue_end))?;
    let entries = directory_entries(doc, pd, pd_end)?;
    let dir = directory_map(&entries);
    let session_id = edit.session_id;
    let cs = *dir.get(&session_id).ok_or_else(|| {
        Error::malformed(format!(
            "encryptSessionPersistIdRef {session_id} is not in the persist directory"
        ))
    })?;
    let cs_end = crypt_session_end(doc, cs)?;
    let (header, header_len) = BinaryHeader::parse(&doc[cs + 8..cs_end])?;
    Ok(Located {
        ue,
        ue_end: edit.ue_end,
        pd,
        pd_end,
        entries,
        dir,
        session_id,
        cs,
        cs_end,
        header,
        header_len,
    })
}

/// The fields of the CurrentUserAtom that lead to the encryption.
struct CurrentUser {
    /// `headerToken`: encrypted or not.
    token: u32,
    /// Where the current UserEditAtom is in the PowerPoint Document stream.
    offset_to_current_edit: usize,
}

impl CurrentUser {
    const W: &'static str = "CurrentUserAtom";

    /// The CurrentUserAtom at the start of the Current User stream `cu`.
    fn parse(cu: &[u8]) -> Result<CurrentUser> {
        let rh = Rh::at(cu, 0, Self::W)?;
        if rh.rec_type != RT_CURRENT_USER_ATOM {
            return Err(Error::malformed(format!(
                "{}: recType {:#06x}, not 0x0FF6",
                Self::W,
                rh.rec_type
            )));
        }
        let size = u32_at(cu, 8, Self::W)?;
        if size != 0x14 {
            return Err(Error::malformed(format!(
                "{}: size {size:#x}, not 0x14",
                Self::W
            )));
        }
        Ok(CurrentUser {
            token: u32_at(cu, 12, Self::W)?,
            offset_to_current_edit: u32_at(cu, 16, Self::W)? as usize,
        })
    }
}

/// The fields of the UserEditAtom that lead to the encryption.
struct UserEdit {
    /// Where the atom ends.
    ue_end: usize,
    offset_persist_directory: usize,
    /// `encryptSessionPersistIdRef`.
    session_id: u32,
}

impl UserEdit {
    const W: &'static str = "UserEditAtom";

    /// The UserEditAtom at `ue` of `doc`, which must carry an `encryptSessionPersistIdRef`
    /// (`token`: the CurrentUserAtom's `headerToken`) and be the only one.
    fn parse(doc: &[u8], ue: usize, token: u32) -> Result<UserEdit> {
        const UEW: &str = UserEdit::W;
        let rh = Rh::at(doc, ue, UEW)?;
        if rh.rec_type != RT_USER_EDIT_ATOM {
            return Err(Error::malformed(format!(
                "{UEW} at {ue}: recType {:#06x}, not 0x0FF5",
                rh.rec_type
            )));
        }
        let ue_end = rh.end(ue, doc.len(), UEW)?;
        match rh.rec_len {
            0x20 => {}
            0x1C if token == TOKEN_ENCRYPTED => return Err(Error::malformed(
                "CurrentUserAtom says encrypted but the UserEditAtom has no encryptSessionPersistIdRef",
            )),
            0x1C => {
                return Err(Error::not_encrypted(
                    "the presentation is not encrypted (no encryptSessionPersistIdRef)",
                ))
            }
            n => {
                return Err(Error::malformed(format!(
                    "{UEW}: recLen {n:#x}, not 0x1C or 0x20"
                )))
            }
        }
        let offset_last_edit = u32_at(doc, ue + 8 + 8, UEW)?;
        let offset_persist_directory = u32_at(doc, ue + 8 + 12, UEW)? as usize;
        let session_id = u32_at(doc, ue + 8 + 0x1C, UEW)?;
        if offset_last_edit != 0 {
            return Err(Error::malformed(
                "encrypted presentation with more than one UserEditAtom (incremental save)",
            ));
        }
        Ok(UserEdit {
            ue_end,
            offset_persist_directory,
            session_id,
        })
    }
}

/// Where the PersistDirectoryAtom at `pd` of `doc` ends; it must not overlap the
/// UserEditAtom spanning `user_edit`.
fn persist_directory_end(doc: &[u8], pd: usize, user_edit: (usize, usize)) -> Result<usize> {
    const PDW: &str = "PersistDirectoryAtom";
    let rh = Rh::at(doc, pd, PDW)?;
    if rh.rec_type != RT_PERSIST_DIRECTORY_ATOM {
        return Err(Error::malformed(format!(
            "{PDW} at {pd}: recType {:#06x}, not 0x1772",
            rh.rec_type
        )));
    }
    let pd_end = rh.end(pd, doc.len(), PDW)?;
    let (ue, ue_end) = user_edit;
    if pd < ue_end && ue < pd_end {
        return Err(Error::malformed(format!(
            "{PDW} overlaps the {}",
            UserEdit::W
        )));
    }
    Ok(pd_end)
}

/// Where the CryptSession10Container at `cs` of `doc` ends.
fn crypt_session_end(doc: &[u8], cs: usize) -> Result<usize> {
    const CSW: &str = "CryptSession10Container";
    let rh = Rh::at(doc, cs, CSW)?;
    if rh.rec_type != RT_CRYPT_SESSION10 {
        return Err(Error::malformed(format!(
            "{CSW} at {cs}: recType {:#06x}, not 0x2F14",
            rh.rec_type
        )));
    }
    rh.end(cs, doc.len(), CSW)
}

/// The entries of the PersistDirectoryAtom spanning `pd..pd_end` of `doc`.
pub(crate) fn directory_entries(doc: &[u8], pd: usize, pd_end: usize) -> Result<Vec<DirEntry>> {
    const PDW: &str = "PersistDirectoryAtom";
    let mut entries: Vec<DirEntry> = Vec::new();
    let mut p = pd + 8;
    while p < pd_end {
        let w = u32_at(&doc[..pd_end], p, PDW)?;
        let c = (w >> 20) as usize;
        let body = p + 4;
        let end = body + 4 * c;
        if end > pd_end {
            return Err(Error::malformed(format!(
                "{PDW}: entry at {p} with {c} offsets runs past the atom"
            )));
        }
        let offsets = doc[body..end]
            .chunks_exact(4)
            .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
            .collect();
        entries.push(DirEntry {
            pos: p,
            persist_id: w & 0xF_FFFF,
            offsets,
        });
        p = end;
    }
    Ok(entries)
}

/// The directory: persist id → offset (a later pair replaces an earlier one).
pub(crate) fn directory_map(entries: &[DirEntry]) -> std::collections::BTreeMap<u32, usize> {
    let mut dir = std::collections::BTreeMap::new();
    for e in entries {
        for (i, &o) in e.offsets.iter().enumerate() {
            dir.insert(e.persist_id.wrapping_add(i as u32), o as usize);
        }
    }
    dir
}

/// The encryption header of an encrypted presentation, found without the password: the
/// header parsed from the CryptSession10Container and its bytes as stored.
///
/// Errors as [`decrypt_ppt`] (but never [`Error::WrongPassword`]).
pub fn encryption_header(streams: &PptStreams<'_>) -> Result<(BinaryHeader, Vec<u8>)> {
    let l = locate(streams)?;
    let raw = streams.powerpoint_document[l.cs + 8..l.cs + 8 + l.header_len].to_vec();
    Ok((l.header, raw))
}

/// Decrypts an RC4 CryptoAPI-encrypted presentation. See the module docs for what changes.
///
/// Errors: [`Error::WrongPassword`] when the verifier does not match; [`Error::NotEncrypted`]
/// when the presentation is not encrypted; [`Error::Unsupported`] when it uses something else
/// than RC4 CryptoAPI;
/// [`Error::Malformed`] when a structure is broken (never panics on hostile input).
pub fn decrypt_ppt(streams: &PptStreams<'_>, password: &str) -> Result<PptDecrypted> {
    let located = locate(streams)?;
    let BinaryHeader::CryptoApi(header) = &located.header else {
        return Err(Error::unsupported(
            "PowerPoint encryption header other than RC4 CryptoAPI",
        ));
    };
    let key = BinaryHeader::CryptoApi(header.clone()).unlock(password)?;
    let Located {
        ue,
        pd,
        entries,
        session_id,
        cs,
        cs_end,
        ..
    } = &located;
    let mut out = decrypt_persist_objects(streams.powerpoint_document, &located, &key)?;

    // Neutralise the CryptSession10Container and fix up the directory and UserEditAtom.
    out[*cs..*cs_end].fill(0);
    remove_from_directory(&mut out, *pd, entries, *session_id)?;
    put_u32(&mut out, ue + 4, 0x1C);
    put_u32(&mut out, ue + 8 + 0x1C, 0);

    // Current User: only the token changes.
    let mut current_user = streams.current_user.to_vec();
    put_u32(&mut current_user, 12, TOKEN_PLAIN);

    let pictures = match streams.pictures {
        Some(pics) => Some(decrypt_pictures(pics, &key)?),
        None => None,
    };
    let (drop_streams, add_streams) = match streams.encrypted_summary {
        Some(summary) => {
            let recovered = summary_streams(summary, &key)?;
            (vec!["EncryptedSummary".to_string()], recovered)
        }
        None => (Vec::new(), Vec::new()),
    };
    Ok(PptDecrypted {
        current_user,
        powerpoint_document: out,
        pictures,
        drop_streams,
        add_streams,
    })
}

/// A copy of the PowerPoint Document stream `doc` with every persist object but the
/// CryptSession10Container decrypted, each with its own block key; refuses records that
/// overlap each other or the structures `located` found.
fn decrypt_persist_objects(doc: &[u8], located: &Located, key: &BinaryKey) -> Result<Vec<u8>> {
    let mut out = doc.to_vec();
    let mut regions: Vec<(usize, usize)> = vec![
        (located.ue, located.ue_end),
        (located.pd, located.pd_end),
        (located.cs, located.cs_end),
    ];
    for (&pid, &off) in &located.dir {
        if pid == located.session_id {
            continue;
        }
        let mut h = [0u8; 8];
        h.copy_from_slice(
            off.checked_add(8)
                .and_then(|e| doc.get(off..e))
                .ok_or_else(|| {
                    Error::malformed(format!("persist object {pid}: offset {off} past the end"))
                })?,
        );
        let mut rc4 = Rc4::new(&key.block_key(pid));
        rc4.apply(&mut h);
        let end = Rh::parse(&h).end(off, doc.len(), &format!("persist object {pid}"))?;
        out[off..off + 8].copy_from_slice(&h);
        rc4.apply(&mut out[off + 8..end]);
        regions.push((off, end));
    }
    regions.sort_unstable();
    for w in regions.windows(2) {
        if w[1].0 < w[0].1 {
            return Err(Error::malformed(format!(
                "records at {} and {} overlap",
                w[0].0, w[1].0
            )));
        }
    }
    Ok(out)
}

/// Encrypted document properties: the real property sets recovered from `EncryptedSummary`,
/// which replace the placeholder.
fn summary_streams(summary: &[u8], key: &BinaryKey) -> Result<Vec<(String, Vec<u8>)>> {
    let recovered = crate::summary::decrypt_summary(summary, key)?;
    Ok(recovered
        .into_iter()
        .filter(|s| s.is_stream)
        .map(|s| (s.name, s.data))
        .collect())
}

/// Removes persist id `id` from the PersistDirectoryAtom at `pd` in `out` (see module docs).
fn remove_from_directory(out: &mut [u8], pd: usize, entries: &[DirEntry], id: u32) -> Result<()> {
    // The entry that defines `id` last (the one the directory lookup used).
    let Some(ei) = entries
        .iter()
        .rposition(|e| id >= e.persist_id && ((id - e.persist_id) as usize) < e.offsets.len())
    else {
        return Err(Error::malformed(
            "CryptSession10Container not in the directory",
        ));
    };
    let e = &entries[ei];
    let idx = (id - e.persist_id) as usize;
    let last = idx + 1 == e.offsets.len();
    if last && e.offsets[idx] >> 20 == 0 {
        // msoffcrypto's edit: cPersist − 1; the stale offset word reads as an empty entry.
        let c = (e.offsets.len() - 1) as u32;
        put_u32(out, e.pos, e.persist_id | (c << 20));
        return Ok(());
    }
    // General case: rewrite the atom without `id`, splitting its entry if needed.
    let mut words: Vec<u32> = Vec::new();
    for (j, e) in entries.iter().enumerate() {
        let mut runs: Vec<(u32, &[u32])> = Vec::new();
        if j == ei {
            if idx > 0 {
                runs.push((e.persist_id, &e.offsets[..idx]));
            }
            if idx + 1 < e.offsets.len() {
                runs.push((id + 1, &e.offsets[idx + 1..]));
            }
        } else {
            runs.push((e.persist_id, &e.offsets[..]));
        }
        for (pid, offs) in runs {
            if pid > 0xF_FFFF {
                return Err(Error::malformed("persist id beyond 20 bits"));
            }
            words.push(pid | ((offs.len() as u32) << 20));
            words.extend_from_slice(offs);
        }
    }
    let old_len = u32_at(out, pd + 4, "PersistDirectoryAtom")? as usize;
    let new_len = words.len() * 4;
    if new_len > old_len {
        // Splitting an entry adds a word; there is no room for it in place.
        return Err(Error::unsupported(
            "CryptSession10Container in the middle of a full persist directory entry",
        ));
    }
    put_u32(out, pd + 4, new_len as u32);
    let body = &mut out[pd + 8..pd + 8 + old_len];
    body.fill(0);
    for (k, w) in words.iter().enumerate() {
        body[4 * k..4 * k + 4].copy_from_slice(&w.to_le_bytes());
    }
    Ok(())
}

/// Decrypts the `Pictures` stream: a sequence of OfficeArt blip records, each field of which
/// is encrypted with a fresh `block_key(0)` keystream (what PowerPoint writes; found on the
/// corpus, where the result is valid PNG/JPEG data, and as in Apache POI).
fn decrypt_pictures(pics: &[u8], key: &BinaryKey) -> Result<Vec<u8>> {
    const W: &str = "Pictures stream";
    let k0 = key.block_key(0);
    let dec = |buf: &mut [u8]| Rc4::new(&k0).apply(buf);
    let mut out = pics.to_vec();
    let mut p = 0usize;
    while p < out.len() {
        if out.len() - p < 8 {
            return Err(Error::malformed(format!("{W}: truncated record at {p}")));
        }
        dec(&mut out[p..p + 8]);
        let rh = Rh::parse(out[p..p + 8].try_into().expect("8"));
        let end = rh.end(p, out.len(), W)?;
        let mut q = p + 8;
        for n in blip_fields(&rh, p)? {
            if end - q < n {
                return Err(Error::malformed(format!(
                    "{W}: blip at {p} shorter than its header"
                )));
            }
            dec(&mut out[q..q + n]);
            q += n;
        }
        dec(&mut out[q..end]);
        p = end;
    }
    Ok(out)
}

/// The lengths of the fields after a blip's record header that the keystream restarts at
/// (each rgbUid, then the metafile header or tag byte); the blip data follows.
pub(crate) fn blip_fields(rh: &Rh, p: usize) -> Result<Vec<usize>> {
    const W: &str = "Pictures stream";
    {
        let inst = rh.instance();
        // (single-uid instance, size of the field after the uids) per [MS-ODRAW] 2.2.23+.
        let (inst1, extra) = match rh.rec_type {
            0xF01A => (0x3D4, 34), // EMF: OfficeArtMetafileHeader
            0xF01B => (0x216, 34), // WMF
            0xF01C => (0x542, 34), // PICT
            0xF01D if inst == 0x46A || inst == 0x46B => (0x46A, 1), // JPEG (RGB)
            0xF01D => (0x6E2, 1),  // JPEG (CMYK)
            0xF01E => (0x6E0, 1),  // PNG
            0xF01F => (0x7A8, 1),  // DIB
            0xF029 => (0x6E4, 1),  // TIFF
            0xF02A => (0x6E2, 1),  // JPEG (CMYK, alternate type)
            t => {
                return Err(Error::unsupported(format!(
                    "{W}: record type {t:#06x} at {p} (only blips are handled)"
                )))
            }
        };
        let uids = if inst == inst1 + 1 { 2 } else { 1 };
        Ok((0..uids).map(|_| 16).chain([extra]).collect())
    }
}
