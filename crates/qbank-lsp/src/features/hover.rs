//! Hover: a question heading shows its id, difficulty and tags; the bank's title shows how the
//! file was read (shape, how sure, doubts: what `qbank inspect` says); a metadata key shows the
//! schema's description; a diagnostic's range shows its rule's documentation.

use qbank_core::Span;
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use crate::analysis::Analysis;
use crate::convert::TextView;
use crate::metadata;

/// A duplicate of the hovered question, from the corpus pass.
#[derive(Clone, Debug)]
pub struct Duplicate {
    /// A link target: the other question's uri with `#L<line>`.
    pub location: String,
    /// The other file's name.
    pub file: String,
    pub number: u32,
    pub question: String,
    pub exact: bool,
    pub score: f32,
    pub question_score: f32,
    /// `[-removed-]{+added+}` from the earlier question to the later one.
    pub word_diff: String,
}

/// `duplicates(i)`: the duplicates of question `i` (document order).
pub fn hover(
    analysis: &Analysis,
    view: &TextView<'_>,
    offset: usize,
    duplicates: &dyn Fn(usize) -> Vec<Duplicate>,
) -> Option<Hover> {
    let mut parts: Vec<String> = Vec::new();
    let mut range: Option<Span> = None;

    if let Some((index, q)) =
        analysis.question_at(offset).filter(|(_, q)| q.heading.start <= offset && offset <= q.heading.end)
    {
        let mut text = format!("**Question {}**", q.number);
        if let Some(section) = &q.section {
            text.push_str(&format!(" · {section}"));
        }
        text.push_str("\n\n");
        text.push_str(&format!(
            "- id: {}\n",
            if q.id.is_empty() { "*(none: `qbank fmt` assigns one)*".to_string() } else { format!("`{}`", q.id) }
        ));
        text.push_str(&format!("- difficulty: {}\n", q.difficulty.map_or("*(not set)*", |d| d.as_str())));
        let tags = if q.tags.is_empty() {
            "*(none)*".to_string()
        } else {
            q.tags.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
        };
        text.push_str(&format!("- tags: {tags}"));
        let found = duplicates(index);
        if !found.is_empty() {
            text.push_str("\n\n**Duplicates**\n");
            for d in &found {
                let kind = if d.exact { "exact duplicate" } else { "near duplicate" };
                text.push_str(&format!(
                    "\n- {kind}, score {:.2} (question text {:.2}): [question {} in {}]({})\n  `{}`",
                    d.score,
                    d.question_score,
                    d.number,
                    d.file,
                    d.location,
                    d.word_diff.replace('`', "'")
                ));
            }
        }
        parts.push(text);
        range = Some(q.heading);
    }

    // The bank's title (or the first line of a file without one) shows the reading.
    let parsed = analysis.parsed();
    let title = parsed.title_span.unwrap_or_else(|| view.index.line_span(&analysis.text, 0));
    if range.is_none() && title.start <= offset && offset <= title.end {
        let value = qbank_core::shapes::summary::reading_json(&analysis.path, &analysis.text, &parsed);
        parts.push(qbank_core::shapes::summary::reading_markdown(&value));
        range = Some(title);
    }

    let line = view.index.line_span(&analysis.text, view.index.line_of(offset));
    if let Some(key) = metadata::key_at(line.slice(&analysis.text), offset - line.start)
        && let Some(description) = metadata::key_description(key)
    {
        parts.push(format!("**`{key}`**\n\n{description}"));
        range = range.or(Some(line));
    }

    let mut seen: Vec<&str> = Vec::new();
    for d in analysis.diagnostics().iter().filter(|d| d.span.start <= offset && offset <= d.span.end) {
        if seen.contains(&d.code) {
            continue;
        }
        seen.push(d.code);
        let Some(rule) = qbank_lint::registry::find(d.code) else { continue };
        let meta = rule.meta;
        parts.push(format!(
            "**{} `{}`**: {}\n\n{}\n\n[Rule documentation]({})",
            meta.code,
            meta.name,
            meta.summary,
            meta.docs,
            qbank_lint::docs_url(meta.code)
        ));
        range = Some(range.map_or(d.span, |r| if d.span.len() < r.len() { d.span } else { r }));
    }

    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: parts.join("\n\n---\n\n") }),
        range: range.map(|r| view.range(r)),
    })
}

mod handler {
    //! The handler: a snapshot of the server state, the functions above, the conversion.

    use tower_lsp_server::jsonrpc::Result;
    use tower_lsp_server::ls_types::*;

    #[allow(unused_imports)]
    use crate::features::{actions, completion, hover, links};
    use crate::server::Core;

    impl Core {
        pub(crate) async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
            let position = params.text_document_position_params;
            let uri = position.text_document.uri;
            let hover = self
                .with_analysis(&uri, "hover", |analysis, view| {
                    let duplicates = |index: usize| -> Vec<hover::Duplicate> {
                        self.known_duplicates(&uri, analysis, index)
                            .into_iter()
                            .map(|d| hover::Duplicate {
                                location: format!("{}#L{}", d.uri.as_str(), d.range.start.line + 1),
                                file: d.uri.as_str().rsplit('/').next().unwrap_or_default().to_string(),
                                number: d.number,
                                question: d.text,
                                exact: d.link.kind == qbank_dedup::PairKind::Exact,
                                score: d.link.score,
                                question_score: d.link.question_score,
                                word_diff: d.link.word_diff,
                            })
                            .collect()
                    };
                    hover::hover(analysis, view, view.offset(position.position), &duplicates)
                })
                .await?;
            Ok(hover.flatten())
        }
    }
}
