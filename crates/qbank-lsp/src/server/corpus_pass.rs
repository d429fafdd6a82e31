//! The corpus pass: cross-file findings (duplicates) over the whole index, debounced after
//! edits, and the duplicates of one question as the latest pass found them.

#[allow(unused_imports)]
use super::*;

/// How long the corpus pass waits after the last edit, open, close or disk change (its debounce).
pub const CORPUS_DEBOUNCE: Duration = Duration::from_millis(300);

impl Core {
    /// Runs the corpus pass `delay` after the last call (edits, opens, closes and disk changes
    /// call it with [`CORPUS_DEBOUNCE`]), on a blocking thread. Comparing the whole corpus on
    /// every keystroke would not keep up with a large workspace; each document's own findings
    /// are published at once, the cross-file ones once typing pauses.
    pub(crate) fn schedule_corpus(&self, delay: Duration) {
        let ticket = {
            let mut state = self.lock();
            state.corpus_ticket += 1;
            state.corpus_pending = true;
            state.corpus_ticket
        };
        let core = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            if core.lock().corpus_ticket == ticket {
                core.run_corpus().await;
            }
        });
    }

    /// The corpus pass over every indexed bank (open documents as edited); re-publishes the
    /// documents whose cross-file findings changed, open or (after `qbank.checkWorkspace`)
    /// closed. Returns whether anything changed.
    pub(crate) async fn run_corpus(&self) -> bool {
        if let Some(runs) = &self.shared.hooks.corpus_runs {
            runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        let run = {
            let mut state = self.lock();
            // This run sees every change made so far: a pass still waiting is not needed.
            state.corpus_ticket += 1;
            state.corpus_pending = false;
            state.corpus_run += 1;
            state.corpus_run
        };
        let open: Vec<Uri> = self.lock().documents.keys().cloned().collect();
        for uri in &open {
            let _ = self.analysis(uri).await;
        }
        let (files, mode) = {
            let state = self.lock();
            let files: Vec<(Uri, Arc<Analysis>)> = state.index.files().map(|(u, a)| (u.clone(), a.clone())).collect();
            (files, corpus::mode(&state.configs.client_settings().dedup))
        };
        let serials: Vec<u64> = files.iter().map(|(_, a)| a.serial).collect();
        let uris: Vec<Uri> = files.iter().map(|(u, _)| u.clone()).collect();
        let started = Instant::now();
        let (found, problems) = match blocking("duplicate detection", move || corpus::run(&files, &mode)).await {
            Ok(result) => result,
            Err(e) => {
                self.log(MessageType::ERROR, e.message.to_string()).await;
                return false;
            }
        };
        let questions: usize = found.iter().map(|f| f.links.len()).sum();
        self.log(
            MessageType::LOG,
            format!(
                "qbank: duplicate pass over {} banks ({questions} questions) in {} ms",
                uris.len(),
                started.elapsed().as_millis()
            ),
        )
        .await;
        for problem in problems {
            self.log(MessageType::WARNING, format!("qbank: {problem}")).await;
        }
        let (changed, session, published) = {
            let mut state = self.lock();
            if state.corpus_installed > run {
                return false; // a newer run already installed its results
            }
            state.corpus_installed = run;
            state.corpus_stamp += 1;
            let stamp = state.corpus_stamp;
            let mut fresh: HashMap<Uri, CorpusEntry> = HashMap::new();
            for ((uri, serial), findings) in uris.into_iter().zip(serials).zip(found) {
                fresh.insert(uri, CorpusEntry { serial, stamp, findings: Arc::new(findings) });
            }
            let old = std::mem::take(&mut state.corpus);
            let mut changed: Vec<Uri> = Vec::new();
            for (uri, entry) in &fresh {
                let before = old.get(uri);
                let same = before.is_some_and(|b| {
                    b.findings.diagnostics == entry.findings.diagnostics
                        && (b.serial == entry.serial || entry.findings.diagnostics.is_empty())
                });
                let was_shown = before.is_some() || !entry.findings.diagnostics.is_empty();
                if !same && was_shown {
                    changed.push(uri.clone());
                }
            }
            changed.extend(
                old.iter()
                    .filter(|(uri, b)| !fresh.contains_key(*uri) && !b.findings.diagnostics.is_empty())
                    .map(|(uri, _)| uri.clone()),
            );
            // Unchanged entries keep their stamp, so pull clients see "unchanged".
            for (uri, entry) in fresh.iter_mut() {
                if !changed.contains(uri)
                    && let Some(b) = old.get(uri)
                {
                    entry.stamp = b.stamp;
                }
            }
            state.corpus = fresh;
            (changed, state.session, state.workspace_published)
        };
        if changed.is_empty() {
            return false;
        }
        if session.pull {
            if session.refresh_diagnostics {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
            return true;
        }
        for uri in changed {
            let is_open = self.lock().documents.contains_key(&uri);
            if is_open {
                self.schedule_check(uri);
            } else if published {
                let analysis = self.lock().index.get(&uri).cloned();
                let diagnostics = analysis.map(|a| self.lsp_diagnostics(&uri, &a)).unwrap_or_default();
                self.publish(uri, None, diagnostics);
            }
        }
        true
    }

    /// The duplicates of `analysis`'s question `index` from an up-to-date corpus pass (run now
    /// when one is pending or has not seen this analysis): for explicit requests (the command,
    /// go to definition), where waiting for the pass beats a stale answer.
    pub(crate) async fn duplicates_of(&self, uri: &Uri, analysis: &Arc<Analysis>, index: usize) -> Vec<Duplicate> {
        let stale = {
            let state = self.lock();
            state.corpus_pending || state.corpus_of(uri, analysis).is_none()
        };
        if stale {
            self.run_corpus().await;
        }
        self.known_duplicates(uri, analysis, index)
    }

    /// The duplicates of a question as the latest corpus pass found them (none when the pass
    /// has not seen this analysis yet).
    pub(crate) fn known_duplicates(&self, uri: &Uri, analysis: &Analysis, index: usize) -> Vec<Duplicate> {
        let state = self.lock();
        let encoding = state.session.encoding;
        let Some(entry) = state.corpus_of(uri, analysis) else { return Vec::new() };
        let Some(links) = entry.findings.links.get(index) else { return Vec::new() };
        links
            .iter()
            .filter_map(|link| {
                let other = if &link.uri == uri { analysis } else { state.index.get(&link.uri)?.as_ref() };
                let question = other.questions.get(link.question)?;
                let view = TextView::new(&other.text, other.line_index(), encoding);
                Some(Duplicate {
                    uri: link.uri.clone(),
                    range: view.range(question.heading),
                    text: question.text.clone(),
                    number: question.number,
                    link: link.clone(),
                })
            })
            .collect()
    }
}

/// A duplicate of a question, resolved for the client.
pub(crate) struct Duplicate {
    pub(crate) uri: Uri,
    /// The other question's heading.
    pub(crate) range: Range,
    pub(crate) text: String,
    pub(crate) number: u32,
    pub(crate) link: corpus::Link,
}
