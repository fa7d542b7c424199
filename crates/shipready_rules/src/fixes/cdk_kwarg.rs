//! Fixes that add a missing keyword argument to a CDK construct call (`deletion_protection=True`,
//! `point_in_time_recovery=True`): inserted before the call's first keyword argument, on a line of its own when
//! the arguments are one per line, so nothing else in the call changes.

use shipready_syntax::python::observe::ConstructArgs;

use super::text::{eol, indent_at, insert, line_start};
use crate::{Applicability, Fix};

/// Insert `name=value` into the construct call `args` of `file` (whose text is `text`). `None` when the call
/// has no keyword argument to stand beside, or already passes `name`.
pub(crate) fn add_kwarg(
    file: &str,
    text: &str,
    args: &ConstructArgs,
    name: &str,
    value: &str,
) -> Option<Fix> {
    if args.kwarg(name).is_some() {
        return None;
    }
    let first = args
        .kwargs
        .iter()
        .map(|(_, r)| *r)
        .min_by_key(|r| r.start)?;
    let start = line_start(text, first.start);
    let own_line = text
        .get(start..first.start)
        .is_some_and(|before| before.chars().all(char::is_whitespace));
    let new_text = if own_line {
        format!(
            "{name}={value},{}{}",
            eol(text),
            indent_at(text, first.start)
        )
    } else {
        format!("{name}={value}, ")
    };
    Some(Fix {
        title: format!("Add {name}={value}"),
        // It changes what the stack deploys (and what it costs): a reviewer should see it.
        applicability: Applicability::Unsafe,
        edits: vec![insert(file, first.start, new_text)],
    })
}
