//! `textDocument/hover`: on a finding, what it costs and the score after fixing it; on a construct that makes
//! a check pass, what it earns. The data comes from `shipready_analysis::hover`; this file renders Markdown.

use shipready_analysis::{FindingHover, HoverItem, SatisfierHover};
use shipready_text::LineIndex;
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use crate::conv;
use crate::score::num;
use crate::server::Server;

pub async fn run(server: &Server, params: HoverParams) -> Result<Option<Hover>> {
    let place = params.text_document_position_params;
    super::query(server, move |s| {
        let enc = s.caps.encoding;
        // Nothing is known of a folder still being scanned: no hover yet.
        let (root, path) = s.locate_loaded(&place.text_document.uri).ok()??;
        let analysis = &mut s.roots.get_mut(root)?.analysis;
        let text = analysis.file(&path)?.text.clone();
        let index = LineIndex::new(&text);
        let offset = conv::offset(&index, &text, place.position, enc);
        let items = analysis.hover(&path, offset);
        let range = items.iter().map(range_of).reduce(|a, b| a.cover(b))?;
        let value = items
            .iter()
            .map(render)
            .collect::<Vec<_>>()
            .join("\n\n---\n\n");
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: Some(conv::range(&index, &text, range, enc)),
        })
    })
    .await
}

fn range_of(item: &HoverItem) -> shipready_text::TextRange {
    match item {
        HoverItem::Finding(f) => f.range,
        HoverItem::Satisfier(s) => s.range,
    }
}

fn render(item: &HoverItem) -> String {
    match item {
        HoverItem::Finding(f) => finding(f),
        HoverItem::Satisfier(s) => satisfier(s),
    }
}

fn finding(f: &FindingHover) -> String {
    let category = match f.category_score {
        Some(score) => format!("{} (now {}/100)", f.category.title(), num(score)),
        None => format!("{} (not scored)", f.category.title()),
    };
    format!(
        "**{code} · {title}**\n\n{message}\n\n{summary}\n\n\
         - Category: {category}\n\
         - Worth **{points} points** of {score_of}\n\
         - Fixing this takes {whose} from {now} {band_now} to {after} {band_after}",
        whose = match &f.unit {
            Some(unit) => format!("unit `{unit}`"),
            None => "the workspace".to_owned(),
        },
        code = f.code,
        title = f.title,
        message = f.message,
        summary = f.summary,
        points = num(f.points),
        score_of = match &f.unit {
            Some(unit) => format!("unit `{unit}`'s score"),
            None => "the overall score".to_owned(),
        },
        now = num(f.overall_now),
        band_now = f.band_now.title(),
        after = num(f.overall_after),
        band_after = f.band_after.title(),
    )
}

fn satisfier(s: &SatisfierHover) -> String {
    format!(
        "✓ satisfies {}: worth {} points of {} ({})",
        s.code,
        num(s.points),
        match &s.unit {
            Some(unit) => format!("unit `{unit}`'s score"),
            None => "the overall score".to_owned(),
        },
        s.title
    )
}
