//! The engine's share of a keystroke, without the protocol: load a workspace, then type and delete one
//! character at the end of FILE, re-auditing after each change, and print the median and p99 of the audits.
//! `cargo build --release -p shipready_e2e --example bench_keystroke`, then `bench_keystroke DIR FILE [EDITS]`.

use std::time::Instant;

use shipready_analysis::{Analysis, Profile, RealFs};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(root), Some(file)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: bench_keystroke DIR FILE [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(100);
    let mut analysis = Analysis::load(root, Profile::Standard, &RealFs);
    analysis.audit();
    let Some(text) = analysis.file(file).map(|f| f.text.to_string()) else {
        eprintln!("{file} is not a file of the workspace");
        std::process::exit(2);
    };
    let mut samples = Vec::with_capacity(edits);
    for k in 0..edits {
        let changed = if k % 2 == 0 {
            format!("{text}#")
        } else {
            text.clone()
        };
        let start = Instant::now();
        analysis.set_file_text(file, changed);
        analysis.audit();
        samples.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    samples.sort_by(f64::total_cmp);
    let at = |q: usize| samples[(samples.len() * q / 100).min(samples.len() - 1)];
    println!(
        "{edits} edits of {file}: set_file_text + audit p50 {:.2} ms, p99 {:.2} ms",
        at(50),
        at(99)
    );
}
