//! Where a new section goes in the deployment guide: the heading level of its sibling sections and its place
//! in the canonical order, and the insertion of a Markdown block separated by blank lines.

use shipready_syntax::markdown::MarkdownFacts;

use super::text;
use crate::index::guide::{GuideIndex, RequiredSection};
use crate::Edit;

/// The level new sections take: the most common level of the required sections the guide has, else one
/// below a lone title, else the shallowest level of the guide's other headings, else 2.
pub(crate) fn section_level(md: &MarkdownFacts, guide: &GuideIndex) -> u8 {
    let mut counts = [0usize; 7];
    for (_, heading) in &guide.sections {
        if let Some(h) = heading.and_then(|h| md.headings.get(h)) {
            if let Some(c) = counts.get_mut(usize::from(h.level)) {
                *c += 1;
            }
        }
    }
    let best = (1..=6u8)
        .rev()
        .max_by_key(|l| counts.get(usize::from(*l)).copied().unwrap_or(0));
    if let Some(level) = best.filter(|l| counts.get(usize::from(*l)).is_some_and(|c| *c > 0)) {
        return level;
    }
    let ones = md.headings.iter().filter(|h| h.level == 1).count();
    if ones == 1 && md.headings.first().is_some_and(|h| h.level == 1) {
        return 2;
    }
    md.headings
        .iter()
        .map(|h| h.level)
        .min()
        .unwrap_or(2)
        .max(1)
}

/// Where `section` goes: after the nearest required section before it in canonical order that the guide
/// has, else before the nearest one after it, else at the end of the guide.
pub(crate) fn section_offset(
    text: &str,
    md: &MarkdownFacts,
    guide: &GuideIndex,
    section: RequiredSection,
) -> usize {
    let order = RequiredSection::ALL
        .iter()
        .position(|s| *s == section)
        .unwrap_or(0);
    let present = |s: &RequiredSection| guide.heading_of(*s).and_then(|h| md.sections.get(h));
    let before = RequiredSection::ALL
        .get(..order)
        .unwrap_or_default()
        .iter()
        .rev()
        .find_map(present);
    if let Some(sec) = before {
        return if sec.range.end < text.len() {
            text::line_start(text, sec.range.end)
        } else {
            text.len()
        };
    }
    let after = RequiredSection::ALL
        .get(order + 1..)
        .unwrap_or_default()
        .iter()
        .find_map(present);
    match after {
        Some(sec) => text::line_start(text, sec.range.start),
        None => text.len(),
    }
}

/// An insertion of `block` (generated with `\n`) at `offset`, a line start or the end of the text, with a
/// blank line before it and, when text follows, after it; in the file's line ending.
pub(crate) fn insert_block(file: &str, text: &str, offset: usize, block: &str) -> Edit {
    let eol = text::eol(text);
    let mut out = String::new();
    let before = text.get(..offset).unwrap_or("");
    // Close an unterminated last line, then leave one blank line above the block.
    let ends_line = before.ends_with('\n');
    if !before.is_empty() && !ends_line {
        out.push_str(eol);
    }
    let separated = before.is_empty() || (ends_line && text::blank_line_before(text, offset));
    if !separated {
        out.push_str(eol);
    }
    out.push_str(&text::with_eol(block.trim_end_matches('\n'), eol));
    out.push_str(eol);
    if offset < text.len() {
        out.push_str(eol);
    }
    text::insert(file, offset, out)
}

/// A heading of `level` with `title`.
pub(crate) fn heading(level: u8, title: &str) -> String {
    format!("{} {title}", "#".repeat(usize::from(level.clamp(1, 6))))
}
