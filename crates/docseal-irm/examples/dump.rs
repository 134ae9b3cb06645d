use std::io::Read;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let mut c = cfb::open(&path).unwrap();
    let entries: Vec<_> = c
        .walk()
        .map(|e| (e.path().to_path_buf(), e.is_stream(), e.len()))
        .collect();
    for (p, s, l) in &entries {
        println!("{:?} stream={} len={}", p, s, l);
    }
    let out = std::path::Path::new("/tmp/irmdump");
    std::fs::create_dir_all(out).unwrap();
    for (i, (p, s, _)) in entries.iter().enumerate() {
        if *s {
            let mut v = Vec::new();
            c.open_stream(p).unwrap().read_to_end(&mut v).unwrap();
            let name = format!(
                "{i:02}_{}",
                p.to_string_lossy()
                    .replace(['/', '\u{6}', '\u{9}', '\u{5}', '\u{1}'], "_")
            );
            std::fs::write(out.join(name), v).unwrap();
        }
    }
}
