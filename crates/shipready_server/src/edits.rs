//! Fixes as workspace edits: `Replace` edits become text edits, `Create` edits a `CreateFile` operation plus an
//! insertion (as plain changes when the client cannot take resource operations). Paths resolve against the
//! fix's workspace root, and ranges convert with the text the fix was computed from.

use std::collections::BTreeMap;

use shipready_rules::{Edit, Fix};
use shipready_text::LineIndex;
use tower_lsp::lsp_types::{
    CreateFile, CreateFileOptions, DocumentChangeOperation, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, Position, Range, ResourceOp, TextDocumentEdit,
    TextEdit, Url, WorkspaceEdit,
};

use crate::conv;
use crate::session::Session;

/// The workspace edit applying `fixes` of root `root`; `None` when an edit names a file the analysis does not
/// hold (its text, and so its positions, are unknown).
pub fn workspace_edit(session: &Session, root: usize, fixes: &[&Fix]) -> Option<WorkspaceEdit> {
    let r = session.roots.get(root)?;
    let enc = session.caps.encoding;
    let mut creates: Vec<Url> = Vec::new();
    let mut by_uri: BTreeMap<Url, Vec<TextEdit>> = BTreeMap::new();
    for edit in fixes.iter().flat_map(|f| &f.edits) {
        match edit {
            Edit::Replace {
                file,
                range,
                new_text,
            } => {
                let source = r.analysis.file(file)?;
                let index = LineIndex::new(&source.text);
                let uri = session.uri_for(root, file)?;
                by_uri.entry(uri).or_default().push(TextEdit {
                    range: conv::range(&index, &source.text, *range, enc),
                    new_text: new_text.clone(),
                });
            }
            Edit::Create { file, contents } => {
                let uri = session.uri_for(root, file)?;
                if !creates.contains(&uri) {
                    creates.push(uri.clone());
                }
                let start = Position::new(0, 0);
                by_uri.entry(uri).or_default().push(TextEdit {
                    range: Range::new(start, start),
                    new_text: contents.clone(),
                });
            }
        }
    }
    let caps = session.caps;
    if !(caps.document_changes && (creates.is_empty() || caps.create_files)) {
        return Some(WorkspaceEdit {
            changes: Some(by_uri.into_iter().collect()),
            ..Default::default()
        });
    }
    let mut ops: Vec<DocumentChangeOperation> = creates
        .into_iter()
        .map(|uri| {
            DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                uri,
                options: Some(CreateFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(true),
                }),
                annotation_id: None,
            }))
        })
        .collect();
    for (uri, edits) in by_uri {
        let version = session.docs.get(&uri).map(|d| d.version);
        ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
            edits: edits.into_iter().map(OneOf::Left).collect(),
        }));
    }
    Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(ops)),
        ..Default::default()
    })
}
