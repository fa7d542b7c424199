//! The readiness rules, one file per rule, grouped by category, and the anchors they share.

pub mod cdk;
pub mod compose;
pub mod data_safety;
pub mod docker;
pub mod guide;
pub mod health;
pub mod observability;
pub mod pipelines;
pub mod rollback;
pub mod runtime;
pub mod security;

use shipready_text::TextRange;

use shipready_syntax::FileKind;

use crate::index::{docker as dk, guide as gd};
use crate::Context;

/// Where a workspace-level guide gap belongs: the guide's title, else its first line.
pub(crate) fn guide_anchor<'a>(ctx: &'a Context) -> Option<(&'a str, TextRange)> {
    let guide = ctx.index.guide().as_ref()?;
    let file = ctx.workspace.file(&guide.path)?;
    let md = gd::markdown(file)?;
    let range = md
        .title()
        .map(|h| h.range)
        .unwrap_or_else(|| first_line(&file.text));
    Some((file.path.as_str(), range))
}

/// Where a missing guide belongs: the first heading of the README in the unit's folder, else the unit's main
/// Dockerfile, main app or `cdk.json`, so every finding has a place in the unit it is about.
pub(crate) fn readme_anchor<'a>(ctx: &'a Context) -> Option<(&'a str, TextRange)> {
    // The index belongs to this workspace (built from it for this audit), so the answer is the same every time.
    let found = ctx
        .index
        .readme_anchor
        .get_or_init(|| find_readme_anchor(ctx).map(|(path, range)| (path.to_owned(), range)));
    found.as_ref().map(|(path, range)| (path.as_str(), *range))
}

fn find_readme_anchor<'a>(ctx: &'a Context) -> Option<(&'a str, TextRange)> {
    let root = ctx.workspace.root();
    let readme = ctx.workspace.of_kind(FileKind::Markdown).find(|f| {
        f.dir() == root
            && ["readme.md", "readme.mdx", "readme.markdown"]
                .iter()
                .any(|n| f.name().eq_ignore_ascii_case(n))
    });
    if let Some(readme) = readme {
        let md = gd::markdown(readme)?;
        let range = md
            .title()
            .map(|h| h.range)
            .unwrap_or_else(|| first_line(&readme.text));
        return Some((readme.path.as_str(), range));
    }
    main_dockerfile_anchor(ctx)
        .or_else(|| main_app_anchor(ctx))
        .or_else(|| {
            let cdk = ctx
                .workspace
                .of_kind(shipready_syntax::FileKind::CdkJson)
                .next()?;
            Some((cdk.path.as_str(), first_line(&cdk.text)))
        })
}

/// Where a finding about the unit as a whole belongs: its README's title, else its main Dockerfile, app or
/// `cdk.json`.
pub(crate) fn unit_anchor<'a>(ctx: &'a Context) -> Option<(&'a str, TextRange)> {
    readme_anchor(ctx)
}

/// The guide anchor, else the README anchor.
pub(crate) fn docs_anchor<'a>(ctx: &'a Context) -> Option<(&'a str, TextRange)> {
    guide_anchor(ctx).or_else(|| readme_anchor(ctx))
}

/// The main Dockerfile's first instruction.
pub(crate) fn main_dockerfile_anchor<'a>(ctx: &'a Context) -> Option<(&'a str, TextRange)> {
    let path = ctx.index.docker().main_dockerfile.as_deref()?;
    let file = ctx.workspace.file(path)?;
    let range = dk::dockerfile(&file.facts)?
        .first_instruction
        .unwrap_or_else(|| first_line(&file.text));
    Some((file.path.as_str(), range))
}

/// The main application's `app = FastAPI()` statement.
pub(crate) fn main_app_anchor<'a>(ctx: &'a Context) -> Option<(&'a str, TextRange)> {
    let app = ctx.index.web().apps.get(ctx.index.web().main_app?)?;
    Some((app.file.as_str(), app.app.range))
}

/// The first line of a text, without its line break.
pub(crate) fn first_line(text: &str) -> TextRange {
    let end = text.find(['\n', '\r']).unwrap_or(text.len());
    TextRange::new(0, end)
}

/// `n` with a singular or plural noun.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
