//! Whether a Python file loads settings from an env file shipready does not read: `load_dotenv(...)`
//! (python-dotenv), an `env_file=` keyword (`SettingsConfigDict(env_file=".env")`, `Settings(_env_file=...)`) or an
//! `env_file = ".env"` attribute of a settings `Config` class. The names such a file sets are unknown, so a rule
//! about settings nobody sets cannot judge them.

use super::index::{Kind, NodeIndex};
use super::ts::{self, Field};
use crate::python::ts::KindName;

pub(super) fn loads_env_file(index: &NodeIndex, text: &str) -> bool {
    // Every construct below spells one of these; most files spell neither and are not walked.
    if !super::reads::holds(text, "load_dotenv") && !super::reads::holds(text, "env_file") {
        return false;
    }
    index.iter().any(|(_, kind, node)| match kind {
        Kind::Call => {
            node.field("function")
                .map(|f| ts::last_segment(ts::text(f, text)) == "load_dotenv")
                .unwrap_or(false)
                || ts::Args::of(node, text)
                    .keywords
                    .iter()
                    .any(|(k, _)| matches!(*k, "env_file" | "_env_file"))
        }
        Kind::Assignment => is_env_file_attribute(node, text),
        // A nested `class Config:` body is not in the index: walk it.
        Kind::ClassDefinition => {
            let mut found = false;
            ts::walk(node, |n| found |= is_env_file_attribute(n, text));
            found
        }
        _ => false,
    })
}

fn is_env_file_attribute(node: tree_sitter::Node, text: &str) -> bool {
    node.kind_name() == "assignment"
        && node
            .field("left")
            .is_some_and(|l| ts::text(l, text) == "env_file")
}

#[cfg(test)]
mod tests {
    use crate::python::parse;

    #[test]
    fn env_file_sources() {
        for src in [
            "from dotenv import load_dotenv\nload_dotenv()\n",
            "import dotenv\ndotenv.load_dotenv('.env.prod')\n",
            "from pydantic_settings import BaseSettings, SettingsConfigDict\nclass S(BaseSettings):\n    model_config = SettingsConfigDict(env_file='.env')\n",
            "from pydantic import BaseSettings\nclass S(BaseSettings):\n    class Config:\n        env_file = '.env'\n",
        ] {
            assert!(parse(src).loads_env_file, "{src}");
        }
        assert!(!parse("import os\nX = os.environ['X']\n").loads_env_file);
    }
}
