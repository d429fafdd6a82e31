//! The `LanguageServer`: session negotiation, the document store, the workspace index's
//! lifecycle and the request handlers. Handlers are thin: they take a snapshot under a short
//! lock, run library calls on a blocking thread or under `catch_unwind`, and convert the
//! result through [`crate::convert`].
//!
//! Ordering: `tower-lsp-server` runs handlers concurrently but starts them in arrival order, so
//! every state change (open, change, close) happens synchronously before the handler's first
//! `.await`. Results computed for a version that is no longer the latest are dropped, and one
//! publisher task sends `publishDiagnostics` so an older version never overwrites a newer one.
//!
//! Cross-file duplicates ([`crate::corpus`]) come from a debounced pass over the whole index
//! ([`CORPUS_DEBOUNCE`] after the last change, on a blocking thread); its findings are merged
//! into a document's diagnostics only for the analysis the pass saw, and every document whose
//! findings changed is re-published when it finishes.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use qbank_core::Encoding;
use qbank_lint::check::{FileInfo, IncrementalCache, check_parsed};
use qbank_lint::fix::fix_until_stable;
use qbank_lint::{Applicability, Diagnostic};
use rayon::prelude::*;
use serde_json::{Value, json};
use tokio::sync::{OnceCell, mpsc};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::analysis::{self, Analysis};
use crate::convert::{self, RelatedFiles, TextView};
use crate::corpus;
use crate::features::{actions, completion, hover, symbols};
use crate::index::{self, WorkspaceIndex};
use crate::settings::{ClientSettings, ConfigStore, FileConfig, is_config_file};

/// `workspace/executeCommand`: check every indexed bank, publish, return `{files, findings}`.
pub const CHECK_WORKSPACE: &str = "qbank.checkWorkspace";
/// `workspace/executeCommand` with `[{uri, position}]`: the question's exact and near
/// duplicates in the workspace (from the corpus pass), as `[{uri, range, score, kind, question}]`.
pub const DUPLICATES: &str = "qbank.duplicates";
/// `workspace/executeCommand` with `[{uri, range}]` (a `Location`): the server asks the client
/// to open it (`window/showDocument`, focused, the range selected). The command of the
/// "Go to duplicate" code action: the server runs it, so it needs nothing client-specific and
/// works wherever `window/showDocument` does (VS Code, Neovim ≥ 0.8, Helix, Zed …).
pub const SHOW_LOCATION: &str = "qbank.showLocation";
/// How long the corpus pass waits after the last edit, open, close or disk change (its debounce).
pub const CORPUS_DEBOUNCE: Duration = Duration::from_millis(300);

/// Fault injection for the robustness tests; every field is off in production.
#[doc(hidden)]
#[derive(Clone, Debug, Default)]
pub struct TestHooks {
    /// Analysing a text that contains this string panics.
    pub panic_marker: Option<String>,
    /// Analysing a text that contains this string first sleeps this long.
    pub slow_marker: Option<(String, Duration)>,
    /// Counts the corpus passes that ran (the debounce test).
    pub corpus_runs: Option<Arc<std::sync::atomic::AtomicUsize>>,
}

impl TestHooks {
    fn before_analysis(&self, text: &str) {
        if let Some((marker, delay)) = &self.slow_marker
            && text.contains(marker.as_str())
        {
            std::thread::sleep(*delay);
        }
        if let Some(marker) = &self.panic_marker
            && text.contains(marker.as_str())
        {
            panic!("injected fault: the text contains {marker:?}");
        }
    }
}

/// The qbank language server.
pub struct Backend {
    core: Core,
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Backend")
    }
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend::with_hooks(client, TestHooks::default())
    }

    #[doc(hidden)]
    pub fn with_hooks(client: Client, hooks: TestHooks) -> Backend {
        let (publish_tx, publish_rx) = mpsc::unbounded_channel();
        let shared =
            Shared { state: Mutex::new(State::default()), hooks, publish_tx, publish_rx: Mutex::new(Some(publish_rx)) };
        Backend { core: Core { client, shared: Arc::new(shared) } }
    }
}

#[derive(Clone)]
struct Core {
    client: Client,
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    hooks: TestHooks,
    publish_tx: mpsc::UnboundedSender<Publication>,
    publish_rx: Mutex<Option<mpsc::UnboundedReceiver<Publication>>>,
}

/// What the client told us about itself, fixed at `initialize`.
#[derive(Clone, Copy, Debug)]
struct Session {
    encoding: Encoding,
    /// The client pulls diagnostics (`textDocument.diagnostic`); the server then never pushes.
    pull: bool,
    snippets: bool,
    hierarchical_symbols: bool,
    refresh_diagnostics: bool,
    resolve_code_actions: bool,
    register_watchers: bool,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            encoding: Encoding::Utf16,
            pull: false,
            snippets: false,
            hierarchical_symbols: false,
            refresh_diagnostics: false,
            resolve_code_actions: false,
            register_watchers: false,
        }
    }
}

