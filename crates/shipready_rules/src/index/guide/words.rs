//! A heading's words, for matching phrases by meaning rather than by substring: "Logs" is a word of
//! "Logs and metrics" but not of "Blogs", and "roll-back", "Roll back" and "ROLL BACK" are the same two words.

/// The lower-cased alphanumeric words of a text, in order.
pub(crate) struct Words(Vec<String>);

impl Words {
    pub(crate) fn of(text: &str) -> Words {
        Words(
            text.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect(),
        )
    }

    /// Whether the words contain `pattern`: words separated by spaces, each matching a whole word, or any word
    /// that starts with it when it ends in `*` (`deploy*` matches "deploying").
    pub(crate) fn has(&self, pattern: &str) -> bool {
        let wanted: Vec<&str> = pattern.split(' ').filter(|p| !p.is_empty()).collect();
        if wanted.is_empty() || wanted.len() > self.0.len() {
            return false;
        }
        self.0.windows(wanted.len()).any(|window| {
            window
                .iter()
                .zip(&wanted)
                .all(|(word, want)| match want.strip_suffix('*') {
                    Some(prefix) => word.starts_with(prefix),
                    None => word == want,
                })
        })
    }

    /// Whether any of `patterns` is in the words.
    pub(crate) fn any(&self, patterns: &[&str]) -> bool {
        patterns.iter().any(|p| self.has(p))
    }
}

#[cfg(test)]
mod tests {
    use super::Words;

    #[test]
    fn whole_words_and_prefixes() {
        let w = Words::of("Roll-back: Deploying to PRODUCTION");
        assert!(w.has("roll back"));
        assert!(w.has("deploy*"));
        assert!(w.has("to production"));
        assert!(!w.has("deploy"));
        assert!(!w.has("production to"));
        assert!(!Words::of("Blogs").has("logs"));
        assert!(!Words::of("").has("x"));
        assert!(!Words::of("a").has(""));
        assert!(Words::of("Déploiement écrit").has("écrit"));
    }
}
