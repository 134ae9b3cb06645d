//! The per-file pipelines of `scan`, `protect` and `unprotect`, and the tree runners that feed
//! them the files of a walk.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::classify::{classify_file, Classification, Failure, Protection};
use super::walk::{walk, Found, SkipReason};
use super::{lanes, run_grouped, SpinBatch};
use crate::labels::LabelChanges;
use crate::{Credentials, DecryptOptions, EncryptOptions, Error, IntegrityStatus, Limits};
use crate::{Password, Result};

/// What `scan` found at one path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanRecord {
    /// The path as walked.
    pub path: PathBuf,
    /// The result.
    pub result: ScanResult,
}

/// A scanned path: classified, passed over, or unreadable.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScanResult {
    /// A file and what protects it.
    Classified(Box<Classification>),
    /// A symbolic link not followed.
    Skipped(SkipReason),
    /// The file could not be classified.
    Unreadable(Failure),
}

/// Scans `roots` on `jobs` groups of threads. With a password in `credentials`, encrypted
/// packages are opened too, their spin loops batched across files. `done` is called after
/// each path (for a progress bar); the records are in path order.
pub fn scan_tree(
    roots: &[PathBuf],
    follow: bool,
    credentials: &Credentials,
    limits: &Limits,
    jobs: usize,
    done: impl Fn(&ScanRecord) + Sync,
) -> Vec<ScanRecord> {
    let entries = walk(roots, follow);
    let width = if credentials.password_ref().is_some() {
        lanes()
    } else {
        1
    };
    run_grouped(
        &entries,
        jobs,
        width,
        |entry, batch| {
            let result = match &entry.found {
                Found::File => {
                    let creds = credentials.clone().with_spin_loop(batch.clone());
                    match classify_file(&entry.path, &creds, limits) {
                        Ok(c) => ScanResult::Classified(Box::new(c)),
                        Err(e) => ScanResult::Unreadable(Failure::from(&e)),
                    }
                }
                Found::Skipped(why) => ScanResult::Skipped(*why),
                Found::Unreadable(why) => ScanResult::Unreadable(io_failure(why)),
            };
            ScanRecord {
                path: entry.path.clone(),
                result,
            }
        },
        done,
    )
}

fn io_failure(reason: &str) -> Failure {
    Failure {
        exit_code: 1,
        class: "io",
        reason: reason.to_string(),
    }
}

/// How `protect` treats a tree.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ProtectOptions {
    /// The password every output gets (with recipients, optional).
    pub password: Option<Password>,
    /// Cipher, hash, spin count and recipients of the outputs ([`EncryptOptions::recipient`]).
    pub encrypt: EncryptOptions,
    /// Labels applied to every plain file before encryption (and to protected files with
    /// `relabel`).
    pub labels: Option<LabelChanges>,
    /// Copy files that are not Office files (otherwise they are skipped).
    pub copy_other: bool,
    /// Relabel files that are already protected (otherwise they are copied as they are).
    pub relabel: bool,
    /// Follow symbolic links out of the tree.
    pub follow: bool,
    /// Groups of threads.
    pub jobs: usize,
    /// Limits for reading inputs.
    pub limits: Limits,
    /// Reproducible outputs: each file's salts and keys from this seed and its relative path
    /// ([`file_seed`]). For tests only; feature `test-util`.
    #[cfg(feature = "test-util")]
    pub insecure_seed_for_tests: Option<u64>,
}

impl ProtectOptions {
    /// Protection with `password` and Office's profile, one group per core, nothing copied.
    pub fn new(password: Option<Password>) -> ProtectOptions {
        ProtectOptions {
            password,
            encrypt: EncryptOptions::default(),
            labels: None,
            copy_other: false,
            relabel: false,
            follow: false,
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            limits: Limits::default(),
            #[cfg(feature = "test-util")]
            insecure_seed_for_tests: None,
        }
    }

    fn credentials(&self, batch: &Arc<SpinBatch>) -> Credentials {
        let creds = match &self.password {
            Some(p) => Credentials::none().with_password_value(p.clone()),
            None => Credentials::none(),
        };
        creds.with_spin_loop(batch.clone())
    }
}

/// The seed of one file of a seeded run: FNV-1a over the seed and the relative path, so a
/// file's output does not depend on the order files are processed in.
pub fn file_seed(seed: u64, relative: &Path) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in seed
        .to_le_bytes()
        .iter()
        .chain(relative.to_string_lossy().as_bytes())
    {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// What happened to one file of `protect` or `unprotect`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Encrypted into the output.
    Encrypted,
    /// Decrypted into the output (integrity checked first).
    Decrypted,
    /// An already-protected file relabelled into the output.
    Relabelled,
    /// Copied as it is.
    Copied(CopyReason),
    /// The output existed and verified (a resumed run): left as it was.
    Kept,
    /// Not written.
    Skipped(Skip),
    /// Failed; nothing written.
    Failed(Failure),
}

