//! Stable finding fingerprints for SARIF and GitLab code quality: the same gap gets the same fingerprint from
//! run to run (code, unit, file and message; not the line, so edits above it do not make it new), and two
//! identical gaps are told apart by their order.

use std::collections::HashMap;

use shipready_analysis::ReportFinding;

/// One fingerprint per finding, in the findings' order: 16 hex digits of a 64-bit FNV-1a hash.
pub fn fingerprints(findings: &[ReportFinding]) -> Vec<String> {
    let mut seen: HashMap<u64, u32> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let key = format!(
                "{}\0{}\0{}\0{}",
                f.code,
                f.unit,
                f.file.as_deref().unwrap_or(""),
                f.message
            );
            let base = fnv1a(key.as_bytes());
            let n = seen.entry(base).or_insert(0);
            *n += 1;
            let hash = if *n == 1 {
                base
            } else {
                fnv1a(format!("{key}\0{n}").as_bytes())
            };
            format!("{hash:016x}")
        })
        .collect()
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
