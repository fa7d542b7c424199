//! Security rules (`standard` profile only; the seed auditor has no security category): what a reviewer of a
//! production image or stack flags first. Each applies to the unit's production files.

pub mod cors_any_origin;
pub mod debug_enabled;
pub mod docker_socket;
pub mod pipe_to_shell;
pub mod placeholder_secret;
pub mod root_user;
pub mod secret_literal;
pub(crate) mod secrets;
pub mod ssh_port;

use crate::Outcome;

/// Not applicable, with the reason.
pub(crate) fn not_applicable(why: &str) -> Outcome {
    Outcome::not_applicable_because(why)
}

/// A secret value as it may be shown: its first two characters at most, then an ellipsis.
pub(crate) fn mask(value: &str) -> String {
    let shown: String = value.chars().take(2).collect();
    if value.chars().count() <= 2 {
        "…".to_owned()
    } else {
        format!("{shown}…")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_keep_at_most_two_characters() {
        assert_eq!(super::mask("hunter2"), "hu…");
        assert_eq!(super::mask("ab"), "…");
    }
}