impl Action {
    /// A short machine name: `encrypted`, `decrypted`, `relabelled`, `copied`, `kept`,
    /// `skipped`, `failed`.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Encrypted => "encrypted",
            Action::Decrypted => "decrypted",
            Action::Relabelled => "relabelled",
            Action::Copied(_) => "copied",
            Action::Kept => "kept",
            Action::Skipped(_) => "skipped",
            Action::Failed(_) => "failed",
        }
    }
}

/// Why a file was copied unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyReason {
    /// It is protected already (protect) or not protected (unprotect).
    AsIs,
    /// It is not an Office file (`--copy-other`).
    Other,
}

/// Why a file was not written.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Skip {
    /// Not an Office file, and `--copy-other` not given.
    NotOffice,
    /// A symbolic link not followed.
    Walk(SkipReason),
    /// An Office 97-2003 file while the run asks for recipients or labels: these formats are
    /// encrypted with a password only (their schemes have no certificates and no labels).
    LegacyPasswordOnly {
        /// Word, Excel or PowerPoint.
        format: crate::LegacyFormat,
    },
    /// Rights-managed: opening it needs the rights service's content key.
    RightsManaged,
}

impl Skip {
    /// Why, in words.
    pub fn reason(&self) -> String {
        match self {
            Skip::NotOffice => "not an Office file (--copy-other copies it)".into(),
            Skip::Walk(w) => w.name().into(),
            Skip::LegacyPasswordOnly { format } => format!(
                "Office 97-2003 {format}: encrypted with a password only (no recipients, no labels)"
            ),
            Skip::RightsManaged => "rights-managed: needs the rights service's content key".into(),
        }
    }
}

/// One file of a `protect` or `unprotect` run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The path relative to SRC (and DST).
    pub relative: PathBuf,
    /// What the source was, when it could be told.
    pub source: Option<Protection>,
    /// What was done.
    pub action: Action,
}

/// What `protect` does with a source file, decided from its classification alone.
enum Plan {
    /// Encrypt with this writer of the file's format.
    Encrypt(Encryptor),
    Relabel,
    Copy(CopyReason),
    Skip(Skip),
}

/// Encrypts an input of one format into an output (see [`encrypt_package`]).
type Encryptor = fn(&mut File, &mut File, Option<&Password>, &EncryptOptions) -> Result<()>;

/// OOXML packages (Agile encryption in Office's envelope) and Office 97-2003 files (their own
/// scheme): [`crate::encrypt_for`] tells them apart.
fn encrypt_package(
    input: &mut File,
    out: &mut File,
    password: Option<&Password>,
    options: &EncryptOptions,
) -> Result<()> {
    crate::encrypt_for(input, out, password, options).map(drop)
}

fn protect_plan(p: &Protection, options: &ProtectOptions) -> Plan {
    match p {
        Protection::Plain => Plan::Encrypt(encrypt_package),
        // Office 97-2003 files get their own scheme (RC4 CryptoAPI), which `encrypt_for`
        // chooses for them; it takes a password and nothing else.
        Protection::Legacy {
            format,
            scheme: None,
        } => {
            if options.password.is_some()
                && options.labels.is_none()
                && !options.encrypt.has_recipients()
            {
                Plan::Encrypt(encrypt_package)
            } else {
                Plan::Skip(Skip::LegacyPasswordOnly { format: *format })
            }
        }
        p if p.is_protected() => match (&options.labels, options.relabel) {
            (Some(_), true) => Plan::Relabel,
            _ => Plan::Copy(CopyReason::AsIs),
        },
        _ if options.copy_other => Plan::Copy(CopyReason::Other),
        _ => Plan::Skip(Skip::NotOffice),
    }
}

/// Protects one file: `src` into `dst` (see [`protect_tree`]); `relative` names it in the
/// record and seeds a seeded run. A `dst` that exists and verifies is kept.
pub fn protect_file(
    src: &Path,
    dst: &Path,
    relative: &Path,
    options: &ProtectOptions,
    batch: &Arc<SpinBatch>,
) -> Record {
    let creds = options.credentials(batch);
    let source = match classify_file(src, &Credentials::none(), &options.limits) {
        Ok(c) => c.protection,
        Err(e) => return record(relative, None, Action::Failed(Failure::from(&e))),
    };
    let action = match protect_plan(&source, options) {
        Plan::Skip(why) => Action::Skipped(why),
        plan => match run_plan(&plan, src, dst, relative, options, &creds) {
            Ok(action) => action,
            Err(e) => Action::Failed(Failure::from(&e)),
        },
    };
    record(relative, Some(source), action)
}

