//! The flow stays one-way: input → format → parse → filter → stats → engine
//! → report → render, with leaf helpers (text, units, status, error, zone)
//! beside it and the CLI layer (state, config, app) on top. Each top-level
//! module may import only modules of a lower layer (or of its own module);
//! an import against the flow, or a module missing from the table, fails.
//! Test code (`#[cfg(test)] mod tests`) is not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level modules by layer (lower first).
const LAYERS: &[(&str, u32)] = &[
    ("text", 0),
    ("units", 0),
    ("phases", 0),
    ("error", 1),
    ("status", 1),
    ("agent", 1),
    ("input", 2),
    ("format", 3),
    ("parse", 4),
    ("zone", 5),
    ("filter", 6),
    ("stats", 7),
    ("engine", 8),
    ("report", 9),
    ("threshold", 9),
    ("render", 10),
    ("explain", 11),
    ("live", 11),
    ("progress", 11),
    ("state", 11),
    ("synth", 11),
    ("cli", 12),
    ("config", 13),
    ("app", 14),
];

fn rs_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Top-level module → the crate modules its non-test code names.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rs_files(&src, &mut files);
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_str().unwrap();
        let module = first.trim_end_matches(".rs").to_string();
        if ["lib", "main"].contains(&module.as_str()) || rel.file_name().unwrap() == "tests.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
        let deps = g.entry(module.clone()).or_default();
        for (i, _) in code.match_indices("crate::") {
            let name: String = code[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                .collect();
            if !name.is_empty() && name != module {
                deps.insert(name);
            }
        }
    }
    g
}

#[test]
fn imports_follow_the_flow() {
    let layer: BTreeMap<&str, u32> = LAYERS.iter().copied().collect();
    let mut wrong = Vec::new();
    for (m, deps) in imports() {
        let Some(&lm) = layer.get(m.as_str()) else {
            wrong.push(format!("module {m} is not in LAYERS: place it in the flow"));
            continue;
        };
        for d in deps {
            match layer.get(d.as_str()) {
                Some(&ld) if ld < lm => {}
                Some(&ld) => wrong.push(format!("{m} (layer {lm}) imports {d} (layer {ld})")),
                None => wrong.push(format!("{m} imports {d}, which is not in LAYERS")),
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the flow:\n{}", wrong.join("\n"));
}

#[test]
fn the_checker_sees_imports() {
    // A checker that finds nothing would pass anything.
    let g = imports();
    assert!(g["engine"].contains("parse") && g["render"].contains("report") && g["app"].contains("engine"));
}
