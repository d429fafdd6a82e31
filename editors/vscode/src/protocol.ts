//! The extension's view of the qbank server's custom surface: the `workspace/executeCommand`
//! commands it invokes, validation of their results, and the text shown for them.

export const SERVER_COMMANDS = {
  checkWorkspace: 'qbank.checkWorkspace',
  duplicates: 'qbank.duplicates',
} as const;

export interface CheckSummary {
  readonly files: number;
  readonly findings: number;
}

export interface LspPosition {
  readonly line: number;
  readonly character: number;
}

export interface LspRange {
  readonly start: LspPosition;
  readonly end: LspPosition;
}

export interface Duplicate {
  readonly uri: string;
  readonly range: LspRange;
  readonly score: number;
  readonly question: string;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export function parseCheckSummary(value: unknown): Parsed<CheckSummary> {
  if (!isRecord(value) || !isCount(value.files) || !isCount(value.findings)) {
    return invalid(SERVER_COMMANDS.checkWorkspace, 'an object { files, findings } of counts', value);
  }
  return { ok: true, value: { files: value.files, findings: value.findings } };
}

export function formatCheckSummary(summary: CheckSummary): string {
  const files = plural(summary.files, 'file', 'files');
  if (summary.findings === 0) {
    return `qbank: checked ${files}, no findings.`;
  }
  return `qbank: checked ${files}, ${plural(summary.findings, 'finding', 'findings')}. See the Problems panel.`;
}

/** Validates the `qbank.duplicates` result and orders it by descending score. */
export function parseDuplicates(value: unknown): Parsed<Duplicate[]> {
  if (!Array.isArray(value)) {
    return invalid(SERVER_COMMANDS.duplicates, 'an array of { uri, range, score, question }', value);
  }
  const duplicates: Duplicate[] = [];
  for (const item of value as unknown[]) {
    if (
      !isRecord(item) ||
      typeof item.uri !== 'string' ||
      !isRange(item.range) ||
      typeof item.score !== 'number' ||
      !Number.isFinite(item.score) ||
      typeof item.question !== 'string'
    ) {
      return invalid(SERVER_COMMANDS.duplicates, 'entries { uri, range, score, question }', item);
    }
    duplicates.push({ uri: item.uri, range: item.range, score: item.score, question: item.question });
  }
  // Stable sort: equal scores keep the server's order.
  duplicates.sort((a, b) => b.score - a.score);
  return { ok: true, value: duplicates };
}

/** `qbank 0.1.0` → `0.1.0`; anything else → undefined. */
export function parseVersion(output: string): string | undefined {
  const match = /^qbank (\d+\.\d+\.\d+\S*)\s*$/m.exec(output.trim());
  return match?.[1];
}

/**
 * vscode-languageclient registers a VS Code command for every command the server advertises
 * in `executeCommandProvider`; registering an id the extension already owns throws and
 * aborts client start. Returns the advertised list without the extension's own ids.
 */
export function withoutOwnCommands(advertised: readonly string[], ownCommandIds: ReadonlySet<string>): string[] {
  return advertised.filter((command) => !ownCommandIds.has(command));
}

function plural(count: number, one: string, many: string): string {
  return `${String(count)} ${count === 1 ? one : many}`;
}

function invalid(command: string, expected: string, got: unknown): { ok: false; error: string } {
  const shown = stringify(got);
  const clipped = shown.length > 120 ? `${shown.slice(0, 117)}...` : shown;
  return { ok: false, error: `${command} returned an unexpected result: expected ${expected}, got ${clipped}.` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isPosition(value: unknown): value is LspPosition {
  return isRecord(value) && isCount(value.line) && isCount(value.character);
}

function isRange(value: unknown): value is LspRange {
  return isRecord(value) && isPosition(value.start) && isPosition(value.end);
}

/** JSON.stringify returns undefined for `undefined` and functions, whatever its type says. */
function stringify(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  return json ?? String(value);
}
