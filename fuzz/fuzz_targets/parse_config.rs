//! Fuzz target: the configuration front (`shipready.toml`, `.shipready.toml` in a sub-folder, `[tool.shipready]`
//! in `pyproject.toml`) never panics; an error it reports lies inside the text, on a line the text has, and a
//! configuration it accepts can be used (its exclusions answer for any path). The first byte picks the file
//! name, the rest is its text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipready_analysis::config;
use shipready_analysis::Profile;

const NAMES: [&str; 3] = ["shipready.toml", "api/.shipready.toml", "pyproject.toml"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let text = String::from_utf8_lossy(rest);
    match config::parse(name, &text, Profile::Standard) {
        Err(e) => {
            assert!(e.range.start <= e.range.end && e.range.end <= text.len());
            let lines = text.split('\n').count();
            assert!(e.line >= 1 && e.line as usize <= lines, "{e:?}");
            assert!(e.column >= 1);
        }
        Ok(Some(c)) => {
            let _ = c.excludes("api/main.py");
        }
        Ok(None) => {}
    }
});
