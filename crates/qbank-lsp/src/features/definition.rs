//! Go to definition: from a link to the question it names ([`super::links`]), from a question
//! heading to its duplicates in the workspace.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::convert::TextView;
use crate::server::Core;

impl Core {
    pub(crate) async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let position = params.text_document_position_params;
        let uri = position.text_document.uri;
        let Some(analysis) = self.analysis(&uri).await? else { return Ok(None) };
        let view = TextView::new(&analysis.text, analysis.line_index(), self.session().encoding);
        let offset = view.offset(position.position);
        if let Some(location) = self.link_definition(&uri, offset).await? {
            return Ok(Some(GotoDefinitionResponse::Scalar(location)));
        }
        let Some((index, _)) =
            analysis.question_at(offset).filter(|(_, q)| q.heading.start <= offset && offset <= q.heading.end)
        else {
            return Ok(None);
        };
        let found = self.duplicates_of(&uri, &analysis, index).await;
        if found.is_empty() {
            return Ok(None);
        }
        let locations: Vec<Location> = found.into_iter().map(|d| Location { uri: d.uri, range: d.range }).collect();
        Ok(Some(GotoDefinitionResponse::Array(locations)))
    }
}