#[derive(Default)]
struct State {
    session: Session,
    documents: HashMap<Uri, Document>,
    index: WorkspaceIndex,
    configs: ConfigStore,
    /// Bumped whenever configuration changes, so analyses made with the old one are redone.
    generation: u64,
    folders: Vec<PathBuf>,
    /// Whether `qbank.checkWorkspace` published diagnostics for closed files, which then have
    /// to follow disk changes.
    workspace_published: bool,
    /// The latest indexing run; an older run's results are dropped.
    index_run: u64,
    /// The corpus pass's findings per indexed bank.
    corpus: HashMap<Uri, CorpusEntry>,
    /// Bumped per scheduled corpus pass: a pass that is not the latest when its delay ends
    /// does not run (the debounce).
    corpus_ticket: u64,
    /// A pass is scheduled and has not started yet: the stored findings may be out of date.
    corpus_pending: bool,
    /// Bumped per corpus run: an older run never replaces a newer run's results.
    corpus_run: u64,
    corpus_installed: u64,
    /// Bumped per installed result, for pull `resultId`s.
    corpus_stamp: u64,
}

/// One bank's corpus findings, made for the analysis with `serial`: they are shown with that
/// analysis only (an edited document shows its own findings at once and the cross-file ones
/// when the next pass has seen the edit).
#[derive(Clone)]
struct CorpusEntry {
    serial: u64,
    stamp: u64,
    findings: Arc<corpus::FileFindings>,
}

/// An open document: the editor's text, which wins over the disk.
struct Document {
    version: i32,
    text: Arc<str>,
    path: String,
    file: FileConfig,
    generation: u64,
    /// The analysis of exactly this version and generation, computed at most once.
    analysis: Arc<OnceCell<Arc<Analysis>>>,
    /// Parsed segments and per-question findings of earlier versions, so an edit re-checks
    /// only what it touched; tagged with the configuration generation they were made with.
    cache: Arc<std::sync::Mutex<(u64, IncrementalCache)>>,
}

struct Publication {
    uri: Uri,
    /// `None` for files that are not open (their disk text).
    version: Option<i32>,
    diagnostics: Vec<tower_lsp_server::ls_types::Diagnostic>,
}

fn internal_error(message: String) -> Error {
    Error { code: ErrorCode::InternalError, message: message.into(), data: None }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Runs a library call under `catch_unwind`: a panic becomes a JSON-RPC error and a log line,
/// never a dead server.
fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let message = format!("qbank: {what} failed: {}", panic_message(payload.as_ref()));
        eprintln!("[qbank-lsp] {message}");
        internal_error(message)
    })
}

/// Drops `value` on a blocking thread: freeing the analysis of a 2,000-question bank takes
/// milliseconds that an edit → diagnostics round trip should not wait for.
fn drop_later<T: Send + 'static>(value: T) {
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => drop(runtime.spawn_blocking(move || drop(value))),
        Err(_) => drop(value),
    }
}

/// [`guard`] on a blocking thread, for calls that may take milliseconds.
async fn blocking<T: Send + 'static>(what: &'static str, f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    match tokio::task::spawn_blocking(move || guard(what, f)).await {
        Ok(result) => result,
        Err(e) => Err(internal_error(format!("qbank: {what} failed: {e}"))),
    }
}

impl Core {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic never happens while the lock is held (library calls run outside it), but if
        // one did, the state is still consistent enough to go on.
        self.shared.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn session(&self) -> Session {
        self.lock().session
    }

    async fn log(&self, kind: MessageType, message: String) {
        eprintln!("[qbank-lsp] {message}");
        self.client.log_message(kind, message).await;
    }

    fn spawn_publisher(&self) {
        let Some(mut rx) = self.shared.publish_rx.lock().unwrap_or_else(PoisonError::into_inner).take() else { return };
        let core = self.clone();
        tokio::spawn(async move {
            let mut last: HashMap<Uri, i32> = HashMap::new();
            while let Some(p) = rx.recv().await {
                let current = core.lock().documents.get(&p.uri).map(|d| d.version);
                let fresh = match (p.version, current) {
                    (Some(v), Some(now)) => v == now && last.get(&p.uri).is_none_or(|&l| l <= v),
                    (None, None) => true,
                    // Results for a document that was opened or closed since they were computed.
                    _ => false,
                };
                if !fresh {
                    continue;
                }
                if let Some(v) = p.version {
                    last.insert(p.uri.clone(), v);
                }
                core.client.publish_diagnostics(p.uri, p.diagnostics, p.version).await;
            }
        });
    }

