//! Binary discovery order: setting → bundled → PATH → usual install places, on POSIX, macOS and Windows.

import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  findServer,
  type DiscoveryHost,
  type Environment,
  type FoundServer,
  type ServerLookup,
  type ServerNotFound,
} from '../src/serverDiscovery';

/**
 * A file system holding exactly `files` (and `dirs`); every other path is missing. Listing a
 * directory gives the names of the files and directories directly inside it.
 */
function fakeHost(platform: NodeJS.Platform, files: string[], dirs: string[] = []): DiscoveryHost {
  const fileSet = new Set(files);
  const dirSet = new Set(dirs);
  const sep = platform === 'win32' ? '\\' : '/';
  return {
    platform,
    homeDir: platform === 'win32' ? 'C:\\Users\\ada' : '/home/ada',
    fileKind: (p) => (fileSet.has(p) ? 'file' : dirSet.has(p) ? 'directory' : 'missing'),
    listDir: (dir) => {
      const prefix = dir.endsWith(sep) ? dir : dir + sep;
      const names = [...fileSet, ...dirSet]
        .filter((p) => p.startsWith(prefix))
        .map((p) => p.slice(prefix.length).split(sep)[0] ?? '');
      return [...new Set(names)].filter((name) => name !== '');
    },
  };
}

const EXT = '/ext/qbank-0.1.0';
const WIN_EXT = 'C:\\ext\\qbank-0.1.0';

function expectFound(lookup: ServerLookup): FoundServer {
  if (lookup.kind !== 'found') {
    assert.fail(`expected a server, got: ${lookup.message}`);
  }
  return lookup;
}

function expectNotFound(lookup: ServerLookup): ServerNotFound {
  if (lookup.kind !== 'notFound') {
    assert.fail(`expected no server, found ${lookup.path}`);
  }
  return lookup;
}

describe('findServer on POSIX', () => {
  const env: Environment = { PATH: '/usr/local/bin:/usr/bin' };

  test('the setting wins over the bundled binary and PATH', () => {
    const host = fakeHost('linux', ['/opt/qbank/bin/qbank', `${EXT}/server/qbank`, '/usr/bin/qbank']);
    const found = expectFound(findServer({ serverPath: '/opt/qbank/bin/qbank' }, EXT, env, host));
    assert.deepEqual(found, { kind: 'found', path: '/opt/qbank/bin/qbank', source: 'setting' });
  });

  test('a relative setting resolves against the workspace folder, ~ against home', () => {
    const host = fakeHost('linux', ['/work/bank/tools/qbank', '/home/ada/.cargo/bin/qbank']);
    const relative = expectFound(findServer({ serverPath: 'tools/qbank', workspaceFolder: '/work/bank' }, EXT, env, host));
    assert.equal(relative.path, '/work/bank/tools/qbank');
    const home = expectFound(findServer({ serverPath: '~/.cargo/bin/qbank', workspaceFolder: '/work/bank' }, EXT, env, host));
    assert.equal(home.path, '/home/ada/.cargo/bin/qbank');
  });

  test('a setting pointing to a missing file is an error naming the path, with no fallback', () => {
    const host = fakeHost('linux', [`${EXT}/server/qbank`, '/usr/bin/qbank']);
    const missing = expectNotFound(findServer({ serverPath: '/opt/nope/qbank' }, EXT, env, host));
    assert.match(missing.message, /\/opt\/nope\/qbank/);
    assert.match(missing.message, /does not exist/);
    assert.deepEqual(missing.tried, ['qbank.server.path: /opt/nope/qbank']);
  });

  test('a setting pointing to a directory is an error', () => {
    const host = fakeHost('linux', ['/usr/bin/qbank'], ['/opt/qbank']);
    const lookup = expectNotFound(findServer({ serverPath: '/opt/qbank' }, EXT, env, host));
    assert.match(lookup.message, /\/opt\/qbank, which is a directory/);
  });

  test('a blank setting counts as unset', () => {
    const host = fakeHost('linux', ['/usr/bin/qbank']);
    const found = expectFound(findServer({ serverPath: '   ' }, EXT, env, host));
    assert.equal(found.source, 'path');
  });

  test('the bundled binary is used when there is no setting, before PATH', () => {
    const host = fakeHost('linux', [`${EXT}/server/qbank`, `${EXT}/server/qbank.exe`, '/usr/bin/qbank']);
    const found = expectFound(findServer({ serverPath: '' }, EXT, env, host));
    assert.deepEqual(found, { kind: 'found', path: `${EXT}/server/qbank`, source: 'bundled' });
  });

  test('PATH is searched in order and the first match wins', () => {
    const host = fakeHost('linux', ['/usr/bin/qbank', '/usr/local/bin/qbank']);
    const found = expectFound(findServer({ serverPath: '' }, EXT, env, host));
    assert.deepEqual(found, { kind: 'found', path: '/usr/local/bin/qbank', source: 'path' });
  });

  test('PATH skips empty entries instead of searching the working directory', () => {
    const host = fakeHost('linux', ['qbank', '/usr/bin/qbank']);
    const found = expectFound(findServer({ serverPath: '' }, EXT, { PATH: ':/usr/bin:' }, host));
    assert.equal(found.path, '/usr/bin/qbank');
  });

  test('a Windows executable on PATH is not picked up on POSIX', () => {
    const host = fakeHost('linux', ['/usr/bin/qbank.exe']);
    expectNotFound(findServer({ serverPath: '' }, EXT, env, host));
  });

  test('nothing found: the error lists every place that was tried', () => {
    const lookup = expectNotFound(findServer({ serverPath: '' }, EXT, env, fakeHost('linux', [])));
    assert.deepEqual(lookup.tried, [
      'qbank.server.path: not set',
      `bundled binary: ${EXT}/server/qbank`,
      'PATH: no qbank in /usr/local/bin:/usr/bin',
      'install places: no qbank in /home/ada/.cargo/bin, /home/ada/.local/bin, /usr/local/bin',
    ]);
    for (const place of lookup.tried) {
      assert.ok(lookup.message.includes(place), `message should mention "${place}": ${lookup.message}`);
    }
  });

  test('nothing found with no PATH at all says so', () => {
    const lookup = expectNotFound(findServer({ serverPath: '' }, EXT, {}, fakeHost('linux', [])));
    assert.equal(lookup.tried[2], 'PATH: empty');
  });
});

