//! Microsoft sensitivity labels (MIP) as typed values, for docseal.
//!
//! Office stores a document's labels in two schemes side by side:
//!
//! * **custom properties** — `MSIP_Label_{id}_Enabled`, `_SiteId`, `_Method`… in
//!   `docProps/custom.xml` (and in the user-defined property set of binary files);
//! * **LabelInfo** — a `clbl:labelList` XML document ([MS-OFFCRYPTO] 2.6.4) in the
//!   `docMetadata/LabelInfo.xml` part, or in a `LabelInfo` stream of an IRM container.
//!
//! The crate has three layers, all free of I/O:
//!
//! * the model: [`Label`], [`Guid`] (spelled as each scheme wants), [`Method`], [`ContentBits`];
//! * the two documents, each parsed and edited losslessly — [`CustomProperties`] and
//!   [`LabelInfo`] keep their original bytes and change only the elements that change, so a
//!   relabelled part differs from the original only where the label is;
//! * the rules: [`LabelLocations`] gathers what each location holds, applies the 2.6.3 read
//!   precedence ([`LabelLocations::effective`]) and chooses where a new label goes
//!   ([`LabelLocations::scheme_for`]).
//!
//! Packages, compound files and encryption are the business of the `docseal` crate, which uses
//! this one to read and write the parts.
//!
//! ```
//! use docseal_labels::{CustomProperties, Label, LabelInfo, LabelLocations, XmlLimits};
//! let part = br#"<?xml version="1.0" encoding="utf-8" standalone="yes"?><clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata"><clbl:label id="{3a6c1e7e-2f4b-4c8e-9d61-0123456789ab}" enabled="1" method="Privileged" siteId="{5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817}" contentBits="0" removed="0" /></clbl:labelList>"#;
//! let info = LabelInfo::parse(part, &XmlLimits::default()).unwrap();
//! let found = LabelLocations { label_info_part: Some(info.labels()), ..Default::default() };
//! assert_eq!(found.effective()[0].label.method.as_ref().unwrap().as_str(), "Privileged");
//! ```

#![forbid(unsafe_code)]

pub mod custom;
mod error;
mod guid;
mod label;
pub mod label_info;
mod resolve;
mod xml;

pub use custom::{CustomProperties, CustomProperty};
pub use error::{Error, Result};
pub use guid::Guid;
pub use label::{ContentBits, Label, Method};
pub use label_info::LabelInfo;
pub use resolve::{Found, LabelLocations, Location, Scheme};
pub use xml::XmlLimits;
