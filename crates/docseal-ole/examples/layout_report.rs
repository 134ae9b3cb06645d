//! Prints the sector layout of compound files: header counts, then every sector's role as
//! runs (`FAT`, `DIR`, `MINIFAT`, `MINI`, `DIFAT`, a stream's name, `free`), and each
//! stream's size and slack. The evidence behind `LayoutStyle` (see `ARCHITECTURE.md`).
//!
//! `cargo run -p docseal-ole --example layout_report -- FILE...`
#![allow(clippy::unwrap_used)]

use std::fs::File;

use docseal_ole::{CompoundFile, ObjectType, DIFSECT, ENDOFCHAIN, FATSECT, FREESECT};

fn main() {
    for path in std::env::args().skip(1) {
        if let Err(e) = report(&path) {
            println!("{path}: {e}");
        }
    }
}

fn report(path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut cf = CompoundFile::open(File::open(path)?)?;
    let h = cf.header().clone();
    let ss = h.version.sector_size() as u64;
    let sectors = (cf.file_len().saturating_sub(ss)).div_ceil(ss) as usize;
    let mut role = vec![String::from("free"); sectors];
    let fat = cf.fat().to_vec();
    for (i, &e) in fat.iter().enumerate().take(sectors) {
        match e {
            FATSECT => role[i] = "FAT".into(),
            DIFSECT => role[i] = "DIFAT".into(),
            _ => {}
        }
    }
    let follow = |start: u32| {
        let mut v = Vec::new();
        let mut s = start;
        while (s as usize) < fat.len() && v.len() <= fat.len() {
            v.push(s);
            s = fat[s as usize];
        }
        v
    };
    for s in follow(h.first_directory_sector) {
        role[s as usize] = "DIR".into();
    }
    if h.first_mini_fat_sector != ENDOFCHAIN {
        for s in follow(h.first_mini_fat_sector) {
            role[s as usize] = "MINIFAT".into();
        }
    }
    for &s in cf.mini_stream_sectors() {
        role[s as usize] = "MINI".into();
    }
    let mut streams = Vec::new();
    for id in 1..cf.entries().len() {
        let e = cf.entries()[id].clone();
        if e.object_type != ObjectType::Stream {
            continue;
        }
        let secs = cf
            .open_stream(id)
            .map(|s| s.sectors().to_vec())
            .unwrap_or_default();
        let regular = e.size >= 4096;
        if regular {
            for &s in &secs {
                if let Some(r) = role.get_mut(s as usize) {
                    *r = format!("{:?}", e.name);
                }
            }
        }
        streams.push((id, e.name.clone(), e.size, regular, secs.first().copied()));
    }
    let fat_sectors: Vec<usize> = (0..sectors).filter(|&i| role[i] == "FAT").collect();
    let used_fat = fat
        .iter()
        .rposition(|&e| e != FREESECT)
        .map_or(0, |p| p + 1);
    println!("== {path}");
    println!(
        "  len {} sectors {} | FAT {} at {:?} (entries in use {}, sectors needed {}) | DIFAT {} first {:#x} | dir first {} | minifat {} first {:#x} | root size {}",
        cf.file_len(),
        sectors,
        h.fat_sector_count,
        fat_sectors,
        used_fat,
        used_fat.div_ceil((ss / 4) as usize),
        h.difat_sector_count,
        h.first_difat_sector,
        h.first_directory_sector,
        h.mini_fat_sector_count,
        h.first_mini_fat_sector,
        cf.entries()[0].size,
    );
    let mut runs: Vec<(String, usize, usize)> = Vec::new();
    for (i, r) in role.iter().enumerate() {
        match runs.last_mut() {
            Some(last) if &last.0 == r && last.1 + last.2 == i => last.2 += 1,
            _ => runs.push((r.clone(), i, 1)),
        }
    }
    let shown: Vec<String> = runs
        .iter()
        .map(|(r, at, n)| {
            if *n == 1 {
                format!("{at}:{r}")
            } else {
                format!("{at}-{}:{r}", at + n - 1)
            }
        })
        .collect();
    println!("  sectors: {}", shown.join(" "));
    for (id, name, size, regular, first) in streams {
        println!(
            "  stream {id:2} {name:?} size {size} {} first {:?}",
            if regular { "regular" } else { "mini" },
            first
        );
    }
    let entries: Vec<String> = cf
        .entries()
        .iter()
        .map(|e| format!("{:?}", e.name))
        .collect();
    println!("  directory order: {}", entries.join(", "));
    Ok(())
}