fn record(relative: &Path, source: Option<Protection>, action: Action) -> Record {
    Record {
        relative: relative.to_path_buf(),
        source,
        action,
    }
}

fn run_plan(
    plan: &Plan,
    src: &Path,
    dst: &Path,
    relative: &Path,
    options: &ProtectOptions,
    creds: &Credentials,
) -> Result<Action> {
    // The relative path only seeds a seeded run.
    #[cfg(not(feature = "test-util"))]
    let _ = relative;
    let mut input = File::open(src)?;
    let modified = input.metadata()?.modified()?;
    if let Some(parent) = dst.parent() {
        std::fs::create_dir_all(parent)?;
    }
    if dst.exists() && output_verifies(plan, &mut input, dst, options, creds) {
        return Ok(Action::Kept);
    }
    input.seek(SeekFrom::Start(0))?;
    crate::write_atomically(dst, |out| {
        let action = match plan {
            Plan::Encrypt(encrypt) => {
                let mut opts = options.encrypt.clone().spin_loop(batch_of(creds));
                if let Some(changes) = &options.labels {
                    opts = opts.labels(changes.clone());
                }
                #[cfg(feature = "test-util")]
                if let Some(seed) = options.insecure_seed_for_tests {
                    opts = opts.seeded_for_tests(file_seed(seed, relative));
                }
                encrypt(&mut input, out, options.password.as_ref(), &opts)?;
                Action::Encrypted
            }
            Plan::Relabel => {
                let changes = options.labels.clone().unwrap_or_default();
                crate::labels::relabel(&mut input, &mut *out, creds, &changes, &options.limits)?;
                Action::Relabelled
            }
            Plan::Copy(why) => {
                std::io::copy(&mut input, out)?;
                Action::Copied(*why)
            }
            Plan::Skip(why) => Action::Skipped(why.clone()),
        };
        out.set_modified(modified)?;
        Ok(action)
    })
}

fn batch_of(creds: &Credentials) -> Arc<dyn docseal_crypto::SpinLoop> {
    creds.spin_loop_arc()
}

/// Whether an existing output is what `plan` would write: an encrypted file that the password
/// opens with its integrity intact (or, for recipients only, that names every recipient), or
/// a byte-for-byte copy. A relabelled output is always redone.
fn output_verifies(
    plan: &Plan,
    input: &mut File,
    dst: &Path,
    options: &ProtectOptions,
    creds: &Credentials,
) -> bool {
    let Ok(mut out) = File::open(dst) else {
        return false;
    };
    match plan {
        Plan::Encrypt(_) if options.password.is_some() => {
            let opts = DecryptOptions {
                limits: options.limits.clone(),
                ..Default::default()
            };
            matches!(
                crate::verify(&mut out, creds, &opts),
                Ok(r) if r.integrity == IntegrityStatus::Verified
            )
        }
        Plan::Encrypt(_) => {
            let wanted = options.encrypt.recipient_fingerprints();
            match super::classify::classify(&mut out, &Credentials::none(), &options.limits) {
                Ok(c) => match c.protection {
                    Protection::Agile { recipients, .. } => {
                        !wanted.is_empty() && wanted.iter().all(|w| recipients.contains(w))
                    }
                    _ => false,
                },
                Err(_) => false,
            }
        }
        Plan::Copy(_) => same_bytes(input, &mut out).unwrap_or(false),
        Plan::Relabel | Plan::Skip(_) => false,
    }
}

fn same_bytes(a: &mut File, b: &mut File) -> std::io::Result<bool> {
    if a.metadata()?.len() != b.metadata()?.len() {
        return Ok(false);
    }
    a.seek(SeekFrom::Start(0))?;
    let (mut x, mut y) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = crate::sniff::read_up_to(a, &mut x)?;
        let m = crate::sniff::read_up_to(b, &mut y)?;
        if n != m || x[..n] != y[..m] {
            return Ok(false);
        }
        if n == 0 {
            return Ok(true);
        }
    }
}

