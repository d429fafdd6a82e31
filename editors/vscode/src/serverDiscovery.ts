//! Finds the `qbank` binary to launch: the `qbank.server.path` setting, then the binary
//! bundled in the extension, then `qbank` on PATH, then the usual install places (cargo's bin
//! folder, /usr/local/bin, ~/.local/bin, the active virtualenv, Python's user scripts folders) —
//! the extension host of code-server or Remote-SSH gets its PATH from the login shell, not from
//! whoever launched the editor, so a qbank on the user's interactive PATH may not be on it. Pure
//! logic: file system and environment come in as arguments, so the whole search order is
//! testable without VS Code.

import * as path from 'node:path';

export type ServerSource = 'setting' | 'bundled' | 'path' | 'install place';

export interface FoundServer {
  readonly kind: 'found';
  readonly path: string;
  readonly source: ServerSource;
}

export interface ServerNotFound {
  readonly kind: 'notFound';
  /** One line for a notification: what failed and what to do. */
  readonly message: string;
  /** Every location that was looked at, in search order. */
  readonly tried: readonly string[];
}

export type ServerLookup = FoundServer | ServerNotFound;

export interface DiscoverySettings {
  /** Raw value of `qbank.server.path`; empty or blank means "not set". */
  readonly serverPath: string;
  /** Base for a relative `qbank.server.path` (the first workspace folder), if any. */
  readonly workspaceFolder?: string;
}

export type FileKind = 'file' | 'directory' | 'missing';

export interface DiscoveryHost {
  readonly platform: NodeJS.Platform;
  readonly homeDir: string;
  fileKind(filePath: string): FileKind;
  /** Names in a directory (empty when it is missing); used for Python's versioned folders. */
  listDir(dirPath: string): readonly string[];
}

export type Environment = Readonly<Record<string, string | undefined>>;

const BINARY_NAME = 'qbank';
const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

export function findServer(
  settings: DiscoverySettings,
  extensionPath: string,
  env: Environment,
  host: DiscoveryHost,
): ServerLookup {
  const paths = host.platform === 'win32' ? path.win32 : path.posix;
  const tried: string[] = [];

  const configured = settings.serverPath.trim();
  if (configured !== '') {
    const resolved = resolveConfiguredPath(configured, settings.workspaceFolder, host, paths);
    const kind = host.fileKind(resolved);
    if (kind === 'file') {
      return { kind: 'found', path: resolved, source: 'setting' };
    }
    // An explicit setting never silently falls back: the user asked for this binary.
    const problem = kind === 'directory' ? 'is a directory, not the qbank binary' : 'does not exist';
    return {
      kind: 'notFound',
      message: `qbank.server.path points to ${resolved}, which ${problem}. Fix the setting or clear it to use the bundled or PATH binary.`,
      tried: [`qbank.server.path: ${resolved}`],
    };
  }
  tried.push('qbank.server.path: not set');

  const bundled = paths.join(extensionPath, 'server', executableName(host.platform));
  if (host.fileKind(bundled) === 'file') {
    return { kind: 'found', path: bundled, source: 'bundled' };
  }
  tried.push(`bundled binary: ${bundled}`);

  const onPath = searchPath(env, host, paths);
  if (onPath.found !== undefined) {
    return { kind: 'found', path: onPath.found, source: 'path' };
  }
  tried.push(
    onPath.dirs.length === 0
      ? 'PATH: empty'
      : `PATH: no ${onPath.names.join(' / ')} in ${onPath.dirs.join(host.platform === 'win32' ? ';' : ':')}`,
  );

  const places = installPlaces(env, host, paths);
  const name = executableName(host.platform);
  for (const dir of places) {
    const candidate = paths.join(dir, name);
    if (host.fileKind(candidate) === 'file') {
      return { kind: 'found', path: candidate, source: 'install place' };
    }
  }
  tried.push(`install places: no ${name} in ${places.join(', ')}`);

  return {
    kind: 'notFound',
    message: `qbank language server not found. Tried: ${tried.join('; ')}. Install qbank or set qbank.server.path.`,
    tried,
  };
}

export function executableName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? `${BINARY_NAME}.exe` : BINARY_NAME;
}

/** Reads an environment variable the way the platform does: case-insensitively on Windows. */
export function getEnv(env: Environment, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') {
    return env[name];
  }
  const wanted = name.toUpperCase();
  const key = Object.keys(env).find((candidate) => candidate.toUpperCase() === wanted);
  return key === undefined ? undefined : env[key];
}

