#!/usr/bin/env python3
"""Checks the workspace's rust-version against the dependencies Cargo.lock resolves.

Reads `cargo metadata --all-features --locked` from stdin. Every crate a library or the CLI
builds with (normal and build dependencies, all features) must declare a rust-version no newer
than the workspace's; the test-only graph (dev-dependencies) is reported, not checked.
Exit status 1 when a build dependency needs a newer Rust than the workspace declares.
"""
import json
import sys


def ver(s):
    return tuple(int(x) for x in (s or "0").split(".")) + (0,) * (3 - len((s or "0").split(".")))


meta = json.load(sys.stdin)
pkgs = {p["id"]: p for p in meta["packages"]}
nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
members = meta["workspace_members"]
declared = {pkgs[m]["rust_version"] for m in members}
if len(declared) != 1:
    print(f"workspace members declare different rust-versions: {sorted(map(str, declared))}")
    sys.exit(1)
declared = declared.pop()


def reach(start, kinds_from_members, kinds_after):
    seen, todo = set(), [(m, True) for m in start]
    while todo:
        pid, is_member = todo.pop()
        for d in nodes[pid]["deps"]:
            kinds = {k["kind"] for k in d["dep_kinds"]}
            allowed = kinds_from_members if is_member else kinds_after
            if kinds & allowed and d["pkg"] not in seen:
                seen.add(d["pkg"])
                todo.append((d["pkg"], d["pkg"] in members))
    return {p for p in seen if p not in members}


build = reach(members, {None, "build"}, {None, "build"})
tests = reach(members, {None, "build", "dev"}, {None, "build"}) - build


def newest(ids):
    return sorted(((pkgs[i]["rust_version"], pkgs[i]["name"], pkgs[i]["version"]) for i in ids
                   if pkgs[i]["rust_version"]), key=lambda t: (ver(t[0]), t[1]))


b, t = newest(build), newest(tests)
print(f"workspace rust-version {declared}; {len(build)} crates in the build graph, "
      f"{len(tests)} more for the tests")
over = [x for x in b if ver(x[0]) > ver(declared)]
top = [x for x in b if ver(x[0]) == ver(b[-1][0])] if b else []
print("build graph needs Rust " + (b[-1][0] if b else "-") + ": "
      + ", ".join(f"{n} {v}" for _, n, v in top))
if t:
    top_t = [x for x in t if ver(x[0]) == ver(t[-1][0])]
    print("tests need Rust " + t[-1][0] + ": " + ", ".join(f"{n} {v}" for _, n, v in top_t))
for rv, n, v in over:
    print(f"error: {n} {v} needs Rust {rv}, newer than the workspace's rust-version {declared}")
sys.exit(1 if over else 0)
