//! Owns the `qbank.*` settings: reading and validating them, and turning them into what the
//! server receives (launch command, `initializationOptions`). No `vscode` import: callers pass
//! a getter for the `qbank` configuration section.

import type { FoundServer } from './serverDiscovery';

export const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ENABLE_MODES = ['auto', 'always', 'never'] as const;
export type EnableMode = (typeof ENABLE_MODES)[number];

export const DEDUP_MODES = ['lexical', 'semantic'] as const;
export type DedupMode = (typeof DEDUP_MODES)[number];

/** Keys inside the `qbank` section that the extension itself reads. */
export const SETTING_KEYS = {
  serverPath: 'server.path',
  extraArgs: 'server.extraArgs',
  enable: 'enable',
  rules: 'rules',
  dedupMode: 'dedup.mode',
  dedupModel: 'dedup.model',
  inlayHintsNumbers: 'inlayHints.numbers',
} as const;

/**
 * Keys read by vscode-languageclient rather than by this extension: `<clientId>.trace.server`
 * controls protocol tracing, so the client id must stay `qbank`.
 */
export const CLIENT_READ_KEYS = ['trace.server'] as const;

/** Settings whose change requires relaunching the server process. */
export const RESTART_KEYS = [SETTING_KEYS.serverPath, SETTING_KEYS.extraArgs] as const;

export interface QbankSettings {
  readonly serverPath: string;
  readonly extraArgs: readonly string[];
  readonly enable: EnableMode;
  readonly rules: Readonly<Record<string, Severity>>;
  readonly dedup: {
    readonly mode: DedupMode;
    readonly model: string | null;
  };
  /** Inlay hints with the expected number where a written one is wrong. */
  readonly inlayHintsNumbers: boolean;
}

export interface SettingsRead {
  readonly settings: QbankSettings;
  /** Human-readable problems with the configured values; invalid values fell back to defaults. */
  readonly problems: readonly string[];
}

/** What the server gets as `initializationOptions`. */
export interface InitializationOptions {
  readonly rules: Readonly<Record<string, Severity>>;
  readonly dedup: {
    readonly mode: DedupMode;
    readonly model: string | null;
  };
  readonly inlayHints: { readonly numbers: boolean };
}

export interface ServerLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly options: {
    readonly cwd?: string;
    readonly shell: boolean;
  };
}

/** `get` returns the value of a key inside the `qbank` section, or `undefined` when unset. */
export function readSettings(get: (key: string) => unknown): SettingsRead {
  const problems: string[] = [];

  const rawPath = get(SETTING_KEYS.serverPath);
  let serverPath = '';
  if (typeof rawPath === 'string') {
    serverPath = rawPath;
  } else if (rawPath !== undefined && rawPath !== null) {
    problems.push(`qbank.server.path must be a string; ignoring ${describe(rawPath)}.`);
  }

  const extraArgs = readStringArray(get(SETTING_KEYS.extraArgs), 'qbank.server.extraArgs', problems);
  const enable = readEnum(get(SETTING_KEYS.enable), ENABLE_MODES, 'auto', 'qbank.enable', problems);
  const rules = readRules(get(SETTING_KEYS.rules), problems);
  const mode = readEnum(get(SETTING_KEYS.dedupMode), DEDUP_MODES, 'lexical', 'qbank.dedup.mode', problems);

  const rawModel = get(SETTING_KEYS.dedupModel);
  let model: string | null = null;
  if (typeof rawModel === 'string') {
    model = rawModel.trim() === '' ? null : rawModel.trim();
  } else if (rawModel !== undefined && rawModel !== null) {
    problems.push(`qbank.dedup.model must be a string path; ignoring ${describe(rawModel)}.`);
  }
  if (mode === 'semantic' && model === null) {
    problems.push(
      'qbank.dedup.mode is "semantic" but qbank.dedup.model is empty: set it to a local all-MiniLM-L6-v2 directory.',
    );
  }

  const rawHints = get(SETTING_KEYS.inlayHintsNumbers);
  let inlayHintsNumbers = false;
  if (typeof rawHints === 'boolean') {
    inlayHintsNumbers = rawHints;
  } else if (rawHints !== undefined && rawHints !== null) {
    problems.push(`qbank.inlayHints.numbers must be true or false; ignoring ${describe(rawHints)}.`);
  }

  return { settings: { serverPath, extraArgs, enable, rules, dedup: { mode, model }, inlayHintsNumbers }, problems };
}

export function initializationOptions(settings: QbankSettings): InitializationOptions {
  return {
    rules: { ...settings.rules },
    dedup: { mode: settings.dedup.mode, model: settings.dedup.model },
    inlayHints: { numbers: settings.inlayHintsNumbers },
  };
}

/**
 * `<binary> lsp <extraArgs...>`. Windows refuses to spawn `.cmd`/`.bat` files without a shell
 * (Node's fix for CVE-2024-27980), so those run through one, with arguments quoted.
 */
export function serverLaunch(
  server: FoundServer,
  settings: QbankSettings,
  platform: NodeJS.Platform,
  cwd: string | undefined,
): ServerLaunch {
  const args = ['lsp', ...settings.extraArgs];
  const shell = platform === 'win32' && /\.(cmd|bat)$/i.test(server.path);
  const options = cwd === undefined ? { shell } : { cwd, shell };
  if (!shell) {
    return { command: server.path, args, options };
  }
  return { command: quoteForCmd(server.path), args: args.map(quoteForCmd), options };
}

function quoteForCmd(value: string): string {
  return /[\s"&|<>^()]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function readStringArray(value: unknown, name: string, problems: string[]): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    problems.push(`${name} must be an array of strings; ignoring ${describe(value)}.`);
    return [];
  }
  const strings: string[] = [];
  for (const item of value as unknown[]) {
    if (typeof item === 'string') {
      strings.push(item);
    } else {
      problems.push(`${name} must contain only strings; ignoring ${describe(item)}.`);
    }
  }
  return strings;
}

function readEnum<T extends string>(
  value: unknown,
  allowed: readonly T[],
  fallback: T,
  name: string,
  problems: string[],
): T {
  if (value === undefined || value === null) {
    return fallback;
  }
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) {
    problems.push(`${name} has unknown value ${describe(value)}; expected one of ${allowed.join(', ')}. Using "${fallback}".`);
    return fallback;
  }
  return match;
}

function readRules(value: unknown, problems: string[]): Record<string, Severity> {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`qbank.rules must be an object mapping rule codes or names to severities; ignoring ${describe(value)}.`);
    return {};
  }
  const rules: Record<string, Severity> = {};
  // Sorted so the server sees the same order whatever order the settings files merged in.
  for (const [rule, severity] of Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareStrings(a, b))) {
    const known = SEVERITIES.find((candidate) => candidate === severity);
    if (rule.trim() === '') {
      problems.push('qbank.rules has an empty rule name; ignoring it.');
    } else if (known === undefined) {
      problems.push(
        `qbank.rules: "${rule}" has unknown severity ${describe(severity)}; expected one of ${SEVERITIES.join(', ')}. Ignoring it.`,
      );
    } else {
      rules[rule] = known;
    }
  }
  return rules;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describe(value: unknown): string {
  return stringify(value);
}

/** JSON.stringify returns undefined for `undefined` and functions, whatever its type says. */
function stringify(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  return json ?? String(value);
}