describe('findServer in the usual install places (an editor host whose PATH lacks them)', () => {
  // What code-server's extension host got on the test machine: the login shell's PATH.
  const loginEnv: Environment = { PATH: '/usr/bin:/bin' };

  test('cargo install: ~/.cargo/bin/qbank is found when it is not on PATH', () => {
    const host = fakeHost('linux', ['/home/ada/.cargo/bin/qbank']);
    const found = expectFound(findServer({ serverPath: '' }, EXT, loginEnv, host));
    assert.deepEqual(found, { kind: 'found', path: '/home/ada/.cargo/bin/qbank', source: 'install place' });
  });

  test('CARGO_HOME replaces ~/.cargo', () => {
    const host = fakeHost('linux', ['/home/ada/.cargo/bin/qbank', '/opt/cargo/bin/qbank']);
    const found = expectFound(findServer({ serverPath: '' }, EXT, { ...loginEnv, CARGO_HOME: '/opt/cargo' }, host));
    assert.equal(found.path, '/opt/cargo/bin/qbank');
  });

  test('/usr/local/bin and ~/.local/bin (pip install --user, pipx) are searched', () => {
    const local = expectFound(findServer({ serverPath: '' }, EXT, loginEnv, fakeHost('linux', ['/usr/local/bin/qbank'])));
    assert.equal(local.path, '/usr/local/bin/qbank');
    const user = expectFound(findServer({ serverPath: '' }, EXT, loginEnv, fakeHost('linux', ['/home/ada/.local/bin/qbank'])));
    assert.equal(user.path, '/home/ada/.local/bin/qbank');
  });

  test('the active virtualenv and PYTHONUSERBASE are searched before ~/.local/bin', () => {
    const host = fakeHost('linux', ['/home/ada/.local/bin/qbank', '/proj/.venv/bin/qbank', '/py/base/bin/qbank']);
    const venv = expectFound(findServer({ serverPath: '' }, EXT, { ...loginEnv, VIRTUAL_ENV: '/proj/.venv' }, host));
    assert.equal(venv.path, '/proj/.venv/bin/qbank');
    const base = expectFound(findServer({ serverPath: '' }, EXT, { ...loginEnv, PYTHONUSERBASE: '/py/base' }, host));
    assert.equal(base.path, '/py/base/bin/qbank');
  });

  test('PATH still wins over the install places, and the order among them is cargo first', () => {
    const host = fakeHost('linux', ['/usr/bin/qbank', '/home/ada/.cargo/bin/qbank', '/usr/local/bin/qbank']);
    assert.equal(expectFound(findServer({ serverPath: '' }, EXT, loginEnv, host)).source, 'path');
    const noPath = fakeHost('linux', ['/home/ada/.cargo/bin/qbank', '/usr/local/bin/qbank']);
    assert.equal(expectFound(findServer({ serverPath: '' }, EXT, loginEnv, noPath)).path, '/home/ada/.cargo/bin/qbank');
  });

  test('an explicit setting never falls back to an install place', () => {
    const host = fakeHost('linux', ['/home/ada/.cargo/bin/qbank']);
    expectNotFound(findServer({ serverPath: '/opt/nope/qbank' }, EXT, loginEnv, host));
  });

  test('a directory named qbank in an install place is not a binary', () => {
    const host = fakeHost('linux', [], ['/usr/local/bin/qbank']);
    expectNotFound(findServer({ serverPath: '' }, EXT, loginEnv, host));
  });

  test('relative or blank environment values add no install place', () => {
    const lookup = expectNotFound(
      findServer({ serverPath: '' }, EXT, { ...loginEnv, VIRTUAL_ENV: 'venv', CARGO_HOME: '  ' }, fakeHost('linux', [])),
    );
    assert.equal(lookup.tried.at(-1), 'install places: no qbank in /home/ada/.cargo/bin, /home/ada/.local/bin, /usr/local/bin');
  });

  test('macOS: pip --user scripts under ~/Library/Python/X.Y/bin, newest first, and Homebrew', () => {
    const host = fakeHost('darwin', [
      '/home/ada/Library/Python/3.9/bin/qbank',
      '/home/ada/Library/Python/3.12/bin/qbank',
      '/home/ada/Library/Python/README',
    ]);
    const found = expectFound(findServer({ serverPath: '' }, EXT, loginEnv, host));
    assert.equal(found.path, '/home/ada/Library/Python/3.12/bin/qbank');
    const brew = expectFound(findServer({ serverPath: '' }, EXT, loginEnv, fakeHost('darwin', ['/opt/homebrew/bin/qbank'])));
    assert.equal(brew.path, '/opt/homebrew/bin/qbank');
  });

  test('Windows: cargo, the venv Scripts folder and pip --user Scripts folders hold qbank.exe', () => {
    const env: Environment = { PATH: 'C:\\Windows', APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' };
    const cargo = expectFound(findServer({ serverPath: '' }, WIN_EXT, env, fakeHost('win32', ['C:\\Users\\ada\\.cargo\\bin\\qbank.exe'])));
    assert.equal(cargo.path, 'C:\\Users\\ada\\.cargo\\bin\\qbank.exe');
    const venv = expectFound(
      findServer({ serverPath: '' }, WIN_EXT, { ...env, VIRTUAL_ENV: 'D:\\proj\\.venv' }, fakeHost('win32', ['D:\\proj\\.venv\\Scripts\\qbank.exe'])),
    );
    assert.equal(venv.path, 'D:\\proj\\.venv\\Scripts\\qbank.exe');
    const user = fakeHost('win32', [
      'C:\\Users\\ada\\AppData\\Roaming\\Python\\Python39\\Scripts\\qbank.exe',
      'C:\\Users\\ada\\AppData\\Roaming\\Python\\Python312\\Scripts\\qbank.exe',
    ]);
    const pip = expectFound(findServer({ serverPath: '' }, WIN_EXT, env, user));
    assert.equal(pip.path, 'C:\\Users\\ada\\AppData\\Roaming\\Python\\Python312\\Scripts\\qbank.exe');
  });
});

describe('findServer on Windows', () => {
  test('the bundled binary is server\\qbank.exe, not server\\qbank', () => {
    const noExe = fakeHost('win32', [`${WIN_EXT}\\server\\qbank`]);
    expectNotFound(findServer({ serverPath: '' }, WIN_EXT, {}, noExe));
    const withExe = fakeHost('win32', [`${WIN_EXT}\\server\\qbank.exe`]);
    const found = expectFound(findServer({ serverPath: '' }, WIN_EXT, {}, withExe));
    assert.deepEqual(found, { kind: 'found', path: `${WIN_EXT}\\server\\qbank.exe`, source: 'bundled' });
  });

  test('PATH is read case-insensitively, split on ";" and unquoted', () => {
    const host = fakeHost('win32', ['C:\\Program Files\\qbank\\qbank.exe']);
    const env: Environment = { Path: 'C:\\Windows;"C:\\Program Files\\qbank"' };
    const found = expectFound(findServer({ serverPath: '' }, WIN_EXT, env, host));
    assert.deepEqual(found, { kind: 'found', path: 'C:\\Program Files\\qbank\\qbank.exe', source: 'path' });
  });

  test('an extensionless qbank is not an executable on Windows', () => {
    const host = fakeHost('win32', ['C:\\tools\\qbank']);
    const lookup = expectNotFound(findServer({ serverPath: '' }, WIN_EXT, { PATH: 'C:\\tools' }, host));
    assert.match(lookup.message, /qbank\.exe/);
  });

  test('PATHEXT order decides between extensions in one directory', () => {
    const host = fakeHost('win32', ['C:\\tools\\qbank.exe', 'C:\\tools\\qbank.cmd']);
    const cmdFirst = expectFound(findServer({ serverPath: '' }, WIN_EXT, { PATH: 'C:\\tools', PATHEXT: '.CMD;.EXE' }, host));
    assert.equal(cmdFirst.path, 'C:\\tools\\qbank.cmd');
    const exeFirst = expectFound(findServer({ serverPath: '' }, WIN_EXT, { PATH: 'C:\\tools', PATHEXT: '.EXE;.CMD' }, host));
    assert.equal(exeFirst.path, 'C:\\tools\\qbank.exe');
  });

  test('.exe is tried even when PATHEXT leaves it out; unset PATHEXT uses the Windows default', () => {
    const host = fakeHost('win32', ['C:\\tools\\qbank.exe', 'D:\\bin\\qbank.bat']);
    const noExe = expectFound(findServer({ serverPath: '' }, WIN_EXT, { PATH: 'C:\\tools', PATHEXT: '.BAT' }, host));
    assert.equal(noExe.path, 'C:\\tools\\qbank.exe');
    const defaults = expectFound(findServer({ serverPath: '' }, WIN_EXT, { PATH: 'D:\\bin' }, host));
    assert.equal(defaults.path, 'D:\\bin\\qbank.bat');
  });

  test('directories earlier on PATH win over later ones whatever the extension', () => {
    const host = fakeHost('win32', ['C:\\first\\qbank.cmd', 'C:\\second\\qbank.exe']);
    const found = expectFound(findServer({ serverPath: '' }, WIN_EXT, { PATH: 'C:\\first;C:\\second' }, host));
    assert.equal(found.path, 'C:\\first\\qbank.cmd');
  });

  test('a relative setting resolves against the workspace folder with Windows paths', () => {
    const host = fakeHost('win32', ['D:\\bank\\bin\\qbank.exe']);
    const found = expectFound(findServer({ serverPath: 'bin\\qbank.exe', workspaceFolder: 'D:\\bank' }, WIN_EXT, {}, host));
    assert.equal(found.path, 'D:\\bank\\bin\\qbank.exe');
  });

  test('nothing found lists the bundled path and the PATH candidates', () => {
    const lookup = expectNotFound(
      findServer({ serverPath: '' }, WIN_EXT, { PATH: 'C:\\a;C:\\b', PATHEXT: '.EXE;.CMD' }, fakeHost('win32', [])),
    );
    assert.deepEqual(lookup.tried, [
      'qbank.server.path: not set',
      `bundled binary: ${WIN_EXT}\\server\\qbank.exe`,
      'PATH: no qbank.exe / qbank.cmd in C:\\a;C:\\b',
      'install places: no qbank.exe in C:\\Users\\ada\\.cargo\\bin',
    ]);
  });
});