    fn publish(&self, uri: Uri, version: Option<i32>, diagnostics: Vec<tower_lsp_server::ls_types::Diagnostic>) {
        let _ = self.shared.publish_tx.send(Publication { uri, version, diagnostics });
    }

    /// The analysis of an open document's current version (computed once and shared by every
    /// request for it), or the index's entry for a closed file.
    async fn analysis(&self, uri: &Uri) -> Result<Option<Arc<Analysis>>> {
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
                None => return Ok(state.index.get(uri).cloned()),
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
        Ok(Some(analysis))
    }

    /// Checks an open document in the background and publishes the result, unless a newer
    /// version arrives first (push mode only).
    fn schedule_check(&self, uri: Uri) {
        let Some(version) = self.lock().documents.get(&uri).map(|d| d.version) else { return };
        if self.session().pull {
            return;
        }
        let core = self.clone();
        tokio::spawn(async move {
            if core.lock().documents.get(&uri).is_none_or(|d| d.version != version) {
                return; // superseded before it started
            }
            match core.analysis(&uri).await {
                Ok(Some(analysis)) => {
                    let diagnostics = core.lsp_diagnostics(&uri, &analysis);
                    core.publish(uri, Some(version), diagnostics);
                }
                Ok(None) => {}
                Err(e) => core.log(MessageType::ERROR, format!("{}: {}", uri.as_str(), e.message)).await,
            }
        });
    }

