//! `textDocument/codeAction`: a quick fix per distinct fix in the range (preferred only when safe), and
//! `source.fixAll.shipready` applying every safe fix of the file. Fixes come from the diagnostics' `data` when
//! they were computed from the current text (checked against the cached audit, nothing is recomputed), else
//! from the current findings intersecting the range: edits computed for other text are never sent.

use shipready_analysis::{combine, queries};
use shipready_rules::{Applicability, Finding, Fix};
use shipready_text::LineIndex;
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    Diagnostic, NumberOrString,
};

use super::initialize::FIX_ALL;
use crate::conv;
use crate::diagnostics;
use crate::edits;
use crate::server::Server;
use crate::session::Session;

pub async fn run(server: &Server, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
    super::query(server, move |s| actions(s, params)).await
}

fn actions(s: &mut Session, params: CodeActionParams) -> Option<CodeActionResponse> {
    let uri = &params.text_document.uri;
    // Nothing is known of a folder still being scanned: no actions yet.
    let (root, path) = s.locate_loaded(uri).ok()??;
    let version = s.docs.get(uri).map(|d| d.version);
    let wants = |kind: &CodeActionKind| match &params.context.only {
        None => true,
        Some(only) => only.iter().any(|o| {
            kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str()))
        }),
    };
    let audit = s.roots.get_mut(root)?.analysis.audit();
    let text = s.roots.get(root)?.analysis.file(&path)?.text.clone();
    let mut out: CodeActionResponse = Vec::new();

    if wants(&CodeActionKind::QUICKFIX) {
        let current: Vec<&Finding> = audit.findings_in(&path).collect();
        let mut fixes: Vec<(Fix, Vec<Diagnostic>)> = Vec::new();
        let mut ignores: Vec<(Fix, Vec<Diagnostic>)> = Vec::new();
        let mut stale = false;
        for d in &params.context.diagnostics {
            match read_data(d, version, &current) {
                Some(Data::Fix(fix)) => offer(&mut fixes, fix, Some(d)),
                Some(Data::Stale) => stale = true,
                Some(Data::NoFix) | None => {}
            }
        }
        // Diagnostics older than the text are not trusted: the current findings in the range say what to fix,
        // and their current diagnostics are the ones resolved.
        if fixes.is_empty() || stale {
            let index = LineIndex::new(&text);
            let range = conv::text_range(&index, &text, params.range, s.caps.encoding);
            let in_range: Vec<&Finding> = queries::findings_in_range(&audit, &path, range)
                .filter(|f| f.fix.is_some())
                .collect();
            let shown = diagnostics::of_findings(s, root, &in_range, version);
            for (f, d) in in_range.iter().zip(shown) {
                if let Some(fix) = &f.fix {
                    offer(&mut fixes, fix.clone(), d.as_ref());
                }
            }
        }
        // "Ignore HC003 on this line" for each gap in the range: a suppression comment above it.
        if let Some(file) = s
            .roots
            .get(root)
            .and_then(|r| r.analysis.file(&path))
            .cloned()
        {
            let index = LineIndex::new(&text);
            let range = conv::text_range(&index, &text, params.range, s.caps.encoding);
            let gaps: Vec<&Finding> = queries::findings_in_range(&audit, &path, range)
                .filter(|f| f.suppressed.is_none())
                .collect();
            let shown = diagnostics::of_findings(s, root, &gaps, version);
            for (f, d) in gaps.iter().zip(shown) {
                if let Some(fix) = queries::ignore_fix(&file, f) {
                    ignores.push((fix, d.into_iter().collect()));
                }
            }
        }
        fixes.extend(ignores);
        for (fix, diagnostics) in fixes {
            let Some(edit) = edits::workspace_edit(s, root, &[&fix]) else {
                continue;
            };
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
                edit: Some(edit),
                is_preferred: Some(fix.applicability == Applicability::Safe),
                ..Default::default()
            }));
        }
    }

    let fix_all = CodeActionKind::new(FIX_ALL);
    if wants(&fix_all) {
        let title = "shipready: apply all safe fixes";
        let all = combine::combine(title, &queries::safe_fixes(&audit, &path));
        if !all.edits.is_empty() {
            if let Some(edit) = edits::workspace_edit(s, root, &[&all]) {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: title.to_owned(),
                    kind: Some(fix_all),
                    edit: Some(edit),
                    ..Default::default()
                }));
            }
        }
    }
    Some(out)
}

