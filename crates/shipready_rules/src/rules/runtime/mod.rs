//! Runtime rules (`standard` profile only): how a service container runs its server once started (a
//! development server or auto-reload, one worker process, ports that disagree). Each reads what the container
//! really runs ([`launch`]) and applies to service images only.

pub mod dev_server;
pub(crate) mod launch;
pub mod port_mismatch;
mod ports;
mod reload_fix;
mod servers;
pub mod single_worker;
#[cfg(test)]
mod tests;
mod words;

use crate::Outcome;

/// Not applicable, with the reason.
pub(crate) fn not_applicable(why: &str) -> Outcome {
    Outcome::not_applicable_because(why)
}

/// `text` with its first letter in upper case.
pub(crate) fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