    fn lsp_diagnostics(&self, uri: &Uri, analysis: &Analysis) -> Vec<tower_lsp_server::ls_types::Diagnostic> {
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
    fn result_id(&self, uri: &Uri, analysis: &Analysis) -> String {
        let stamp = self.lock().corpus_of(uri, analysis).map_or(0, |e| e.stamp);
        format!("{}.{stamp}", analysis.serial)
    }

    /// Runs the corpus pass `delay` after the last call (edits, opens, closes and disk changes
    /// call it with [`CORPUS_DEBOUNCE`]), on a blocking thread. Comparing the whole corpus on
    /// every keystroke would not keep up with a large workspace; each document's own findings
    /// are published at once, the cross-file ones once typing pauses.
    fn schedule_corpus(&self, delay: Duration) {
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
    async fn run_corpus(&self) -> bool {
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

    /// Re-reads the configuration and re-checks every open document.
    fn configuration_changed(&self) {
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

    async fn report_config_problems(&self) {
        let problems = self.lock().configs.take_problems();
        for problem in problems {
            self.log(MessageType::WARNING, problem.clone()).await;
            self.client.show_message(MessageType::WARNING, format!("qbank: {problem}")).await;
        }
    }

    /// Indexes every bank under the workspace folders (open documents as edited), in parallel,
    /// replacing the entries of closed files. Returns the number of banks indexed.
    async fn index_workspace(&self) -> Result<usize> {
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
    async fn refresh_workspace_diagnostics(&self) {
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
    async fn check_indexed(&self) {
        let files: Vec<Arc<Analysis>> = self.lock().index.files().map(|(_, a)| a.clone()).collect();
        let _ = blocking("checking the workspace", move || {
            files.par_iter().for_each(|a| {
                a.diagnostics();
            });
        })
        .await;
    }

    /// Publishes the indexed diagnostics of every bank that is not open.
    async fn publish_closed_files(&self) {
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
    async fn reload_from_disk(&self, uri: &Uri) {
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

    /// A view of an open document or indexed file for position conversion, with its analysis.
    async fn with_analysis<T>(
        &self,
        uri: &Uri,
        what: &str,
        f: impl FnOnce(&Analysis, &TextView<'_>) -> T,
    ) -> Result<Option<T>> {
        let Some(analysis) = self.analysis(uri).await? else { return Ok(None) };
        let view = TextView::new(&analysis.text, analysis.line_index(), self.session().encoding);
        guard(what, || f(&analysis, &view)).map(Some)
    }

    async fn fix_all_edit(&self, uri: &Uri) -> Result<Option<WorkspaceEdit>> {
        let Some(analysis) = self.analysis(uri).await? else { return Ok(None) };
        let file = {
            let mut state = self.lock();
            state
                .documents
                .get(uri)
                .map(|d| d.file.clone())
                .unwrap_or_else(|| state.configs.for_file(convert::uri_path(uri).as_deref()))
        };
        let encoding = self.session().encoding;
        let path = analysis.path.clone();
        let source = analysis.clone();
        let fixed = blocking("fix all", move || {
            let info = FileInfo { path: &path, relative_path: &file.relative_path };
            let check =
                |text: &str| -> Vec<Diagnostic> { check_parsed(info, text, &qbank_core::parse(text), &file.config) };
            fix_until_stable(&source.text, Applicability::Safe, check).output
        })
        .await?;
        let view = TextView::new(&analysis.text, analysis.line_index(), encoding);
        let edits = actions::whole_text_edit(&view, &fixed);
        Ok((!edits.is_empty()).then(|| actions::workspace_edit(uri, edits)))
    }

    async fn canonical_edit(&self, uri: &Uri) -> Result<Option<WorkspaceEdit>> {
        let Some(edits) = self.formatting_edits(uri).await? else { return Ok(None) };
        Ok((!edits.is_empty()).then(|| actions::workspace_edit(uri, edits)))
    }

    async fn formatting_edits(&self, uri: &Uri) -> Result<Option<Vec<TextEdit>>> {
        let Some(analysis) = self.analysis(uri).await? else { return Ok(None) };
        let encoding = self.session().encoding;
        let formatted = {
            let analysis = analysis.clone();
            blocking("formatting", move || analysis.canonical().map(str::to_string)).await?
        };
        let Some(formatted) = formatted else { return Ok(None) };
        let view = TextView::new(&analysis.text, analysis.line_index(), encoding);
        Ok(Some(actions::whole_text_edit(&view, &formatted)))
    }

    async fn check_workspace(&self) -> Result<Value> {
        self.index_workspace().await?;
        let open: Vec<Uri> = self.lock().documents.keys().cloned().collect();
        for uri in &open {
            let _ = self.analysis(uri).await;
        }
        // Not debounced: the answer counts the cross-file findings too.
        self.run_corpus().await;
        self.check_indexed().await;
        let (files, findings, session) = {
            let mut state = self.lock();
            state.workspace_published = true;
            let findings: usize = state.index.files().map(|(u, a)| state.diagnostics(u, a).0.len()).sum();
            (state.index.len(), findings, state.session)
        };
        if session.pull {
            if session.refresh_diagnostics {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
        } else {
            self.publish_closed_files().await;
            for uri in open {
                self.schedule_check(uri);
            }
        }
        Ok(json!({ "files": files, "findings": findings }))
    }

    async fn duplicates(&self, arguments: &[Value]) -> Result<Value> {
        let Some(params) = arguments
            .first()
            .and_then(|a| serde_json::from_value::<TextDocumentPositionParams>(a.clone()).ok())
            .or_else(|| {
                let a = arguments.first()?;
                let uri: Uri = serde_json::from_value(a.get("uri")?.clone()).ok()?;
                let position: Position = serde_json::from_value(a.get("position")?.clone()).ok()?;
                Some(TextDocumentPositionParams { text_document: TextDocumentIdentifier { uri }, position })
            })
        else {
            return Err(Error::invalid_params("qbank.duplicates takes [{ uri, position }]"));
        };
        let uri = params.text_document.uri;
        let Some(analysis) = self.analysis(&uri).await? else { return Ok(json!([])) };
        let encoding = self.session().encoding;
        let offset = TextView::new(&analysis.text, analysis.line_index(), encoding).offset(params.position);
        let Some((index, _)) = analysis.question_at(offset) else { return Ok(json!([])) };
        let indexed = self.lock().index.get(&uri).is_some_and(|a| Arc::ptr_eq(a, &analysis));
        if !indexed {
            // Not indexed (outside the workspace folders), so not in the corpus pass: compare
            // its normalised text with the index all the same.
            let state = self.lock();
            let mut scratch = WorkspaceIndex::default();
            for (u, a) in state.index.files() {
                scratch.insert(u.clone(), a.clone());
            }
            scratch.insert(uri.clone(), analysis.clone());
            return Ok(same_text_json(&scratch, &uri, index, encoding));
        }
        let found = self.duplicates_of(&uri, &analysis, index).await;
        Ok(Value::Array(
            found
                .iter()
                .map(|d| {
                    json!({
                        "uri": d.uri,
                        "range": d.range,
                        "score": rounded(d.link.score),
                        "questionScore": rounded(d.link.question_score),
                        "kind": kind_name(d.link.kind),
                        "question": d.text,
                        "wordDiff": d.link.word_diff,
                    })
                })
                .collect(),
        ))
    }

    /// The duplicates of `analysis`'s question `index` from an up-to-date corpus pass (run now
    /// when one is pending or has not seen this analysis): for explicit requests (the command,
    /// go to definition), where waiting for the pass beats a stale answer.
    async fn duplicates_of(&self, uri: &Uri, analysis: &Arc<Analysis>, index: usize) -> Vec<Duplicate> {
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
    fn known_duplicates(&self, uri: &Uri, analysis: &Analysis, index: usize) -> Vec<Duplicate> {
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

    /// "Go to duplicate" for each QB301/QB302 finding under `range`: runs [`SHOW_LOCATION`]
    /// with the finding's related location (the other question).
    fn go_to_duplicate_actions(&self, uri: &Uri, analysis: &Analysis, range: Range) -> Vec<CodeAction> {
        let overlaps = |r: &Range| r.start <= range.end && range.start <= r.end;
        self.lsp_diagnostics(uri, analysis)
            .into_iter()
            .filter(|d| {
                matches!(&d.code, Some(NumberOrString::String(code)) if code == "QB301" || code == "QB302")
                    && overlaps(&d.range)
            })
            .filter_map(|d| {
                let related = d.related_information.as_ref()?.first()?.clone();
                let title = format!("Go to duplicate: {}", related.message);
                Some(CodeAction {
                    title: title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    command: Some(Command {
                        title,
                        command: SHOW_LOCATION.into(),
                        arguments: Some(vec![json!(related.location)]),
                    }),
                    diagnostics: Some(vec![d]),
                    ..CodeAction::default()
                })
            })
            .collect()
    }

    /// `qbank.showLocation [{ uri, range }]`: asks the client to open and select the location.
    async fn show_location(&self, arguments: &[Value]) -> Result<Value> {
        let Some(location) = arguments.first().and_then(|a| serde_json::from_value::<Location>(a.clone()).ok()) else {
            return Err(Error::invalid_params("qbank.showLocation takes [{ uri, range }]"));
        };
        let params = ShowDocumentParams {
            uri: location.uri,
            external: Some(false),
            take_focus: Some(true),
            selection: Some(location.range),
        };
        let shown = self.client.show_document(params).await.unwrap_or(false);
        Ok(json!({ "success": shown }))
    }
}

/// A duplicate of a question, resolved for the client.
struct Duplicate {
    uri: Uri,
    /// The other question's heading.
    range: Range,
    text: String,
    number: u32,
    link: corpus::Link,
}

/// A score with four decimals (no `0.99999994` in answers).
fn rounded(score: f32) -> f64 {
    (f64::from(score) * 10_000.0).round() / 10_000.0
}

fn kind_name(kind: qbank_dedup::PairKind) -> &'static str {
    match kind {
        qbank_dedup::PairKind::Exact => "exact",
        qbank_dedup::PairKind::Near => "near",
    }
}

fn same_text_json(index: &WorkspaceIndex, uri: &Uri, question: usize, encoding: Encoding) -> Value {
    let found: Vec<Value> = index
        .same_text(uri, question)
        .into_iter()
        .map(|q| {
            let view = TextView::new(&q.analysis.text, q.analysis.line_index(), encoding);
            json!({
                "uri": q.uri,
                "range": view.range(q.question.heading),
                "score": 1.0,
                "questionScore": 1.0,
                "kind": "exact",
                "question": q.question.text,
                "wordDiff": q.question.text,
            })
        })
        .collect();
    Value::Array(found)
}

impl State {
    /// The corpus pass's findings for `analysis` of `uri`, if the latest pass saw that analysis.
    fn corpus_of(&self, uri: &Uri, analysis: &Analysis) -> Option<&CorpusEntry> {
        self.corpus.get(uri).filter(|e| e.serial == analysis.serial)
    }

    /// What `qbank check` reports for this file among the indexed banks: the document's own
    /// findings and its cross-file ones, sorted as the CLI sorts them; with the corpus stamp.
    fn diagnostics(&self, uri: &Uri, analysis: &Analysis) -> (Vec<Diagnostic>, u64) {
        let mut all = analysis.diagnostics().to_vec();
        let mut stamp = 0;
        if let Some(entry) = self.corpus_of(uri, analysis) {
            all.extend(entry.findings.diagnostics.iter().cloned());
            all.sort_by(|a, b| (a.span.start, a.code, a.span.end).cmp(&(b.span.start, b.code, b.span.end)));
            stamp = entry.stamp;
        }
        (all, stamp)
    }

    /// Whether `uri` is a file under a workspace folder (or there are no folders at all).
    fn folders_contain(&self, uri: &Uri) -> bool {
        match convert::uri_path(uri) {
            Some(path) => self.folders.is_empty() || self.folders.iter().any(|f| path.starts_with(f)),
            None => false,
        }
    }
}

/// Resolves `Related::path` to a uri: this document, or another indexed bank.
struct Related<'a> {
    uri: &'a Uri,
    analysis: &'a Analysis,
    encoding: Encoding,
    index: Option<&'a WorkspaceIndex>,
}

impl RelatedFiles for Related<'_> {
    fn resolve(&self, path: &str) -> Option<(Uri, TextView<'_>)> {
        if path == self.analysis.path {
            return Some((
                self.uri.clone(),
                TextView::new(&self.analysis.text, self.analysis.line_index(), self.encoding),
            ));
        }
        let (uri, other) = self.index?.uri_for_path(path)?;
        Some((uri.clone(), TextView::new(&other.text, other.line_index(), self.encoding)))
    }
}

fn folders_of(params: &InitializeParams) -> Vec<PathBuf> {
    if let Some(folders) = &params.workspace_folders {
        return folders.iter().filter_map(|f| convert::uri_path(&f.uri)).collect();
    }
    #[allow(deprecated, reason = "older clients send only rootUri")]
    let root = params.root_uri.as_ref().and_then(convert::uri_path);
    root.into_iter().collect()
}

fn session_of(capabilities: &ClientCapabilities) -> Session {
    let text = capabilities.text_document.as_ref();
    let workspace = capabilities.workspace.as_ref();
    Session {
        encoding: convert::negotiate_encoding(capabilities),
        pull: text.and_then(|t| t.diagnostic.as_ref()).is_some(),
        snippets: text
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false),
        hierarchical_symbols: text
            .and_then(|t| t.document_symbol.as_ref())
            .and_then(|s| s.hierarchical_document_symbol_support)
            .unwrap_or(false),
        refresh_diagnostics: workspace
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false),
        resolve_code_actions: text
            .and_then(|t| t.code_action.as_ref())
            .and_then(|c| c.resolve_support.as_ref())
            .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
        register_watchers: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false),
    }
}

fn capabilities(session: &Session) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(convert::encoding_kind(session.encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
            ..TextDocumentSyncOptions::default()
        })),
        diagnostic_provider: session.pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("qbank".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["#", "*", "`", ":", ",", " "].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::REFACTOR_REWRITE,
                actions::fix_all_kind(),
                actions::canonical_kind(),
            ]),
            resolve_provider: Some(session.resolve_code_actions),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![CHECK_WORKSPACE.into(), DUPLICATES.into(), SHOW_LOCATION.into()],
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

/// Data carried by a lazily resolved code action.
fn lazy_data(uri: &Uri, action: &str) -> Value {
    json!({ "uri": uri, "action": action })
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let session = session_of(&params.capabilities);
        let (settings, problems) = ClientSettings::from_json(params.initialization_options.as_ref());
        {
            let mut state = self.core.lock();
            state.session = session;
            state.folders = folders_of(&params);
            state.configs.set_client_settings(settings);
        }
        for problem in problems {
            eprintln!("[qbank-lsp] {problem}");
        }
        self.core.spawn_publisher();
        Ok(InitializeResult {
            capabilities: capabilities(&session),
            server_info: Some(ServerInfo { name: "qbank".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if self.core.session().register_watchers {
            let watchers = ["**/*.md", "**/*.markdown", "**/qbank.toml"]
                .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.into()), kind: None })
                .to_vec();
            let options = DidChangeWatchedFilesRegistrationOptions { watchers };
            let registration = Registration {
                id: "qbank-watch".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            let core = self.core.clone();
            tokio::spawn(async move {
                if let Err(e) = core.client.register_capability(vec![registration]).await {
                    core.log(MessageType::WARNING, format!("qbank: could not watch files: {}", e.message)).await;
                }
            });
        }
        let core = self.core.clone();
        tokio::spawn(async move {
            if let Err(e) = core.index_workspace().await {
                core.log(MessageType::ERROR, e.message.to_string()).await;
            }
            core.refresh_workspace_diagnostics().await;
        });
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        {
            let mut state = self.core.lock();
            let path = convert::uri_path(&doc.uri);
            let file = state.configs.for_file(path.as_deref());
            let display = path.map_or_else(|| doc.uri.as_str().to_string(), |p| p.display().to_string());
            let generation = state.generation;
            let document = Document {
                version: doc.version,
                text: Arc::from(doc.text),
                path: display,
                file,
                generation,
                analysis: Arc::new(OnceCell::new()),
                cache: Arc::default(),
            };
            state.documents.insert(doc.uri.clone(), document);
        }
        self.core.schedule_check(doc.uri);
        self.core.schedule_corpus(CORPUS_DEBOUNCE);
        self.core.report_config_problems().await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let applied = {
            let mut state = self.core.lock();
            let encoding = state.session.encoding;
            match state.documents.get_mut(&uri) {
                None => Err(format!("change for a document that is not open: {}", uri.as_str())),
                Some(doc) if version <= doc.version => {
                    Err(format!("ignored change to version {version} of {}: already at {}", uri.as_str(), doc.version))
                }
                Some(doc) => {
                    let mut text = doc.text.to_string();
                    let result = guard("applying an edit", || {
                        for change in params.content_changes {
                            convert::apply_change(&mut text, change, encoding);
                        }
                    });
                    doc.text = Arc::from(text);
                    doc.version = version;
                    drop_later(std::mem::replace(&mut doc.analysis, Arc::new(OnceCell::new())));
                    result.map_err(|e| e.message.to_string())
                }
            }
        };
        match applied {
            Ok(()) => {
                self.core.schedule_check(uri);
                self.core.schedule_corpus(CORPUS_DEBOUNCE);
            }
            Err(message) => self.core.log(MessageType::WARNING, message).await,
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        // The analysis of this version is cached: this republishes it.
        self.core.schedule_check(params.text_document.uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let (published, pull) = {
            let mut state = self.core.lock();
            state.documents.remove(&uri);
            state.index.remove(&uri);
            (state.workspace_published, state.session.pull)
        };
        if !pull && !published {
            self.core.publish(uri.clone(), None, Vec::new());
        }
        self.core.schedule_corpus(CORPUS_DEBOUNCE);
        self.core.reload_from_disk(&uri).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let (settings, problems) = ClientSettings::from_json(Some(&params.settings));
        for problem in problems {
            self.core.log(MessageType::WARNING, problem).await;
        }
        let changed = self.core.lock().configs.set_client_settings(settings);
        if changed {
            self.core.configuration_changed();
            let core = self.core.clone();
            tokio::spawn(async move {
                let _ = core.index_workspace().await;
                core.refresh_workspace_diagnostics().await;
            });
        }
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        {
            let mut state = self.core.lock();
            let removed: Vec<PathBuf> = params.event.removed.iter().filter_map(|f| convert::uri_path(&f.uri)).collect();
            state.folders.retain(|f| !removed.contains(f));
            state.folders.extend(params.event.added.iter().filter_map(|f| convert::uri_path(&f.uri)));
        }
        let _ = self.core.index_workspace().await;
        self.core.refresh_workspace_diagnostics().await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut config_changed = false;
        let mut banks = Vec::new();
        for change in params.changes {
            let Some(path) = convert::uri_path(&change.uri) else { continue };
            if is_config_file(&path) {
                config_changed = true;
            } else if index::is_markdown(&path) {
                banks.push(change.uri);
            }
        }
        if config_changed {
            self.core.configuration_changed();
            let _ = self.core.index_workspace().await;
            self.core.report_config_problems().await;
            self.core.refresh_workspace_diagnostics().await;
            return;
        }
        for uri in &banks {
            self.core.reload_from_disk(uri).await;
        }
        if !banks.is_empty() && self.core.session().pull {
            self.core.refresh_workspace_diagnostics().await;
        }
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let analysis = self.core.analysis(&uri).await?;
        let (result_id, items) = match &analysis {
            Some(a) => (self.core.result_id(&uri, a), self.core.lsp_diagnostics(&uri, a)),
            None => ("none".to_string(), Vec::new()),
        };
        let report = if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
            })
        } else {
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id: Some(result_id), items },
            })
        };
        Ok(DocumentDiagnosticReportResult::Report(report))
    }

    async fn workspace_diagnostic(&self, params: WorkspaceDiagnosticParams) -> Result<WorkspaceDiagnosticReportResult> {
        let open: Vec<(Uri, i32)> = self.core.lock().documents.iter().map(|(u, d)| (u.clone(), d.version)).collect();
        for (uri, _) in &open {
            self.core.analysis(uri).await?;
        }
        self.core.check_indexed().await;
        let files: Vec<(Uri, Arc<Analysis>)> =
            self.core.lock().index.files().map(|(u, a)| (u.clone(), a.clone())).collect();
        let previous: HashMap<&Uri, &str> =
            params.previous_result_ids.iter().map(|p| (&p.uri, p.value.as_str())).collect();
        let mut items = Vec::new();
        for (uri, analysis) in files {
            let version = open.iter().find(|(u, _)| *u == uri).map(|(_, v)| i64::from(*v));
            let result_id = self.core.result_id(&uri, &analysis);
            if previous.get(&uri) == Some(&result_id.as_str()) {
                items.push(WorkspaceDocumentDiagnosticReport::Unchanged(WorkspaceUnchangedDocumentDiagnosticReport {
                    uri,
                    version,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
                }));
                continue;
            }
            let diagnostics = self.core.lsp_diagnostics(&uri, &analysis);
            items.push(WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                uri,
                version,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items: diagnostics,
                },
            }));
        }
        Ok(WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport { items }))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let position = params.text_document_position;
        let uri = position.text_document.uri;
        let (tags, taken, snippets) = {
            let state = self.core.lock();
            let taken = state.index.files().flat_map(|(_, a)| a.questions.iter().map(|q| q.id.clone())).collect();
            (state.index.tag_vocabulary(), taken, state.session.snippets)
        };
        let items = self
            .core
            .with_analysis(&uri, "completion", |analysis, view| {
                let offset = view.offset(position.position);
                completion::completions(
                    analysis,
                    view,
                    offset,
                    completion::Context { tags: &tags, taken_ids: &taken, snippets },
                )
            })
            .await?;
        Ok(items.filter(|i| !i.is_empty()).map(CompletionResponse::Array))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params;
        let uri = position.text_document.uri;
        let hover = self
            .core
            .with_analysis(&uri, "hover", |analysis, view| {
                let duplicates = |index: usize| -> Vec<hover::Duplicate> {
                    self.core
                        .known_duplicates(&uri, analysis, index)
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

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let position = params.text_document_position_params;
        let uri = position.text_document.uri;
        let Some(analysis) = self.core.analysis(&uri).await? else { return Ok(None) };
        let view = TextView::new(&analysis.text, analysis.line_index(), self.core.session().encoding);
        let offset = view.offset(position.position);
        let Some((index, _)) =
            analysis.question_at(offset).filter(|(_, q)| q.heading.start <= offset && offset <= q.heading.end)
        else {
            return Ok(None);
        };
        let found = self.core.duplicates_of(&uri, &analysis, index).await;
        if found.is_empty() {
            return Ok(None);
        }
        let locations: Vec<Location> = found.into_iter().map(|d| Location { uri: d.uri, range: d.range }).collect();
        Ok(Some(GotoDefinitionResponse::Array(locations)))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let only = params.context.only.clone();
        let only = only.as_deref();
        let Some(analysis) = self.core.analysis(&uri).await? else { return Ok(None) };
        let session = self.core.session();
        let view = TextView::new(&analysis.text, analysis.line_index(), session.encoding);
        let range = view.span(params.range);
        let mut found: Vec<CodeAction> = Vec::new();
        if actions::wanted(only, &CodeActionKind::QUICKFIX) {
            let state = analysis
                .diagnostics()
                .iter()
                .flat_map(|d| &d.related)
                .any(|r| r.path != analysis.path)
                .then(|| self.core.lock());
            let related = Related {
                uri: &uri,
                analysis: &analysis,
                encoding: session.encoding,
                index: state.as_deref().map(|s| &s.index),
            };
            found.extend(guard("code actions", || actions::quick_fixes(&analysis, &view, &uri, range, &related))?);
            drop(state);
            found.extend(self.core.go_to_duplicate_actions(&uri, &analysis, params.range));
        }
        if actions::wanted(only, &CodeActionKind::REFACTOR_REWRITE) {
            found.extend(guard("code actions", || actions::renumber_section(&analysis, &view, &uri, range.start))?);
        }
        if actions::wanted(only, &actions::fix_all_kind()) && actions::has_safe_fix(&analysis) {
            let edit = if session.resolve_code_actions { None } else { self.core.fix_all_edit(&uri).await? };
            if session.resolve_code_actions || edit.is_some() {
                found.push(CodeAction {
                    title: actions::FIX_ALL_TITLE.into(),
                    kind: Some(actions::fix_all_kind()),
                    data: session.resolve_code_actions.then(|| lazy_data(&uri, "fixAll")),
                    edit,
                    ..CodeAction::default()
                });
            }
        }
        if actions::wanted(only, &actions::canonical_kind())
            && let Some(edit) = self.core.canonical_edit(&uri).await?
        {
            found.push(CodeAction {
                title: actions::CANONICAL_TITLE.into(),
                kind: Some(actions::canonical_kind()),
                edit: Some(edit),
                ..CodeAction::default()
            });
        }
        Ok(Some(found.into_iter().map(CodeActionOrCommand::CodeAction).collect()))
    }

    async fn code_action_resolve(&self, mut action: CodeAction) -> Result<CodeAction> {
        let data = action.data.clone().unwrap_or_default();
        let uri: Option<Uri> = data.get("uri").and_then(|u| serde_json::from_value(u.clone()).ok());
        let (Some(uri), Some("fixAll")) = (uri, data.get("action").and_then(Value::as_str)) else {
            return Ok(action);
        };
        action.edit = self.core.fix_all_edit(&uri).await?;
        Ok(action)
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let hierarchical = self.core.session().hierarchical_symbols;
        self.core
            .with_analysis(&uri, "document symbols", |a, view| symbols::document_symbols(a, view, &uri, hierarchical))
            .await
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let state = self.core.lock();
        let encoding = state.session.encoding;
        let found = guard("workspace symbols", || {
            symbols::workspace_symbols(&state.index.search(&params.query, 256), encoding)
        })?;
        Ok(Some(WorkspaceSymbolResponse::Nested(found)))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.core.with_analysis(&params.text_document.uri, "folding ranges", symbols::folding_ranges).await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let edits = self.core.formatting_edits(&params.text_document.uri).await?;
        Ok(edits.filter(|e| !e.is_empty()))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        match params.command.as_str() {
            CHECK_WORKSPACE => self.core.check_workspace().await.map(Some),
            DUPLICATES => self.core.duplicates(&params.arguments).await.map(Some),
            SHOW_LOCATION => self.core.show_location(&params.arguments).await.map(Some),
            other => Err(Error::invalid_params(format!("unknown command `{other}`"))),
        }
    }
}
