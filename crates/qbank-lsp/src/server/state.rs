//! The server's shared state: the session the client negotiated, the open documents, the
//! workspace index, the corpus pass's findings, and the helpers every handler uses (the lock,
//! `catch_unwind` guards, blocking threads, the one publisher of `publishDiagnostics`).

#[allow(unused_imports)]
use super::*;

/// Fault injection for the robustness tests; every field is off in production.
#[doc(hidden)]
#[derive(Clone, Debug, Default)]
pub struct TestHooks {
    /// Analysing a text that contains this string panics.
    pub panic_marker: Option<String>,
    /// Analysing a text that contains this string first sleeps this long.
    pub slow_marker: Option<(String, Duration)>,
    /// Counts the analyses made (the burst test).
    pub analyses: Option<Arc<std::sync::atomic::AtomicUsize>>,
    /// Counts the corpus passes that ran (the debounce test).
    pub corpus_runs: Option<Arc<std::sync::atomic::AtomicUsize>>,
}

impl TestHooks {
    pub(crate) fn before_analysis(&self, text: &str) {
        if let Some(count) = &self.analyses {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
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

#[derive(Clone)]
pub(crate) struct Core {
    pub(crate) client: Client,
    pub(crate) shared: Arc<Shared>,
}

pub(crate) struct Shared {
    pub(crate) state: Mutex<State>,
    pub(crate) hooks: TestHooks,
    pub(crate) publish_tx: mpsc::UnboundedSender<Publication>,
    pub(crate) publish_rx: Mutex<Option<mpsc::UnboundedReceiver<Publication>>>,
}

#[derive(Default)]
pub(crate) struct State {
    pub(crate) session: Session,
    pub(crate) documents: HashMap<Uri, Document>,
    pub(crate) index: WorkspaceIndex,
    pub(crate) configs: ConfigStore,
    /// Bumped whenever configuration changes, so analyses made with the old one are redone.
    pub(crate) generation: u64,
    pub(crate) folders: Vec<PathBuf>,
    /// Whether `qbank.checkWorkspace` published diagnostics for closed files, which then have
    /// to follow disk changes.
    pub(crate) workspace_published: bool,
    /// The latest indexing run; an older run's results are dropped.
    pub(crate) index_run: u64,
    /// The corpus pass's findings per indexed bank.
    pub(crate) corpus: HashMap<Uri, CorpusEntry>,
    /// Bumped per scheduled corpus pass: a pass that is not the latest when its delay ends
    /// does not run (the debounce).
    pub(crate) corpus_ticket: u64,
    /// A pass is scheduled and has not started yet: the stored findings may be out of date.
    pub(crate) corpus_pending: bool,
    /// Bumped per corpus run: an older run never replaces a newer run's results.
    pub(crate) corpus_run: u64,
    pub(crate) corpus_installed: u64,
    /// Bumped per installed result, for pull `resultId`s.
    pub(crate) corpus_stamp: u64,
}

/// One bank's corpus findings, made for the analysis with `serial`: they are shown with that
/// analysis only (an edited document shows its own findings at once and the cross-file ones
/// when the next pass has seen the edit).
#[derive(Clone)]
pub(crate) struct CorpusEntry {
    pub(crate) serial: u64,
    pub(crate) stamp: u64,
    pub(crate) findings: Arc<corpus::FileFindings>,
}

/// An open document: the editor's text, which wins over the disk.
pub(crate) struct Document {
    pub(crate) version: i32,
    pub(crate) text: Arc<str>,
    pub(crate) path: String,
    pub(crate) file: FileConfig,
    pub(crate) generation: u64,
    /// The analysis of exactly this version and generation, computed at most once.
    pub(crate) analysis: Arc<OnceCell<Arc<Analysis>>>,
    /// Parsed segments and per-question findings of earlier versions, so an edit re-checks
    /// only what it touched; tagged with the configuration generation they were made with.
    pub(crate) cache: Arc<std::sync::Mutex<(u64, IncrementalCache)>>,
    /// Bumped per [`Core::schedule_check`]: the checker runs again while it changes.
    pub(crate) check_requests: u64,
    /// A checker task is running for this document.
    pub(crate) checking: bool,
}

pub(crate) struct Publication {
    pub(crate) uri: Uri,
    /// `None` for files that are not open (their disk text).
    pub(crate) version: Option<i32>,
    pub(crate) diagnostics: Vec<tower_lsp_server::ls_types::Diagnostic>,
}

pub(crate) fn internal_error(message: String) -> Error {
    Error { code: ErrorCode::InternalError, message: message.into(), data: None }
}

pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Runs a library call under `catch_unwind`: a panic becomes a JSON-RPC error and a log line,
/// never a dead server.
pub(crate) fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let message = format!("qbank: {what} failed: {}", panic_message(payload.as_ref()));
        eprintln!("[qbank-lsp] {message}");
        internal_error(message)
    })
}

/// Drops `value` on a blocking thread: freeing the analysis of a 2,000-question bank takes
/// milliseconds that an edit → diagnostics round trip should not wait for.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => drop(runtime.spawn_blocking(move || drop(value))),
        Err(_) => drop(value),
    }
}

/// [`guard`] on a blocking thread, for calls that may take milliseconds.
pub(crate) async fn blocking<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    match tokio::task::spawn_blocking(move || guard(what, f)).await {
        Ok(result) => result,
        Err(e) => Err(internal_error(format!("qbank: {what} failed: {e}"))),
    }
}

impl Core {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic never happens while the lock is held (library calls run outside it), but if
        // one did, the state is still consistent enough to go on.
        self.shared.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn session(&self) -> Session {
        self.lock().session
    }

    pub(crate) async fn log(&self, kind: MessageType, message: String) {
        eprintln!("[qbank-lsp] {message}");
        self.client.log_message(kind, message).await;
    }

    pub(crate) fn spawn_publisher(&self) {
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

    pub(crate) fn publish(
        &self,
        uri: Uri,
        version: Option<i32>,
        diagnostics: Vec<tower_lsp_server::ls_types::Diagnostic>,
    ) {
        let _ = self.shared.publish_tx.send(Publication { uri, version, diagnostics });
    }
}

impl State {
    /// The corpus pass's findings for `analysis` of `uri`, if the latest pass saw that analysis.
    pub(crate) fn corpus_of(&self, uri: &Uri, analysis: &Analysis) -> Option<&CorpusEntry> {
        self.corpus.get(uri).filter(|e| e.serial == analysis.serial)
    }

    /// What `qbank check` reports for this file among the indexed banks: the document's own
    /// findings and its cross-file ones, sorted as the CLI sorts them; with the corpus stamp.
    pub(crate) fn diagnostics(&self, uri: &Uri, analysis: &Analysis) -> (Vec<Diagnostic>, u64) {
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
    pub(crate) fn folders_contain(&self, uri: &Uri) -> bool {
        match convert::uri_path(uri) {
            Some(path) => self.folders.is_empty() || self.folders.iter().any(|f| path.starts_with(f)),
            None => false,
        }
    }
}

/// Resolves `Related::path` to a uri: this document, or another indexed bank.
pub(crate) struct Related<'a> {
    pub(crate) uri: &'a Uri,
    pub(crate) analysis: &'a Analysis,
    pub(crate) encoding: Encoding,
    pub(crate) index: Option<&'a WorkspaceIndex>,
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
