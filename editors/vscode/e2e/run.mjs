// End-to-end test of the packaged extension in a real VS Code (code-server), driven through its
// UI by Debian's Chromium with playwright-core. Started by scripts/e2e.sh, which installs the
// .vsix and passes everything in the environment:
//   CODE_SERVER      the code-server launcher       PLAYWRIGHT_CORE  the playwright-core folder
//   QBANK_BIN        the qbank binary               E2E_DIR          an empty scratch folder
//   EXTENSIONS_DIR   where the .vsix was installed  ARTIFACTS        where the screenshot goes
//   CORPUS           the repository's corpus/ (the clean bank is copied from it)
// Two sessions, each a fresh code-server on 127.0.0.1 stopped by its process id:
//   1. qbank.server.path set in the profile's Machine settings: diagnostics in the Problems
//      panel, the Outline, a quick fix, Format Document;
//   2. no setting, qbank only in ~/.cargo/bin of a scratch HOME (not on any PATH): the
//      extension's discovery finds it, diagnostics appear.
// Every wait is for a condition, bounded; a failed step leaves a screenshot next to the other.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const env = (name) => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`vscode-e2e: ${name} is not set (run editors/vscode/scripts/e2e.sh)`);
  }
  return value;
};

const CODE_SERVER = env('CODE_SERVER');
const QBANK_BIN = env('QBANK_BIN');
const E2E_DIR = env('E2E_DIR');
const EXTENSIONS_DIR = env('EXTENSIONS_DIR');
const ARTIFACTS = env('ARTIFACTS');
const CORPUS = env('CORPUS');
const { chromium } = createRequire(import.meta.url)(env('PLAYWRIGHT_CORE'));

/** Longest wait for any one UI condition; the whole run is bounded by e2e.sh's `timeout`. */
const STEP_MS = 60_000;
const log = (message) => console.log(`vscode-e2e: ${message}`);

// The bank with findings: a bare-line section title (QB010), no ids (QB018), no TL;DRs
// (QB012), and mojibake with a safe quick fix (QB101, "Re-decode as UTF-8").
const FINDINGS_BANK = [
  'Incident Response & Troubleshooting',
  '',
  '',
  '### 1. Your production system is experiencing intermittent high latency. How do you approach debugging it?',
  '',
  'Check the dashboards first, then the logs; it doesn\u00e2\u20ac\u2122t help to guess.',
  '',
  '### 2. How do you run a blameless postmortem?',
  '',
  'Write the timeline, find the causes, and agree on follow-up actions.',
  '',
].join('\n');

// --- the workspace and the profile -------------------------------------------------------------

function makeWorkspace(dir) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'qbank.toml'), 'include = ["**/*.md"]\n');
  fs.writeFileSync(path.join(dir, 'incidents.md'), FINDINGS_BANK);
  fs.copyFileSync(path.join(CORPUS, 'devops-fundamentals.md'), path.join(dir, 'devops-fundamentals.md'));
  return dir;
}

/**
 * A fresh profile: UI settings in User/settings.json, and `machine` settings in
 * Machine/settings.json. code-server's extension host runs on the "remote" side, where VS Code
 * reads machine-scoped settings (`qbank.server.path` is `machine-overridable`) only from the
 * remote's Machine settings: the same key in User/settings.json is ignored there.
 */
