//! The floor of a cold check, for `bench/run.py`: walk, read and parse every relevant file of a workspace with
//! the same discovery and parsers as `shipready check` (`Analysis::load`), but no audit and no report.
//! `cargo build --release -p shipready_e2e --example bench_floor`, then `bench_floor DIR`.

use shipready_analysis::{Analysis, Profile, RealFs};

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: bench_floor DIR");
        std::process::exit(2);
    };
    let analysis = Analysis::load(root, Profile::Standard, &RealFs);
    println!("{} files parsed", analysis.paths().count());
}