/// Mirrors `src` into `dst` (see the README, `docseal protect`): every plain Office file
/// encrypted, protected ones copied (or relabelled), other files copied or skipped, relative
/// paths and modification times kept, each output atomic. `done` is called after each file;
/// the records are in path order.
pub fn protect_tree(
    src: &Path,
    dst: &Path,
    options: &ProtectOptions,
    done: impl Fn(&Record) + Sync,
) -> Result<Vec<Record>> {
    let entries = tree_entries(src, dst, options.follow)?;
    Ok(run_grouped(
        &entries,
        options.jobs,
        lanes(),
        |entry, batch| match &entry.found {
            Found::File => protect_file(
                &entry.path,
                &dst.join(&entry.relative),
                &entry.relative,
                options,
                batch,
            ),
            other => walk_record(&entry.relative, other),
        },
        done,
    ))
}

fn walk_record(relative: &Path, found: &Found) -> Record {
    let action = match found {
        Found::Skipped(why) => Action::Skipped(Skip::Walk(*why)),
        Found::Unreadable(why) => Action::Failed(io_failure(why)),
        Found::File => Action::Failed(io_failure("unexpected file")),
    };
    record(relative, None, action)
}

/// The walk of SRC, refusing a DST inside SRC (its outputs would be walked) or equal to it.
fn tree_entries(src: &Path, dst: &Path, follow: bool) -> Result<Vec<super::Entry>> {
    if !std::fs::metadata(src)?.is_dir() {
        return Err(Error::InvalidArgument(format!(
            "{} is not a folder",
            src.display()
        )));
    }
    std::fs::create_dir_all(dst)?;
    let (s, d) = (std::fs::canonicalize(src)?, std::fs::canonicalize(dst)?);
    if d.starts_with(&s) || s.starts_with(&d) {
        return Err(Error::InvalidArgument(format!(
            "{} and {} overlap: DST must be outside SRC",
            src.display(),
            dst.display()
        )));
    }
    Ok(walk(&[src.to_path_buf()], follow))
}

/// Decrypts one file: `src` into `dst` with the password in `credentials` (integrity first);
/// files without encryption are copied when `copy_other`, rights-managed ones skipped.
pub fn unprotect_file(
    src: &Path,
    dst: &Path,
    relative: &Path,
    credentials: &Credentials,
    copy_other: bool,
    limits: &Limits,
) -> Record {
    let source = match classify_file(src, &Credentials::none(), limits) {
        Ok(c) => c.protection,
        Err(e) => return record(relative, None, Action::Failed(Failure::from(&e))),
    };
    let plan = match &source {
        Protection::RightsManaged { .. } => Err(Skip::RightsManaged),
        p if p.is_protected() => Ok(None),
        Protection::NotOffice if !copy_other => Err(Skip::NotOffice),
        Protection::NotOffice => Ok(Some(CopyReason::Other)),
        _ => Ok(Some(CopyReason::AsIs)),
    };
    let action = match plan {
        Err(why) => Action::Skipped(why),
        Ok(copy) => match decrypt_or_copy(src, dst, copy, credentials, limits) {
            Ok(a) => a,
            Err(e) => Action::Failed(Failure::from(&e)),
        },
    };
    record(relative, Some(source), action)
}

fn decrypt_or_copy(
    src: &Path,
    dst: &Path,
    copy: Option<CopyReason>,
    credentials: &Credentials,
    limits: &Limits,
) -> Result<Action> {
    let mut input = File::open(src)?;
    let modified = input.metadata()?.modified()?;
    if let Some(parent) = dst.parent() {
        std::fs::create_dir_all(parent)?;
    }
    crate::write_atomically(dst, |out| {
        let action = match copy {
            Some(why) => {
                std::io::copy(&mut input, out)?;
                Action::Copied(why)
            }
            None => {
                let opts = DecryptOptions {
                    limits: limits.clone(),
                    ..Default::default()
                };
                crate::decrypt(&mut input, &mut *out, credentials, &opts)?;
                Action::Decrypted
            }
        };
        out.set_modified(modified)?;
        Ok(action)
    })
}

/// The reverse of [`protect_tree`]: every encrypted file of `src` decrypted into `dst`
/// (integrity first, per file), the spin loops batched across files.
pub fn unprotect_tree(
    src: &Path,
    dst: &Path,
    password: &Password,
    copy_other: bool,
    jobs: usize,
    limits: &Limits,
    done: impl Fn(&Record) + Sync,
) -> Result<Vec<Record>> {
    let entries = tree_entries(src, dst, false)?;
    Ok(run_grouped(
        &entries,
        jobs,
        lanes(),
        |entry, batch| match &entry.found {
            Found::File => {
                let creds = Credentials::none()
                    .with_password_value(password.clone())
                    .with_spin_loop(batch.clone());
                unprotect_file(
                    &entry.path,
                    &dst.join(&entry.relative),
                    &entry.relative,
                    &creds,
                    copy_other,
                    limits,
                )
            }
            other => walk_record(&entry.relative, other),
        },
        done,
    ))
}
