//! `cargo bench -p shipready_analysis`: medians of the audit's hot paths, on the seed example and on a
//! synthetic workspace scaled up from it. Prints one line per measurement; no timing assertions (the machine
//! is shared and noisy: compare medians and ratios, not single runs).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use shipready_analysis::{Analysis, Profile, RealFs};
use shipready_syntax::python::{PythonDocument, TextEdit};
use shipready_text::TextRange;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn measure(name: &str, runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    let m = median(samples);
    println!(
        "{name:<58} median {:>10.3} ms  ({runs} runs)",
        m.as_secs_f64() * 1e3
    );
    m
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seed-example")
}

/// A workspace of `copies` services, each a copy of the seed example's files in its own folder.
fn synthetic(copies: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = fixture();
    for i in 0..copies {
        copy_tree(&src, &dir.path().join(format!("svc{i}")));
    }
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

fn big_python(routes: usize) -> String {
    let mut s = String::from("from fastapi import FastAPI, APIRouter\n\napp = FastAPI()\nrouter = APIRouter(prefix=\"/api\")\n\n");
    for i in 0..routes {
        s.push_str(&format!("@router.get(\"/items/{i}\")\nasync def item_{i}(q: str | None = None):\n    return {{\"id\": {i}, \"q\": q}}\n\n"));
    }
    s.push_str("app.include_router(router)\n");
    s
}

/// Alternately insert and delete one `#` at `at`, so repeated runs edit the same text.
fn toggle(at: usize, inserted: &mut bool) -> TextEdit {
    *inserted = !*inserted;
    if *inserted {
        TextEdit {
            range: TextRange::empty(at),
            new_text: "#".to_owned(),
        }
    } else {
        TextEdit {
            range: TextRange::new(at, at + 1),
            new_text: String::new(),
        }
    }
}

fn main() {
    let root = fixture();
    measure(
        "load + audit seed-example (discover, read, parse, rules)",
        30,
        || {
            let mut a = Analysis::load(&root, Profile::Seed, &RealFs);
            black_box(a.audit());
        },
    );
    let big = synthetic(50);
    let files = Analysis::load(big.path(), Profile::Seed, &RealFs)
        .paths()
        .count();
    let cold = measure(
        &format!("load + audit synthetic workspace ({files} files)"),
        10,
        || {
            let mut a = Analysis::load(big.path(), Profile::Seed, &RealFs);
            black_box(a.audit());
        },
    );
    let mut a = Analysis::load(big.path(), Profile::Seed, &RealFs);
    let main_py = "svc0/backend/main.py";
    let original = a
        .file(main_py)
        .map(|f| f.text.to_string())
        .unwrap_or_default();
    let mut flip = false;
    let warm = measure(
        "one file changed -> re-parse it + re-audit (same workspace)",
        30,
        || {
            flip = !flip;
            let text = if flip {
                format!("{original}\n@app.get(\"/health\")\ndef health():\n    return {{}}\n")
            } else {
                original.clone()
            };
            a.set_file_text(main_py, text);
            black_box(a.audit());
        },
    );
    println!(
        "{:<58} {:>10.1}x",
        "cold load / incremental update",
        cold.as_secs_f64() / warm.as_secs_f64()
    );

    let source = big_python(2000);
    println!(
        "python file for parse benchmarks: {} KiB",
        source.len() / 1024
    );
    let fresh_parse = measure("fresh parse of the python file", 20, || {
        black_box(PythonDocument::new(&source));
    });
    let fresh = measure("fresh parse + facts of the python file", 20, || {
        black_box(PythonDocument::new(&source).facts());
    });
    let mut doc = PythonDocument::new(&source);
    let at = source.len() / 2;
    let mut inserted = false;
    let reparse = measure("one-character edit: Tree::edit + reparse", 20, || {
        doc.apply_edits(&[toggle(at, &mut inserted)]);
        black_box(&doc);
    });
    println!(
        "{:<58} {:>10.1}x",
        "fresh parse / incremental reparse",
        fresh_parse.as_secs_f64() / reparse.as_secs_f64()
    );
    let incremental = measure(
        "one-character edit: Tree::edit + reparse + facts",
        20,
        || {
            doc.apply_edits(&[toggle(at, &mut inserted)]);
            black_box(doc.facts());
        },
    );
    println!(
        "{:<58} {:>10.1}x",
        "fresh parse / incremental edit",
        fresh.as_secs_f64() / incremental.as_secs_f64()
    );
}
