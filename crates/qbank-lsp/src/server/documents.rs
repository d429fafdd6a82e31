//! The open documents' analyses: computed once per version on a blocking thread, checked in the
//! background and converted to LSP diagnostics; configuration changes that redo them.

#[allow(unused_imports)]
use super::*;

impl Core {
    /// The analysis of an open document's current version (computed once and shared by every
    /// request for it), or the index's entry for a closed file.
    pub(crate) async fn analysis(&self, uri: &Uri) -> Result<Option<Arc<Analysis>>> {
        Ok(self.analysis_of_current(uri).await?.map(|(analysis, _)| analysis))
    }

    /// [`Core::analysis`] with the version it analysed (0 for a closed file).
    pub(crate) async fn analysis_of_current(&self, uri: &Uri) -> Result<Option<(Arc<Analysis>, i32)>> {
        let job = {
            let state = self.lock();
            match state.documents.get(uri) {
                Some(doc) => (
                    doc.analysis.clone(),
                    doc.cache.clone(),
                    doc.text.clone(),
                    doc.path.clone(),
                    doc.file.clone(),
                    doc.generation,
                    doc.version,
                ),
                None => return Ok(state.index.get(uri).cloned().map(|a| (a, 0))),
            }
        };
        let (cell, cache, text, path, file, generation, version) = job;
        let hooks = self.shared.hooks.clone();
        let analysis = cell
            .get_or_try_init(|| {
                blocking("analysis", move || {
                    hooks.before_analysis(&text);
                    let input = analysis::Input { path: &path, file: &file, generation };
                    // A panic while the cache was held may have left it half-updated: start over.
                    let mut cache = cache.lock().unwrap_or_else(|poisoned| {
                        cache.clear_poison();
                        let mut guard = poisoned.into_inner();
                        *guard = Default::default();
                        guard
                    });
                    if cache.0 != generation {
                        *cache = (generation, IncrementalCache::default());
                    }
                    Arc::new(analysis::analyze_incremental(text, input, &mut cache.1))
                })
            })
            .await?
            .clone();
        let mut state = self.lock();
        let current = state.documents.get(uri).is_some_and(|d| d.version == version && d.generation == generation);
        let indexed = state.index.get(uri).is_some_and(|a| Arc::ptr_eq(a, &analysis));
        if current && !indexed && state.folders_contain(uri) {
            drop_later(state.index.insert(uri.clone(), analysis.clone()));
        }
        Ok(Some((analysis, version)))
    }

    /// Checks an open document in the background and publishes the result (push mode only).
    ///
    /// Coalesced: one checker per document at a time. A request that arrives while a check
    /// runs only marks the document; the checker then checks the newest version once more when
    /// it is done. So a burst of edits (fast typing, paste, undo) costs at most two analyses,
    /// never one per version in turn.
    pub(crate) fn schedule_check(&self, uri: Uri) {
        if self.session().pull {
            return;
        }
        {
            let mut state = self.lock();
            let Some(doc) = state.documents.get_mut(&uri) else { return };
            doc.check_requests += 1;
            if doc.checking {
                return; // the running checker sees the request when it finishes
            }
            doc.checking = true;
        }
        let core = self.clone();
        tokio::spawn(async move {
            loop {
                // Let edits already received be applied first: check the newest version.
                tokio::task::yield_now().await;
                let Some(requests) = core.lock().documents.get(&uri).map(|d| d.check_requests) else { return };
                match core.analysis_of_current(&uri).await {
                    Ok(Some((analysis, version))) => {
                        let diagnostics = core.lsp_diagnostics(&uri, &analysis);
                        core.publish(uri.clone(), Some(version), diagnostics);
                    }
                    Ok(None) => {}
                    Err(e) => core.log(MessageType::ERROR, format!("{}: {}", uri.as_str(), e.message)).await,
                }
                let mut state = core.lock();
                let Some(doc) = state.documents.get_mut(&uri) else { return };
                if doc.check_requests == requests {
                    doc.checking = false;
                    return;
                }
            }
        });
    }

    pub(crate) fn lsp_diagnostics(
        &self,
        uri: &Uri,
        analysis: &Analysis,
    ) -> Vec<tower_lsp_server::ls_types::Diagnostic> {
        let encoding = self.session().encoding;
        let state = self.lock();
        let diagnostics = state.diagnostics(uri, analysis).0;
        let related = Related { uri, analysis, encoding, index: Some(&state.index) };
        let view = TextView::new(&analysis.text, analysis.line_index(), encoding);
        guard("diagnostic conversion", || diagnostics.iter().map(|d| convert::diagnostic(&view, d, &related)).collect())
            .unwrap_or_default()
    }

    /// The pull `resultId` of a file: its analysis and the corpus pass that gave its
    /// cross-file findings.
    pub(crate) fn result_id(&self, uri: &Uri, analysis: &Analysis) -> String {
        let stamp = self.lock().corpus_of(uri, analysis).map_or(0, |e| e.stamp);
        format!("{}.{stamp}", analysis.serial)
    }

    /// Re-reads the configuration and re-checks every open document.
    pub(crate) fn configuration_changed(&self) {
        let uris: Vec<Uri> = {
            let mut state = self.lock();
            state.configs.invalidate();
            state.generation += 1;
            let generation = state.generation;
            let State { documents, configs, .. } = &mut *state;
            for (uri, doc) in documents.iter_mut() {
                doc.file = configs.for_file(convert::uri_path(uri).as_deref());
                doc.generation = generation;
                doc.analysis = Arc::new(OnceCell::new());
            }
            documents.keys().cloned().collect()
        };
        for uri in uris {
            self.schedule_check(uri);
        }
    }

    pub(crate) async fn report_config_problems(&self) {
        let problems = self.lock().configs.take_problems();
        for problem in problems {
            self.log(MessageType::WARNING, problem.clone()).await;
            self.client.show_message(MessageType::WARNING, format!("qbank: {problem}")).await;
        }
    }

    /// A view of an open document or indexed file for position conversion, with its analysis.
    pub(crate) async fn with_analysis<T>(
        &self,
        uri: &Uri,
        what: &str,
        f: impl FnOnce(&Analysis, &TextView<'_>) -> T,
    ) -> Result<Option<T>> {
        let Some(analysis) = self.analysis(uri).await? else { return Ok(None) };
        let view = TextView::new(&analysis.text, analysis.line_index(), self.session().encoding);
        guard(what, || f(&analysis, &view)).map(Some)
    }
}