function resolveConfiguredPath(
  configured: string,
  workspaceFolder: string | undefined,
  host: DiscoveryHost,
  paths: path.PlatformPath,
): string {
  let expanded = configured;
  if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\')) {
    expanded = paths.join(host.homeDir, expanded.slice(1));
  }
  if (!paths.isAbsolute(expanded) && workspaceFolder !== undefined) {
    expanded = paths.resolve(workspaceFolder, expanded);
  }
  return paths.normalize(expanded);
}

/**
 * Folders where `cargo install`, a package manager or `pip install` usually put `qbank`, in the
 * order they are searched, without duplicates. Python's user scripts folders carry the Python
 * version in their name on macOS and Windows, so those parents are listed.
 */
export function installPlaces(env: Environment, host: DiscoveryHost, paths: path.PlatformPath): string[] {
  const platform = host.platform;
  const read = (name: string): string | undefined => {
    const value = getEnv(env, name, platform)?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const home = host.homeDir;
  const places: string[] = [];
  const add = (dir: string | undefined): void => {
    if (dir !== undefined && dir !== '' && paths.isAbsolute(dir)) {
      places.push(paths.normalize(dir));
    }
  };
  // Newest Python first: `Python312` before `Python39`, `3.12` before `3.9`.
  const versioned = (parent: string, pattern: RegExp, sub: string[]): void => {
    const names = host
      .listDir(parent)
      .filter((entry) => pattern.test(entry))
      .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
    for (const entry of names) {
      add(paths.join(parent, entry, ...sub));
    }
  };

  // `cargo install` writes to $CARGO_HOME/bin, by default ~/.cargo/bin.
  add(paths.join(read('CARGO_HOME') ?? paths.join(home, '.cargo'), 'bin'));
  if (platform === 'win32') {
    const venv = read('VIRTUAL_ENV');
    if (venv !== undefined) add(paths.join(venv, 'Scripts'));
    const userBase = read('PYTHONUSERBASE');
    if (userBase !== undefined) versioned(userBase, /^Python\d+$/i, ['Scripts']);
    const appData = read('APPDATA');
    if (appData !== undefined) versioned(paths.join(appData, 'Python'), /^Python\d+$/i, ['Scripts']);
    const localAppData = read('LOCALAPPDATA');
    if (localAppData !== undefined) {
      versioned(paths.join(localAppData, 'Programs', 'Python'), /^Python\d+$/i, ['Scripts']);
    }
  } else {
    const venv = read('VIRTUAL_ENV');
    if (venv !== undefined) add(paths.join(venv, 'bin'));
    const userBase = read('PYTHONUSERBASE');
    if (userBase !== undefined) add(paths.join(userBase, 'bin'));
    add(paths.join(home, '.local', 'bin'));
    if (platform === 'darwin') {
      versioned(paths.join(home, 'Library', 'Python'), /^\d+\.\d+$/, ['bin']);
      add('/opt/homebrew/bin');
    }
    add('/usr/local/bin');
  }
  return [...new Set(places)];
}

interface PathSearch {
  readonly found?: string;
  readonly dirs: readonly string[];
  readonly names: readonly string[];
}

function searchPath(env: Environment, host: DiscoveryHost, paths: path.PlatformPath): PathSearch {
  const windows = host.platform === 'win32';
  const rawPath = getEnv(env, 'PATH', host.platform) ?? '';
  const dirs = rawPath
    .split(windows ? ';' : ':')
    .map((dir) => (windows ? dir.trim().replace(/^"(.*)"$/, '$1') : dir))
    // An empty entry means "current directory" to a shell; launching whatever binary sits
    // in the editor's working directory is not something an extension should do.
    .filter((dir) => dir !== '');
  const names = windows ? windowsCandidates(getEnv(env, 'PATHEXT', host.platform)) : [BINARY_NAME];

  for (const dir of dirs) {
    for (const name of names) {
      const candidate = paths.join(dir, name);
      if (host.fileKind(candidate) === 'file') {
        return { found: candidate, dirs, names };
      }
    }
  }
  return { dirs, names };
}

/** `qbank` plus each PATHEXT extension, in PATHEXT order as cmd.exe tries them; `.exe` is always tried. */
function windowsCandidates(pathExt: string | undefined): string[] {
  const extensions = (pathExt ?? DEFAULT_PATHEXT)
    .split(';')
    .map((ext) => ext.trim().toLowerCase())
    .filter((ext) => ext.startsWith('.') && ext.length > 1);
  const unique = [...new Set(extensions)];
  if (!unique.includes('.exe')) {
    unique.push('.exe');
  }
  return unique.map((ext) => `${BINARY_NAME}${ext}`);
}
