//! The library's reports as the JSON the CLI prints: one line, keys in sorted order (the order
//! `docseal` has always printed, which scripts may compare byte for byte).

/// `report` as one line of JSON with its object keys sorted.
pub fn line<T: serde::Serialize>(report: &T) -> String {
    value(report).to_string()
}

/// `report` as a JSON value (objects keep their keys sorted).
pub fn value<T: serde::Serialize>(report: &T) -> serde_json::Value {
    serde_json::to_value(report).unwrap_or_default()
}
