//! Mutating the compound file around an encrypted package: sector size, the sector order of
//! another Office era, an extra stream. The streams' bytes are unchanged, so the HMAC holds.

use docseal_ole::{LayoutStyle, Version};

use super::rng::Choices;
use crate::rebuild::{rewrite, Rewrite};
use crate::Result;

/// Names of extra root streams: one no reader knows, and the property sets Office writes
/// (with seeded bytes: a reader that parses them meets damage there).
const EXTRA_STREAMS: [&str; 3] = [
    "DocsealMutation",
    "\u{5}SummaryInformation",
    "\u{5}DocumentSummaryInformation",
];

/// `file` laid out again with seeded choices.
pub(super) fn mutate(file: &[u8], choices: &mut Choices) -> Result<Vec<u8>> {
    let version = *choices.pick(&[Version::V3, Version::V4]);
    let style = *choices.pick(&[
        LayoutStyle::Office2013,
        LayoutStyle::Office2010,
        LayoutStyle::Office2007,
    ]);
    let mut plan = Rewrite {
        version: Some(version),
        style,
        ..Rewrite::default()
    };
    if choices.below(2) == 0 {
        let name = *choices.pick(&EXTRA_STREAMS);
        // Below and above the mini-stream cut-off.
        let len = *choices.pick(&[0usize, 1, 100, 4095, 4096, 5000]);
        plan.add.push((name.to_string(), choices.bytes(len)));
    }
    rewrite(file, &plan)
}
