//! The workspace index's lifecycle: indexing the folders, re-reading files changed on disk,
//! and publishing the diagnostics of closed files.

#[allow(unused_imports)]
use super::*;

impl Core {
    /// Indexes every bank under the workspace folders (open documents as edited), in parallel,
    /// replacing the entries of closed files. Returns the number of banks indexed.
    pub(crate) async fn index_workspace(&self) -> Result<usize> {
        let started = Instant::now();
        let (folders, ticket) = {
            let mut state = self.lock();
            state.index_run += 1;
            (state.folders.clone(), state.index_run)
        };
        let paths = blocking("workspace discovery", move || index::markdown_files(&folders)).await?;
        let (inputs, generation) = {
            let mut state = self.lock();
            let generation = state.generation;
            let inputs: Vec<(PathBuf, Uri, FileConfig)> = paths
                .into_iter()
                .filter_map(|path| {
                    let uri = convert::file_uri(&path)?;
                    let file = state.configs.for_file(Some(&path));
                    (file.included && !state.documents.contains_key(&uri)).then_some((path, uri, file))
                })
                .collect();
            (inputs, generation)
        };
        self.report_config_problems().await;
        let hooks = self.shared.hooks.clone();
        let analysed = blocking("workspace indexing", move || {
            inputs
                .par_iter()
                .filter_map(|(path, uri, file)| {
                    let text = qbank_workspace::read_source(path).ok()?.text;
                    let display = path.display().to_string();
                    let analysis = guard("indexing", || {
                        hooks.before_analysis(&text);
                        analysis::analyze_for_index(
                            Arc::from(text),
                            analysis::Input { path: &display, file, generation },
                        )
                    });
                    Some((uri.clone(), Arc::new(analysis.ok()?)))
                })
                .collect::<Vec<_>>()
        })
        .await?;
        let open: Vec<Uri> = {
            let mut state = self.lock();
            if state.index_run != ticket {
                return Ok(state.index.len()); // a newer run replaces this one
            }
            let documents: Vec<Uri> = state.documents.keys().cloned().collect();
            state.index.retain(|uri| documents.contains(uri));
            for (uri, analysis) in analysed {
                state.index.insert(uri, analysis);
            }
            documents
        };
        // Open documents join the index through their own analysis.
        for uri in &open {
            let _ = self.analysis(uri).await;
        }
        let count = self.lock().index.len();
        self.schedule_corpus(Duration::ZERO);
        self.log(MessageType::INFO, format!("qbank: indexed {count} banks in {} ms", started.elapsed().as_millis()))
            .await;
        Ok(count)
    }

    /// After the index changed without an edit: refresh what the client shows.
    pub(crate) async fn refresh_workspace_diagnostics(&self) {
        let (session, published) = {
            let state = self.lock();
            (state.session, state.workspace_published)
        };
        if session.pull {
            if session.refresh_diagnostics {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
        } else if published {
            self.publish_closed_files().await;
        }
    }

    /// Checks the indexed files whose diagnostics are not computed yet (the index only parses
    /// them), in parallel on blocking threads.
    pub(crate) async fn check_indexed(&self) {
        let files: Vec<Arc<Analysis>> = self.lock().index.files().map(|(_, a)| a.clone()).collect();
        let _ = blocking("checking the workspace", move || {
            files.par_iter().for_each(|a| {
                a.diagnostics();
            });
        })
        .await;
    }

    /// Publishes the indexed diagnostics of every bank that is not open.
    pub(crate) async fn publish_closed_files(&self) {
        self.check_indexed().await;
        let closed: Vec<(Uri, Arc<Analysis>)> = {
            let state = self.lock();
            state
                .index
                .files()
                .filter(|(uri, _)| !state.documents.contains_key(*uri))
                .map(|(u, a)| (u.clone(), a.clone()))
                .collect()
        };
        for (uri, analysis) in closed {
            let diagnostics = self.lsp_diagnostics(&uri, &analysis);
            self.publish(uri, None, diagnostics);
        }
    }

    /// Re-reads one closed file from disk into the index (or drops it).
    pub(crate) async fn reload_from_disk(&self, uri: &Uri) {
        let Some(path) = convert::uri_path(uri) else { return };
        let (file, generation) = {
            let mut state = self.lock();
            if state.documents.contains_key(uri) || !state.folders_contain(uri) {
                return;
            }
            (state.configs.for_file(Some(&path)), state.generation)
        };
        let hooks = self.shared.hooks.clone();
        let display = path.display().to_string();
        let loaded = blocking("indexing", move || {
            let text = qbank_workspace::read_source(&path).ok()?.text;
            hooks.before_analysis(&text);
            file.included.then(|| {
                let analysis = analysis::analyze_for_index(
                    Arc::from(text),
                    analysis::Input { path: &display, file: &file, generation },
                );
                analysis.diagnostics(); // one file: check it here rather than on the async thread
                Arc::new(analysis)
            })
        })
        .await;
        let published = {
            let mut state = self.lock();
            if state.documents.contains_key(uri) {
                return;
            }
            match loaded {
                Ok(Some(analysis)) => drop_later(state.index.insert(uri.clone(), analysis)),
                _ => {
                    drop_later(state.index.remove(uri));
                }
            }
            state.workspace_published && !state.session.pull
        };
        self.schedule_corpus(CORPUS_DEBOUNCE);
        if published {
            let analysis = self.lock().index.get(uri).cloned();
            let diagnostics = analysis.map(|a| self.lsp_diagnostics(uri, &a)).unwrap_or_default();
            self.publish(uri.clone(), None, diagnostics);
        }
    }
}
