//! VS Code entry point: wires settings, server discovery and the language client to the
//! vscode API. Decisions live in plain modules (settings, serverDiscovery, activation,
//! protocol); this file only connects them to editors, commands and notifications.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  type ExecuteCommandOptions,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

import { CONFIG_FILE_GLOB, decideServerStart, needsConfigSearch } from './activation';
import {
  formatCheckSummary,
  parseCheckSummary,
  parseDuplicates,
  parseVersion,
  SERVER_COMMANDS,
  withoutOwnCommands,
  type Duplicate,
} from './protocol';
import { findServer, type FileKind, type FoundServer } from './serverDiscovery';
import { initializationOptions, readSettings, RESTART_KEYS, serverLaunch, type QbankSettings, type ServerLaunch } from './settings';

const SECTION = 'qbank';
const SET_PATH_ACTION = 'Set qbank.server.path';
const INSTALL_ACTION = 'Open install instructions';
const SHOW_OUTPUT_ACTION = 'Show Output';
const OPEN_SETTINGS_ACTION = 'Open Settings';
const VERSION_TIMEOUT_MS = 5000;
const SEARCH_EXCLUDE = '**/{node_modules,target,.git}/**';

/** Anything with `dispose()`: output channels and status items are interfaces, not `vscode.Disposable`s. */
interface Disposable {
  dispose(): unknown;
}

export function activate(context: vscode.ExtensionContext): void {
  const extension = new QbankExtension(context);
  context.subscriptions.push(extension);

  context.subscriptions.push(
    vscode.commands.registerCommand('qbank.restartServer', () => extension.restart()),
    vscode.commands.registerCommand('qbank.checkWorkspace', () => extension.checkWorkspace()),
    vscode.commands.registerCommand('qbank.showDuplicates', () => extension.showDuplicates()),
    vscode.commands.registerCommand('qbank.showOutput', () => {
      extension.output.show(true);
    }),
  );

  void extension.reconcile();
}

export function deactivate(): Thenable<void> | undefined {
  return QbankExtension.current?.shutdown();
}

class QbankExtension implements vscode.Disposable {
  static current: QbankExtension | undefined;

  readonly output: vscode.LogOutputChannel;
  private readonly status: vscode.LanguageStatusItem;
  private readonly disposables: Disposable[] = [];
  private client: LanguageClient | undefined;
  private clientDisposables: Disposable[] = [];
  /** Why the server is not running, for commands invoked while it is stopped. */
  private notRunningReason = 'the server has not started yet';
  /** Start/stop operations run one at a time, in order. */
  private queue: Promise<void> = Promise.resolve();
  private lastProblems = '';
  /**
   * Set synchronously when a settings change is about to stop the server, so the client does
   * not push that change to a process that is going away (its listener runs after ours).
   */
  private stopPending = false;

  constructor(private readonly context: vscode.ExtensionContext) {
    QbankExtension.current = this;
    this.output = vscode.window.createOutputChannel('qbank', { log: true });
    this.status = vscode.languages.createLanguageStatusItem('qbank.server', [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ]);
    this.status.name = 'qbank';
    this.status.command = { title: SHOW_OUTPUT_ACTION, command: 'qbank.showOutput' };
    this.setStatus('qbank', 'not started', vscode.LanguageStatusSeverity.Information);

    const configWatcher = vscode.workspace.createFileSystemWatcher(CONFIG_FILE_GLOB);
    this.disposables.push(
      this.output,
      this.status,
      configWatcher,
      configWatcher.onDidCreate(() => {
        this.reconcileIfAuto();
      }),
      configWatcher.onDidDelete(() => {
        this.reconcileIfAuto();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.reconcileIfAuto();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        this.onConfigurationChanged(event);
      }),
    );
  }

  dispose(): void {
    void this.shutdown();
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }

  shutdown(): Promise<void> {
    return this.enqueue(() => this.stopClient('the extension was deactivated'));
  }