function makeProfile(dir, extra, machine = {}) {
  const user = path.join(dir, 'User');
  fs.mkdirSync(user, { recursive: true });
  fs.mkdirSync(path.join(dir, 'Machine'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Machine', 'settings.json'), JSON.stringify(machine, null, 2));
  const settings = {
    // Quiet, deterministic workbench: no welcome page, tips, update checks or telemetry.
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'outline.collapseItems': 'alwaysExpand',
    'files.autoSave': 'off',
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...extra,
  };
  fs.writeFileSync(path.join(user, 'settings.json'), JSON.stringify(settings, null, 2));
  return dir;
}

// --- code-server ---------------------------------------------------------------------------------

/** Servers still running, stopped on SIGTERM/SIGINT too (e2e.sh's `timeout` sends SIGTERM). */
const running = new Set();
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    for (const server of running) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    console.log(`vscode-e2e: ${signal}: stopped ${running.size} code-server(s), exiting`);
    process.exit(1);
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startCodeServer(name, { workspace, profile, home }) {
  const port = await freePort();
  const logFile = path.join(E2E_DIR, `${name}-code-server.log`);
  const out = fs.openSync(logFile, 'w');
  const child = spawn(
    CODE_SERVER,
    [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--extensions-dir', EXTENSIONS_DIR,
      '--user-data-dir', profile,
      workspace,
    ],
    {
      // Its own process group, so the server, its extension host and qbank lsp stop together.
      detached: true,
      stdio: ['ignore', out, out],
      // EXTENSIONS_GALLERY={}: no marketplace, so the server never queries open-vsx.org.
      env: { ...process.env, HOME: home ?? process.env.HOME, EXTENSIONS_GALLERY: '{}' },
    },
  );
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const server = { name, port, pid: child.pid, logFile, exited, url: `http://127.0.0.1:${port}/` };
  running.add(server);
  log(`${name}: code-server pid ${child.pid} on 127.0.0.1:${port}`);
  const deadline = Date.now() + STEP_MS;
  for (;;) {
    if (fs.readFileSync(logFile, 'utf8').includes('HTTP server listening')) return server;
    const early = await Promise.race([exited, sleep(200).then(() => undefined)]);
    if (early !== undefined) {
      throw new Error(`${name}: code-server exited (${JSON.stringify(early)}):\n${fs.readFileSync(logFile, 'utf8')}`);
    }
    if (Date.now() > deadline) throw new Error(`${name}: code-server did not listen within ${STEP_MS} ms`);
  }
}

async function stopCodeServer(server) {
  const signalGroup = (signal) => {
    try {
      process.kill(-server.pid, signal);
    } catch {
      // the group is gone already
    }
  };
  signalGroup('SIGTERM');
  const done = await Promise.race([server.exited, sleep(5_000).then(() => undefined)]);
  if (done === undefined) signalGroup('SIGKILL');
  // Stragglers in the group (extension host, qbank lsp) get the same end.
  await sleep(200);
  signalGroup('SIGKILL');
  running.delete(server);
}

// --- the browser and the workbench ---------------------------------------------------------------

async function openWorkbench(browser, server, workspace) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const blocked = [];
  // Only 127.0.0.1 is ever contacted: anything else is refused and listed.
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.hostname !== '127.0.0.1') {
      blocked.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor();
  // The explorer shows the workspace once the extension host and file service are up.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'incidents.md' }).waitFor();
  return { context, page, blocked };
}

/**
 * Runs a command from the command palette (F1) by its title, the first of `titles` listed (VS
 * Code versions differ in categories); `opensQuickInput` when the command opens another.
 */
async function runCommand(page, titles, { opensQuickInput = false } = {}) {
  const wanted = Array.isArray(titles) ? titles : [titles];
  const title = wanted[0];
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  // The row whose label is exactly the title (the palette also lists near matches).
  let index = -1;
  await waitFor(`${wanted.map((t) => `"${t}"`).join(' or ')} in the command palette`, async () => {
    const labels = (await rows.locator('.label-name').allInnerTexts()).map((l) => l.replace(/\u00a0/g, ' ').trim());
    index = labels.findIndex((label) => wanted.includes(label));
    return index >= 0 || `palette rows: ${JSON.stringify(labels)}`;
  }, 20_000);
  await rows.nth(index).click();
  if (!opensQuickInput) await input.waitFor({ state: 'hidden' });
}

/** Opens a workspace file with Quick Open and waits for its editor tab. */
async function openFile(page, name) {
  await runCommand(page, 'Go to File...', { opensQuickInput: true });
  const input = page.locator('.quick-input-widget .quick-input-box input[placeholder^="Search files by name"]');
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
}

/** The text the active editor shows (its visible lines), with the editor's spaces normalised. */
async function editorText(page) {
  const text = await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

async function waitFor(what, predicate, timeoutMs = STEP_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await predicate();
    if (last === true) return;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${typeof last === 'string' ? `; last seen:\n${last}` : ''}`);
    }
    await sleep(250);
  }
}

async function problemsText(page) {
  const panel = page.locator('.markers-panel');
  if ((await panel.count()) === 0) return '';
  return (await panel.first().innerText()).replace(/\u00a0/g, ' ');
}

async function showProblems(page) {
  await runCommand(page, ['Problems: Focus on Problems View', 'View: Focus on Problems View']);
  await page.locator('.markers-panel').first().waitFor();
}

/** Every file called `name` under `dir`. */
function findFiles(dir, name) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map((entry) => path.join(dir, String(entry)))
    .filter((file) => path.basename(file) === name);
}

// --- the checks ----------------------------------------------------------------------------------

const results = [];
async function check(name, body) {
  const started = Date.now();
  await body();
  results.push(name);
  log(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function sessionWithSetting(browser) {
  const workspace = makeWorkspace(path.join(E2E_DIR, 'one', 'workspace'));
  // The extension host does not inherit code-server's PATH (VS Code's server rebuilds the
  // environment from the login shell), so the binary under test is named in the profile: in
  // Machine/settings.json, the only place a remote extension host reads machine settings from.
  const profile = makeProfile(path.join(E2E_DIR, 'one', 'profile'), {}, { 'qbank.server.path': QBANK_BIN });
  const server = await startCodeServer('session-1', { workspace, profile });
  let page;
  try {
    const opened = await openWorkbench(browser, server, workspace);
    page = opened.page;
    const bank = path.join(workspace, 'incidents.md');

    await check('diagnostics with qbank codes appear in the Problems panel', async () => {
      await openFile(page, 'incidents.md');
      await showProblems(page);
      await waitFor('QB101 and QB010 in the Problems panel', async () => {
        const text = await problemsText(page);
        return (/mojibake/.test(text) && /QB101/.test(text) && /QB010/.test(text)) || text;
      });
    });

    await check('the Outline lists the bank section and its questions (from qbank, not Markdown headings)', async () => {
      await runCommand(page, ['Explorer: Focus on Outline View', 'Outline: Focus on Outline View']);
      const outline = page.locator('.outline-pane, .pane-body.outline-pane, [id="outline"]').first();
      await outline.waitFor();
      await waitFor('the Outline rows', async () => {
        const text = (await outline.innerText()).replace(/\u00a0/g, ' ');
        // The bare-line section title is not a Markdown heading: only qbank's symbols have it.
        return (
          (text.includes('Incident Response & Troubleshooting') &&
            text.includes('1. Your production system is experiencing intermittent high latency') &&
            text.includes('2. How do you run a blameless postmortem?')) ||
          text
        );
      });
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'vscode.png') });
    });

    await check('the QB101 quick fix applies from the Quick Fix menu and the text changes', async () => {
      await showProblems(page);
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'QB101' }).first().click();
      // Clicking the marker selected the mojibake in the editor; the palette gives focus back to it.
      await runCommand(page, 'Quick Fix...', { opensQuickInput: true });
      const action = page.locator('.action-widget .monaco-list-row', { hasText: 'Re-decode as UTF-8' }).first();
      await action.click();
      await waitFor('the fixed apostrophe in the editor', async () => {
        const text = await editorText(page);
        return (text.includes('it doesn\u2019t help') && !text.includes('\u00e2\u20ac')) || text;
      });
      await page.keyboard.press('Control+S');
      await waitFor('the fix saved to disk', () => fs.readFileSync(bank, 'utf8').includes('it doesn\u2019t help'));
      await waitFor('QB101 to leave the Problems panel', async () => {
        const text = await problemsText(page);
        return (!/QB101/.test(text) && /QB010/.test(text)) || text;
      });
    });

    await check('Format Document rewrites the bank to the canonical shape (as `qbank fmt`)', async () => {
      // What `qbank fmt` makes of the saved file, computed on a copy with the same name.
      const copyDir = path.join(E2E_DIR, 'one', 'fmt');
      fs.mkdirSync(copyDir, { recursive: true });
      const copy = path.join(copyDir, 'incidents.md');
      fs.copyFileSync(bank, copy);
      execFileSync(QBANK_BIN, ['fmt', copy], { stdio: 'pipe' });
      const expected = fs.readFileSync(copy, 'utf8');
      if (expected === fs.readFileSync(bank, 'utf8')) throw new Error('qbank fmt left the bank unchanged: the check would prove nothing');

      await page.locator('.editor-instance .monaco-editor textarea').first().focus();
      await runCommand(page, 'Format Document');
      await waitFor('the canonical shape in the editor', async () => {
        const text = await editorText(page);
        return (text.includes('## Incident Response & Troubleshooting') && text.includes('**Answer:**')) || text;
      });
      await page.keyboard.press('Control+S');
      await waitFor('the formatted bank on disk to equal `qbank fmt` output', () => {
        const actual = fs.readFileSync(bank, 'utf8');
        return actual === expected || `--- expected\n${expected}\n--- actual\n${actual}`;
      });
      await waitFor('QB010 to leave the Problems panel', async () => {
        const text = await problemsText(page);
        return !/QB010/.test(text) || text;
      });
    });
    log(`browser requests refused (not 127.0.0.1): ${opened.blocked.length === 0 ? 'none' : opened.blocked.join(', ')}`);
  } catch (error) {
    if (page !== undefined) await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-failure-1.png') }).catch(() => {});
    throw error;
  } finally {
    await stopCodeServer(server);
  }
}

async function sessionWithDiscovery(browser) {
  // A scratch HOME whose ~/.cargo/bin holds qbank; no setting; nothing on PATH has qbank.
  const home = path.join(E2E_DIR, 'two', 'home');
  fs.mkdirSync(path.join(home, '.cargo', 'bin'), { recursive: true });
  fs.copyFileSync(QBANK_BIN, path.join(home, '.cargo', 'bin', 'qbank'));
  fs.chmodSync(path.join(home, '.cargo', 'bin', 'qbank'), 0o755);
  const workspace = makeWorkspace(path.join(E2E_DIR, 'two', 'workspace'));
  const profile = makeProfile(path.join(E2E_DIR, 'two', 'profile'), {});
  const server = await startCodeServer('session-2', { workspace, profile, home });
  let page;
  try {
    const opened = await openWorkbench(browser, server, workspace);
    page = opened.page;
    await check('with no setting, discovery finds qbank in ~/.cargo/bin (the log says so) and diagnostics appear', async () => {
      await openFile(page, 'incidents.md');
      await showProblems(page);
      await waitFor('QB101 in the Problems panel', async () => {
        const text = await problemsText(page);
        return /QB101/.test(text) || text;
      });
      // And the server that answered is the one in ~/.cargo/bin, found as an install place
      // (the extension's log, as written by the output channel into the profile).
      const expected = `Starting ${path.join(home, '.cargo', 'bin', 'qbank')} lsp (found via install place)`;
      await waitFor('the discovery line in the qbank log', () => {
        const logs = findFiles(path.join(profile, 'logs'), 'qbank.log');
        const text = logs.map((file) => fs.readFileSync(file, 'utf8')).join('\n');
        return text.includes(expected) || `${logs.join(', ') || 'no qbank.log'}:\n${text}`;
      });
    });
  } catch (error) {
    if (page !== undefined) await page.screenshot({ path: path.join(ARTIFACTS, 'vscode-failure-2.png') }).catch(() => {});
    throw error;
  } finally {
    await stopCodeServer(server);
  }
}

const started = Date.now();
fs.mkdirSync(ARTIFACTS, { recursive: true });
// Screenshots of an earlier failed run would read as this run's.
for (const name of fs.readdirSync(ARTIFACTS)) {
  if (/^vscode(-failure-\d)?\.png$/.test(name)) fs.rmSync(path.join(ARTIFACTS, name));
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    // No traffic of Chromium's own (updates, field trials, safe browsing, sync, metrics).
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-default-apps',
    '--disable-sync',
    '--disable-domain-reliability',
    '--disable-client-side-phishing-detection',
    '--metrics-recording-only',
    '--no-first-run',
    '--no-pings',
  ],
});
let failed = false;
try {
  await sessionWithSetting(browser);
  await sessionWithDiscovery(browser);
} catch (error) {
  failed = true;
  log(`FAILED: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  log(`code-server logs: ${E2E_DIR}/session-*-code-server.log; screenshots: ${ARTIFACTS}`);
} finally {
  await browser.close();
}
log(`${results.length} passed, ${failed ? 1 : 0} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = failed ? 1 : 0;
