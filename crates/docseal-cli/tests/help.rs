//! `docseal SUBCOMMAND --help` is part of the interface: scripts and the README quote the flag
//! names, defaults and texts. The help of the commands with the most flags is pinned here.
#![allow(clippy::unwrap_used)]

mod common;

use common::{code, run};

fn help_of(args: &[&str], file: &str) {
    let mut argv = args.to_vec();
    argv.push("--help");
    let o = run(&argv);
    assert_eq!(code(&o), 0);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/help")
        .join(file);
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        expected,
        "`docseal {} --help` differs from {}",
        args.join(" "),
        path.display()
    );
}

#[test]
fn help_of_the_subcommands_with_the_most_flags() {
    help_of(&["encrypt"], "encrypt.txt");
    help_of(&["decrypt"], "decrypt.txt");
    help_of(&["passwd"], "passwd.txt");
    help_of(&["label", "set"], "label_set.txt");
    help_of(&["irm", "protect"], "irm_protect.txt");
}
