//! Resource limits for reading untrusted files.

/// Every limit docseal applies to input, with its default.
///
/// ```
/// let mut limits = docseal::Limits::default();
/// limits.max_spin_count = 1_000_000; // refuse files that cost more than ~1 s to open
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Highest Agile `spinCount` accepted (default 10,000,000, the schema's maximum).
    pub max_spin_count: u32,
    /// Largest `EncryptionInfo` stream read (default 1 MiB).
    pub max_encryption_info_size: u64,
    /// Largest declared package size (default: unlimited, `u64::MAX`; the compound file bounds it).
    pub max_package_size: u64,
    /// Most directory entries in a compound file (default 65,536).
    pub max_directory_entries: u32,
    /// Deepest storage nesting (default 32).
    pub max_storage_depth: u32,
    /// Deepest XML nesting in `EncryptionInfo` (default 16).
    pub max_xml_depth: usize,
    /// Most key encryptors in one file (default 256).
    pub max_key_encryptors: usize,
    /// Most entries in a zip package (default 65,535).
    pub max_zip_entries: usize,
    /// Largest zip part decompressed into memory, e.g. `[Content_Types].xml` or a label part
    /// (default 64 MiB); larger parts are only ever copied raw.
    pub max_part_size: u64,
    /// Highest compression ratio accepted when decompressing a part (default 1000:1).
    pub max_compression_ratio: u64,
    /// Largest label XML (`LabelInfo`, `docProps/custom.xml`) parsed (default 16 MiB).
    pub max_label_xml_size: usize,
    /// Largest `\x05DocumentSummaryInformation` property set read (default 4 MiB).
    pub max_property_set_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_spin_count: docseal_crypto::DEFAULT_MAX_SPIN_COUNT,
            max_encryption_info_size: 1 << 20,
            max_package_size: u64::MAX,
            max_directory_entries: 65_536,
            max_storage_depth: 32,
            max_xml_depth: 16,
            max_key_encryptors: 256,
            max_zip_entries: 65_535,
            max_part_size: 64 << 20,
            max_compression_ratio: 1000,
            max_label_xml_size: 16 << 20,
            max_property_set_size: 4 << 20,
        }
    }
}

impl Limits {
    pub(crate) fn ole(&self) -> docseal_ole::Limits {
        let mut l = docseal_ole::Limits::default();
        l.max_directory_entries = self.max_directory_entries;
        l.max_storage_depth = self.max_storage_depth;
        l
    }

    pub(crate) fn xml(&self) -> docseal_crypto::XmlLimits {
        let mut l = docseal_crypto::XmlLimits::default();
        l.max_size = self.max_encryption_info_size as usize;
        l.max_depth = self.max_xml_depth;
        l.max_key_encryptors = self.max_key_encryptors;
        l
    }

    pub(crate) fn opc(&self) -> docseal_opc::Limits {
        let mut l = docseal_opc::Limits::default();
        l.max_entries = self.max_zip_entries;
        l.max_part_size = self.max_part_size;
        l.max_ratio = self.max_compression_ratio;
        l
    }

    pub(crate) fn label_xml(&self) -> docseal_labels::XmlLimits {
        let mut l = docseal_labels::XmlLimits::default();
        l.max_part_size = self.max_label_xml_size;
        l.max_depth = self.max_xml_depth.max(16) * 4;
        l
    }
}
