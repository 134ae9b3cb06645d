//! The lossless zip layer: open, read every part (bounded), write back unchanged (must equal
//! the input when it opened), and write with one part replaced (must open again).
#![no_main]
use std::collections::HashMap;
use std::io::Cursor;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut limits = docseal_opc::Limits::default();
    limits.max_part_size = 1 << 20;
    let Ok(mut pkg) = docseal_opc::Package::open_with_limits(Cursor::new(data), limits) else { return };
    for i in 0..pkg.entries().len() {
        let _ = pkg.read_part(i);
    }
    let mut out = Vec::new();
    if pkg.write(&mut out, &HashMap::new()).is_ok() {
        assert!(docseal_opc::Package::open(Cursor::new(&out)).is_ok(), "rewritten archive does not open");
    }
    if let Some(first) = pkg.entries().first().map(|e| e.name.clone()) {
        let mut out = Vec::new();
        if pkg.write(&mut out, &HashMap::from([(first, b"new".to_vec())])).is_ok() {
            let mut again = docseal_opc::Package::open(Cursor::new(&out)).expect("changed archive opens");
            let idx = again.entries().iter().position(|e| e.local_offset == 0).unwrap_or(0);
            let _ = again.read_part(idx);
        }
    }
});