/// Add `fix` to the offered fixes, with the diagnostic it resolves. Several findings may carry the same fix
/// (HC001 and HC003 both want the health route; GD002's missing Rollback section is RB001's): a fix with the
/// same title and edits is offered once, listing every diagnostic it resolves, and preferred only when every
/// finding calls it safe.
fn offer(fixes: &mut Vec<(Fix, Vec<Diagnostic>)>, fix: Fix, diagnostic: Option<&Diagnostic>) {
    let same = fixes
        .iter_mut()
        .find(|(g, _)| g.title == fix.title && g.edits == fix.edits);
    match same {
        Some((g, diagnostics)) => {
            if fix.applicability != Applicability::Safe {
                g.applicability = fix.applicability;
            }
            if let Some(d) = diagnostic.filter(|d| !diagnostics.contains(d)) {
                diagnostics.push(d.clone());
            }
        }
        None => fixes.push((fix, diagnostic.into_iter().cloned().collect())),
    }
}

/// What a shipready diagnostic's `data` says about fixing it.
enum Data {
    /// The fix, as the current audit has it.
    Fix(Fix),
    /// Its finding has no fix.
    NoFix,
    /// It was computed from other text: an older buffer version, or a file changed since (its fix is not among
    /// the current findings' fixes). Byte ranges of an older text would land in the wrong place.
    Stale,
}

/// Read a diagnostic's `data` against the buffer's `version` and the file's `current` findings; `None` for
/// diagnostics that are not shipready's. A fix is used only when its finding still carries exactly it, which
/// also catches fixes that edit another file changed since.
fn read_data(d: &Diagnostic, version: Option<i32>, current: &[&Finding]) -> Option<Data> {
    if d.source.as_deref() != Some("shipready") {
        return None;
    }
    let Some(NumberOrString::String(code)) = &d.code else {
        return None;
    };
    let data = d.data.as_ref()?;
    let data_version = data.get("version").and_then(|v| v.as_i64());
    if data_version != version.map(i64::from) {
        return Some(Data::Stale);
    }
    let Some(digest) = data.get("fix").filter(|f| !f.is_null()) else {
        return Some(Data::NoFix);
    };
    // The digest of the fix the diagnostic was published with (see `diagnostics::fix_digest`): the current
    // finding's fix when it is still exactly that one.
    let still = current.iter().find_map(|f| {
        let fix = f.fix.as_ref().filter(|_| f.code == code.as_str())?;
        (digest.as_str() == Some(diagnostics::fix_digest(fix).as_str())).then_some(fix)
    });
    Some(match still {
        Some(fix) => Data::Fix(fix.clone()),
        None => Data::Stale,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use shipready_rules::{Edit, Finding};
    use shipready_text::TextRange;

    use super::*;

    fn finding(new_text: &str) -> Finding {
        let fix = Fix {
            title: "Add a HEALTHCHECK".to_owned(),
            applicability: Applicability::Safe,
            edits: vec![Edit::Replace {
                file: "Dockerfile".to_owned(),
                range: TextRange::new(10, 10),
                new_text: new_text.to_owned(),
            }],
        };
        let mut f = Finding::at("Dockerfile", TextRange::new(0, 4), "no HEALTHCHECK");
        f.code = "DK001";
        f.with_fix(Some(fix))
    }

    fn published(f: &Finding, version: i32) -> Diagnostic {
        Diagnostic {
            source: Some("shipready".to_owned()),
            code: Some(NumberOrString::String(f.code.to_owned())),
            data: Some(json!({
                "code": f.code,
                "version": version,
                "fix": f.fix.as_ref().map(diagnostics::fix_digest),
            })),
            ..Default::default()
        }
    }

    /// A diagnostic carries a digest of its fix; the code action takes the current finding's fix when it is
    /// still that very fix at that version, and calls anything else stale.
    #[test]
    fn a_diagnostic_names_its_fix_by_digest_and_only_the_same_fix_is_taken() {
        let f = finding("HEALTHCHECK CMD true\n");
        let d = published(&f, 3);
        assert!(
            matches!(read_data(&d, Some(3), &[&f]), Some(Data::Fix(fix)) if Some(&fix) == f.fix.as_ref())
        );
        let changed = finding("HEALTHCHECK CMD false\n");
        assert!(matches!(
            read_data(&d, Some(3), &[&changed]),
            Some(Data::Stale)
        ));
        assert!(matches!(read_data(&d, Some(4), &[&f]), Some(Data::Stale)));
        let mut other = f.clone();
        other.code = "HC001";
        assert!(matches!(
            read_data(&d, Some(3), &[&other]),
            Some(Data::Stale)
        ));
        let mut no_fix = f.clone();
        no_fix.fix = None;
        assert!(matches!(
            read_data(&published(&no_fix, 3), Some(3), &[&f]),
            Some(Data::NoFix)
        ));
    }
}