  /** Starts or stops the server so that it matches the settings and the workspace. */
  reconcile(): Promise<void> {
    return this.enqueue(async () => {
      const settings = this.readSettings();
      const shouldRun = await this.shouldRun(settings);
      if (!shouldRun) {
        return;
      }
      if (this.client === undefined) {
        await this.startClient(settings);
      }
    });
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopClient('restarting');
      const settings = this.readSettings();
      if (await this.shouldRun(settings)) {
        await this.startClient(settings);
      } else {
        void vscode.window.showInformationMessage(`qbank: server not started: ${this.notRunningReason}.`);
      }
    });
  }

  async checkWorkspace(): Promise<void> {
    const client = this.runningClient();
    if (client === undefined) {
      return;
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'qbank: checking workspace…' },
      () => this.executeServerCommand(client, SERVER_COMMANDS.checkWorkspace, []),
    );
    if (result === undefined) {
      return;
    }
    const summary = parseCheckSummary(result);
    if (!summary.ok) {
      this.reportError(summary.error);
      return;
    }
    const action = await vscode.window.showInformationMessage(formatCheckSummary(summary.value), 'Open Problems');
    if (action === 'Open Problems') {
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    }
  }

  async showDuplicates(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.languageId !== 'markdown') {
      void vscode.window.showInformationMessage('qbank: put the cursor on a question in a Markdown bank first.');
      return;
    }
    const client = this.runningClient();
    if (client === undefined) {
      return;
    }
    const position = editor.selection.active;
    const params = {
      uri: client.code2ProtocolConverter.asUri(editor.document.uri),
      position: { line: position.line, character: position.character },
    };
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'qbank: finding duplicates' },
      () => this.executeServerCommand(client, SERVER_COMMANDS.duplicates, [params]),
    );
    if (result === undefined) {
      return;
    }
    const duplicates = parseDuplicates(result);
    if (!duplicates.ok) {
      this.reportError(duplicates.error);
      return;
    }
    if (duplicates.value.length === 0) {
      void vscode.window.showInformationMessage('qbank: no likely duplicates of this question.');
      return;
    }
    await this.pickDuplicate(client, duplicates.value);
  }

  private async pickDuplicate(client: LanguageClient, duplicates: readonly Duplicate[]): Promise<void> {
    const items = duplicates.map((duplicate) => {
      const uri = client.protocol2CodeConverter.asUri(duplicate.uri);
      return {
        label: duplicate.question,
        description: `score ${duplicate.score.toFixed(2)}`,
        detail: `${vscode.workspace.asRelativePath(uri)}:${String(duplicate.range.start.line + 1)}`,
        uri,
        range: client.protocol2CodeConverter.asRange(duplicate.range),
      };
    });
    const picked = await vscode.window.showQuickPick(items, {
      title: `qbank: ${String(items.length)} likely duplicate${items.length === 1 ? '' : 's'}`,
      placeHolder: 'Select a question to open it',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (picked === undefined) {
      return;
    }
    const shown = await vscode.window.showTextDocument(picked.uri, { selection: picked.range, preview: true });
    shown.revealRange(picked.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async executeServerCommand(client: LanguageClient, command: string, args: unknown[]): Promise<unknown> {
    try {
      return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as unknown;
    } catch (error) {
      this.reportError(`${command} failed: ${errorText(error)}`);
      return undefined;
    }
  }

  private runningClient(): LanguageClient | undefined {
    if (this.client?.state === State.Running) {
      return this.client;
    }
    void vscode.window
      .showWarningMessage(`qbank: the language server is not running: ${this.notRunningReason}.`, SHOW_OUTPUT_ACTION)
      .then((action) => {
        if (action === SHOW_OUTPUT_ACTION) {
          this.output.show(true);
        }
      });
    return undefined;
  }

  private readSettings(): QbankSettings {
    const config = vscode.workspace.getConfiguration(SECTION);
    const { settings, problems } = readSettings((key) => config.get(key));
    const joined = problems.join('\n');
    // Report each distinct set of problems once, not on every unrelated settings change.
    if (joined !== this.lastProblems) {
      this.lastProblems = joined;
      for (const problem of problems) {
        this.output.warn(problem);
      }
      if (problems.length > 0) {
        const more = problems.length > 1 ? ` (and ${String(problems.length - 1)} more in the output)` : '';
        void vscode.window.showWarningMessage(`qbank: ${problems[0] ?? ''}${more}`, OPEN_SETTINGS_ACTION).then((action) => {
          if (action === OPEN_SETTINGS_ACTION) {
            void vscode.commands.executeCommand('workbench.action.openSettings', SECTION);
          }
        });
      }
    }
    return settings;
  }

  /** Applies `qbank.enable`; stops a running server when it should no longer run. */
  private async shouldRun(settings: QbankSettings): Promise<boolean> {
    const hasConfig = needsConfigSearch(settings.enable) ? await workspaceHasConfig() : false;
    const decision = decideServerStart(settings.enable, hasConfig);
    if (decision.start) {
      return true;
    }
    await this.stopClient(decision.reason);
    this.notRunningReason = decision.reason;
    this.setStatus('qbank: off', decision.reason, vscode.LanguageStatusSeverity.Information);
    this.output.info(`Server not started: ${decision.reason}.`);
    return false;
  }

  private async startClient(settings: QbankSettings): Promise<void> {
    const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const lookup = findServer({ serverPath: settings.serverPath, workspaceFolder }, this.context.extensionPath, process.env, {
      platform: process.platform,
      homeDir: os.homedir(),
      fileKind,
      listDir,
    });
    if (lookup.kind === 'notFound') {
      this.notRunningReason = 'qbank binary not found';
      this.output.error(lookup.message);
      this.output.info(`Looked for the qbank binary in:\n${lookup.tried.map((place) => `  - ${place}`).join('\n')}`);
      this.setStatus('qbank: not found', lookup.message, vscode.LanguageStatusSeverity.Error);
      void this.offerServerSetup(lookup.message);
      return;
    }

    const launch = serverLaunch(lookup, settings, process.platform, workspaceFolder);
    this.output.info(`Starting ${launch.command} ${launch.args.join(' ')} (found via ${lookup.source}).`);
    this.setStatus('qbank', `starting ${lookup.path}`, vscode.LanguageStatusSeverity.Information, true);
    void this.showVersion(lookup, launch);

    const serverOptions: ServerOptions = {
      command: launch.command,
      args: [...launch.args],
      options: { ...launch.options },
    };
    const tomlWatcher = vscode.workspace.createFileSystemWatcher('**/qbank.toml');
    const markdownWatcher = vscode.workspace.createFileSystemWatcher('**/*.md');
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'markdown' },
        { scheme: 'untitled', language: 'markdown' },
      ],
      synchronize: {
        configurationSection: SECTION,
        fileEvents: [tomlWatcher, markdownWatcher],
      },
      initializationOptions: initializationOptions(settings),
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      middleware: {
        workspace: {
          didChangeConfiguration: (sections, next) =>
            this.stopPending || this.client !== client ? Promise.resolve() : next(sections),
        },
      },
    };

    // The id `qbank` also makes the client read `qbank.trace.server`.
    const client = new LanguageClient('qbank', 'qbank', serverOptions, clientOptions);
    this.keepOwnCommandIds(client);
    this.client = client;
    this.clientDisposables = [
      tomlWatcher,
      markdownWatcher,
      client.onDidChangeState((event) => {
        this.onClientState(event.newState, lookup);
      }),
    ];
    try {
      await client.start();
    } catch (error) {
      const message = `qbank language server failed to start (${lookup.path}): ${errorText(error)}`;
      this.notRunningReason = message;
      this.output.error(message);
      this.setStatus('qbank: failed', message, vscode.LanguageStatusSeverity.Error);
      await this.stopClient(message);
      void vscode.window.showErrorMessage(message, SHOW_OUTPUT_ACTION).then((action) => {
        if (action === SHOW_OUTPUT_ACTION) {
          this.output.show(true);
        }
      });
    }
  }

  private async stopClient(reason: string): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.stopPending = false;
    this.notRunningReason = reason;
    for (const disposable of this.clientDisposables) {
      disposable.dispose();
    }
    this.clientDisposables = [];
    void vscode.commands.executeCommand('setContext', 'qbank.serverRunning', false);
    if (client === undefined) {
      return;
    }
    try {
      if (client.isRunning()) {
        await client.stop();
      }
    } catch (error) {
      this.output.warn(`Stopping the server: ${errorText(error)}`);
    }
    try {
      await client.dispose();
    } catch (error) {
      this.output.warn(`Disposing the client: ${errorText(error)}`);
    }
  }

  /**
   * The client would register a VS Code command for each server command; `qbank.checkWorkspace`
   * is also ours, and a second registration throws. Drop the ids this extension contributes.
   */
  private keepOwnCommandIds(client: LanguageClient): void {
    const contributed = (this.context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } })
      .contributes?.commands;
    const ownIds = new Set((contributed ?? []).map((entry) => entry.command));
    const feature = client.getFeature(ExecuteCommandRequest.method);
    const register = feature.register.bind(feature);
    feature.register = (data) => {
      const options: ExecuteCommandOptions = {
        ...data.registerOptions,
        commands: withoutOwnCommands(data.registerOptions.commands, ownIds),
      };
      register({ ...data, registerOptions: options });
    };
  }

  private onClientState(state: State, server: FoundServer): void {
    const running = state === State.Running;
    void vscode.commands.executeCommand('setContext', 'qbank.serverRunning', running);
    if (running) {
      this.notRunningReason = 'the server is running';
      this.status.busy = false;
      this.status.severity = vscode.LanguageStatusSeverity.Information;
      this.status.detail = `running (${server.source}: ${server.path})`;
    } else if (state === State.Stopped && this.client !== undefined) {
      this.notRunningReason = 'the server stopped; see the qbank output';
      this.setStatus('qbank: stopped', this.notRunningReason, vscode.LanguageStatusSeverity.Warning);
    }
  }

  private async showVersion(server: FoundServer, launch: ServerLaunch): Promise<void> {
    const options = { timeout: VERSION_TIMEOUT_MS, shell: launch.options.shell };
    const output = await new Promise<string | undefined>((resolve) => {
      execFile(launch.command, ['--version'], options, (error, stdout) => {
        if (error !== null) {
          this.output.warn(`${server.path} --version failed: ${error.message}`);
          resolve(undefined);
        } else {
          resolve(stdout);
        }
      });
    });
    const version = output === undefined ? undefined : parseVersion(output);
    if (version === undefined) {
      if (output !== undefined) {
        this.output.warn(`Unrecognised --version output from ${server.path}: ${output.trim()}`);
      }
      return;
    }
    this.output.info(`Server version ${version} (${server.source}: ${server.path}).`);
    this.status.text = `qbank ${version}`;
  }

  private async offerServerSetup(message: string): Promise<void> {
    const action = await vscode.window.showErrorMessage(message, SET_PATH_ACTION, INSTALL_ACTION);
    if (action === SET_PATH_ACTION) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'qbank.server.path');
    } else if (action === INSTALL_ACTION) {
      const readme = vscode.Uri.joinPath(this.context.extensionUri, 'README.md');
      await vscode.commands.executeCommand('markdown.showPreview', readme);
    }
  }

  private onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (!event.affectsConfiguration(SECTION)) {
      return;
    }
    const relaunch = RESTART_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
    const enableChanged = event.affectsConfiguration(`${SECTION}.enable`);
    if (relaunch && this.client !== undefined) {
      this.output.info('Server settings changed; restarting.');
      this.stopPending = true;
      void this.restart();
    } else if (enableChanged || this.client === undefined) {
      this.stopPending = this.client !== undefined && this.readSettings().enable === 'never';
      void this.reconcile();
    } else {
      // Rules and dedup reach the running server through didChangeConfiguration
      // (synchronize.configurationSection); re-read only to report invalid values.
      this.readSettings();
    }
  }

  private reconcileIfAuto(): void {
    if (this.readSettings().enable === 'auto') {
      void this.reconcile();
    }
  }

  private setStatus(text: string, detail: string, severity: vscode.LanguageStatusSeverity, busy = false): void {
    this.status.text = text;
    this.status.detail = detail;
    this.status.severity = severity;
    this.status.busy = busy;
  }

  private reportError(message: string): void {
    this.output.error(message);
    void vscode.window.showErrorMessage(`qbank: ${message}`, SHOW_OUTPUT_ACTION).then((action) => {
      if (action === SHOW_OUTPUT_ACTION) {
        this.output.show(true);
      }
    });
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    const next = this.queue.then(operation).catch((error: unknown) => {
      this.output.error(`Unexpected error: ${errorText(error)}`);
    });
    this.queue = next;
    return next;
  }
}

async function workspaceHasConfig(): Promise<boolean> {
  const found = await vscode.workspace.findFiles(CONFIG_FILE_GLOB, SEARCH_EXCLUDE, 1);
  return found.length > 0;
}

function fileKind(filePath: string): FileKind {
  try {
    const stat = fs.statSync(filePath);
    return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : 'missing';
  } catch {
    return 'missing';
  }
}

function listDir(dirPath: string): string[] {
  try {
    return fs.readdirSync(dirPath);
  } catch {
    return [];
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
