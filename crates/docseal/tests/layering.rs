//! The facade's modules import one another without a cycle (ARCHITECTURE.md, "Layering in the
//! facade"): every `crate::MODULE` path outside a module's unit tests is an edge, and the graph
//! they form over `src/` has no cycle through decryption, encryption, rights management,
//! labels or the shared pieces below them.
//!
//! What is counted: `crate::module::..` paths and `use crate::{module::..}` groups. Public
//! re-exports (`pub use crate::..`) are names kept at their old paths, not dependencies, and
//! paths through the crate root (`crate::Credentials`) name no module, so neither is an edge.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The modules whose imports must form no cycle (and everything they reach).
const LAYERED: &[&str] = &[
    "credentials",
    "container",
    "clock",
    "described",
    "irm",
    "decrypt",
    "labels",
    "encrypt",
    "relabel",
];

/// `src/` module name -> source text, without its `#[cfg(test)] mod tests` block.
fn modules(src: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        let (name, file) = if path.is_dir() {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                path.join("mod.rs"),
            )
        } else if path.extension().is_some_and(|e| e == "rs") {
            (
                path.file_stem().unwrap().to_string_lossy().into_owned(),
                path.clone(),
            )
        } else {
            continue;
        };
        if name == "lib" || !file.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap()
            .to_string();
        out.insert(name, code);
    }
    out
}

/// The identifiers `text` follows with `::` after `crate::` (directly or in a `use crate::{..}`
/// group), skipping comments and public re-exports.
fn referenced(text: &str) -> BTreeSet<String> {
    let mut code = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("//") || t.starts_with("pub use crate::") {
            continue;
        }
        code.push_str(line);
        code.push('\n');
    }
    let mut names = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find("};").unwrap_or(group.len())];
            for part in group.split(|c: char| c == ',' || c == '{' || c.is_whitespace()) {
                if let Some((head, _)) = part.split_once("::") {
                    names.insert(head.to_string());
                }
            }
        } else {
            names.insert(ident(rest));
        }
    }
    names
}

#[test]
fn facade_modules_form_no_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    for name in LAYERED {
        assert!(modules.contains_key(*name), "no module {name} in src/");
    }
    let graph: BTreeMap<&str, BTreeSet<&str>> = modules
        .iter()
        .map(|(name, text)| {
            let edges = referenced(text)
                .into_iter()
                .filter_map(|r| modules.get_key_value(&r).map(|(k, _)| k.as_str()))
                .filter(|r| r != name)
                .collect();
            (name.as_str(), edges)
        })
        .collect();
    // A cycle passes through a module exactly when the module is reachable from itself: a
    // breadth-first walk from each layered module, remembering how each module was reached.
    // (Cycles elsewhere, such as `conform`'s dispatcher and its per-scheme halves, are not
    // this test's concern.)
    for start in LAYERED {
        let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue: std::collections::VecDeque<&str> =
            std::collections::VecDeque::from([*start]);
        while let Some(node) = queue.pop_front() {
            for next in &graph[node] {
                if *next == *start {
                    let mut cycle = vec![*start, node];
                    while let Some(prev) = came_from.get(cycle[cycle.len() - 1]) {
                        cycle.push(prev);
                    }
                    cycle[1..].reverse();
                    cycle.push(start);
                    panic!("import cycle: {}", cycle[1..].join(" -> "));
                }
                if !came_from.contains_key(next) {
                    came_from.insert(next, node);
                    queue.push_back(next);
                }
            }
        }
    }
    // The layering itself: the shared pieces depend on none of the four.
    for low in ["credentials", "container", "clock", "described"] {
        for high in ["decrypt", "encrypt", "irm", "labels", "relabel"] {
            assert!(!graph[low].contains(high), "{low} imports {high}");
        }
    }
}
