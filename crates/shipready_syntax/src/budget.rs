//! The parse time budget: a tree-sitter parse that runs longer than [`PARSE_BUDGET`] is cut off through the
//! parser's progress callback, so a pathological file costs a bounded time instead of stalling an audit.

use std::time::{Duration, Instant};

use tree_sitter::{ParseOptions, ParseState, Parser, Tree};

/// How long one parse may take. Far above any real file under the 2 MiB size limit (a few hundred
/// milliseconds in a debug build on a loaded machine), so only a pathological input ever reaches it.
pub const PARSE_BUDGET: Duration = Duration::from_secs(5);

/// The budget in effect: [`PARSE_BUDGET`], or `SHIPREADY_PARSE_BUDGET_MS` milliseconds when that is set (for
/// tests of the cut-off and for diagnosing a slow file).
pub fn budget() -> Duration {
    static BUDGET: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();
    *BUDGET.get_or_init(|| {
        std::env::var("SHIPREADY_PARSE_BUDGET_MS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(PARSE_BUDGET, Duration::from_millis)
    })
}

/// What a budgeted parse produced.
pub enum Parse {
    Tree(Tree),
    /// The budget ran out first.
    CutOff,
    /// tree-sitter gave no tree for another reason (no language set).
    Failed,
}

/// Parse `text` (reusing `old`, already edited to match it) within `budget`.
pub fn parse(parser: &mut Parser, text: &str, old: Option<&Tree>, budget: Duration) -> Parse {
    let start = Instant::now();
    let mut cut_off = false;
    let mut progress = |_: &ParseState| {
        cut_off = start.elapsed() >= budget;
        cut_off
    };
    let bytes = text.as_bytes();
    let mut input = |offset: usize, _| bytes.get(offset..).unwrap_or(&[]);
    let tree = parser.parse_with_options(
        &mut input,
        old,
        Some(ParseOptions::new().progress_callback(&mut progress)),
    );
    match tree {
        Some(tree) => Parse::Tree(tree),
        None if cut_off => Parse::CutOff,
        None => Parse::Failed,
    }
}

/// The start of every cut-off notice.
const NOTICE: &str = "not analysed: parsing took longer than";

/// The notice recorded for a file whose parse was cut off.
pub fn notice(budget: Duration) -> String {
    format!(
        "{NOTICE} {} s (the parse time budget)",
        budget.as_secs_f64()
    )
}

/// The cut-off notice at the start of a file, as its facts record it.
pub fn notice_error(budget: Duration) -> crate::SyntaxError {
    crate::SyntaxError {
        range: shipready_text::TextRange::empty(0),
        message: notice(budget),
    }
}

/// Whether `error` is a cut-off notice.
pub fn is_notice(error: &crate::SyntaxError) -> bool {
    error.message.starts_with(NOTICE)
}
