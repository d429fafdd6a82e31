//! Settings → validated values, `initializationOptions` and the server launch command.

import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { FoundServer } from '../src/serverDiscovery';
import { initializationOptions, readSettings, serverLaunch } from '../src/settings';

function settingsFrom(values: Record<string, unknown>): ReturnType<typeof readSettings> {
  return readSettings((key) => values[key]);
}

describe('readSettings', () => {
  test('unset settings give the documented defaults and no problems', () => {
    const { settings, problems } = settingsFrom({});
    assert.deepEqual(settings, {
      serverPath: '',
      extraArgs: [],
      enable: 'auto',
      rules: {},
      dedup: { mode: 'lexical', model: null },
      inlayHintsNumbers: false,
    });
    assert.deepEqual(problems, []);
  });

  test('valid values are read as given', () => {
    const { settings, problems } = settingsFrom({
      'server.path': '/opt/qbank',
      'server.extraArgs': ['--log', 'debug'],
      enable: 'always',
      rules: { 'missing-id': 'error', Q002: 'off' },
      'dedup.mode': 'semantic',
      'dedup.model': ' /models/all-MiniLM-L6-v2 ',
      'inlayHints.numbers': true,
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      serverPath: '/opt/qbank',
      extraArgs: ['--log', 'debug'],
      enable: 'always',
      rules: { Q002: 'off', 'missing-id': 'error' },
      dedup: { mode: 'semantic', model: '/models/all-MiniLM-L6-v2' },
      inlayHintsNumbers: true,
    });
  });

  test('unknown rule severities are reported and dropped; valid ones are kept', () => {
    const { settings, problems } = settingsFrom({
      rules: { 'missing-tldr': 'warning', 'long-answer': 'fatal', Q003: 2, '': 'error' },
    });
    assert.deepEqual(settings.rules, { 'missing-tldr': 'warning' });
    assert.deepEqual(problems, [
      'qbank.rules has an empty rule name; ignoring it.',
      'qbank.rules: "Q003" has unknown severity 2; expected one of error, warning, info, hint, off. Ignoring it.',
      'qbank.rules: "long-answer" has unknown severity "fatal"; expected one of error, warning, info, hint, off. Ignoring it.',
    ]);
  });

  test('severities are case-sensitive, as in the settings schema', () => {
    const { settings, problems } = settingsFrom({ rules: { 'missing-id': 'Error' } });
    assert.deepEqual(settings.rules, {});
    assert.equal(problems.length, 1);
  });

  test('rules that are not an object are reported', () => {
    const { settings, problems } = settingsFrom({ rules: ['missing-id'] });
    assert.deepEqual(settings.rules, {});
    assert.match(problems[0] ?? '', /qbank\.rules must be an object/);
  });

  test('an unknown dedup mode falls back to lexical and is reported', () => {
    const { settings, problems } = settingsFrom({ 'dedup.mode': 'fuzzy' });
    assert.equal(settings.dedup.mode, 'lexical');
    assert.match(problems[0] ?? '', /qbank\.dedup\.mode has unknown value "fuzzy"/);
  });

  test('semantic mode without a model is reported', () => {
    const { settings, problems } = settingsFrom({ 'dedup.mode': 'semantic', 'dedup.model': '  ' });
    assert.deepEqual(settings.dedup, { mode: 'semantic', model: null });
    assert.match(problems[0] ?? '', /qbank\.dedup\.model is empty/);
  });

  test('non-string extra arguments are reported and skipped', () => {
    const { settings, problems } = settingsFrom({ 'server.extraArgs': ['--a', 3, '--b'] });
    assert.deepEqual(settings.extraArgs, ['--a', '--b']);
    assert.match(problems[0] ?? '', /qbank\.server\.extraArgs must contain only strings; ignoring 3/);
  });
});

describe('initializationOptions', () => {
  test('carries exactly { rules, dedup: { mode, model }, inlayHints: { numbers } }', () => {
    const { settings } = settingsFrom({
      'server.path': '/opt/qbank',
      enable: 'always',
      rules: { 'missing-id': 'hint', 'long-answer': 'bogus' },
      'dedup.mode': 'semantic',
      'dedup.model': '/models/minilm',
    });
    assert.deepEqual(initializationOptions(settings), {
      rules: { 'missing-id': 'hint' },
      dedup: { mode: 'semantic', model: '/models/minilm' },
      inlayHints: { numbers: false },
    });
  });

  test('an unset model is sent as null', () => {
    assert.deepEqual(initializationOptions(settingsFrom({}).settings), {
      rules: {},
      dedup: { mode: 'lexical', model: null },
      inlayHints: { numbers: false },
    });
  });

  test('survives a JSON round trip unchanged (it goes over the wire)', () => {
    const options = initializationOptions(settingsFrom({ rules: { a: 'info' }, 'dedup.model': '/m' }).settings);
    assert.deepEqual(JSON.parse(JSON.stringify(options)), options);
  });
});

describe('serverLaunch', () => {
  const onPath: FoundServer = { kind: 'found', path: '/usr/bin/qbank', source: 'path' };

  test('runs `<binary> lsp` followed by the extra arguments, in the workspace folder', () => {
    const { settings } = settingsFrom({ 'server.extraArgs': ['--log-file', '/tmp/q.log'] });
    assert.deepEqual(serverLaunch(onPath, settings, 'linux', '/work/bank'), {
      command: '/usr/bin/qbank',
      args: ['lsp', '--log-file', '/tmp/q.log'],
      options: { cwd: '/work/bank', shell: false },
    });
  });

  test('without a workspace folder no cwd is set', () => {
    assert.deepEqual(serverLaunch(onPath, settingsFrom({}).settings, 'linux', undefined).options, { shell: false });
  });

  test('a Windows .exe is spawned directly, arguments untouched', () => {
    const exe: FoundServer = { kind: 'found', path: 'C:\\Program Files\\qbank\\qbank.exe', source: 'path' };
    const { settings } = settingsFrom({ 'server.extraArgs': ['--name', 'a b'] });
    assert.deepEqual(serverLaunch(exe, settings, 'win32', undefined), {
      command: 'C:\\Program Files\\qbank\\qbank.exe',
      args: ['lsp', '--name', 'a b'],
      options: { shell: false },
    });
  });

  test('a Windows .cmd shim runs through the shell with quoted arguments', () => {
    const shim: FoundServer = { kind: 'found', path: 'C:\\Program Files\\qbank\\qbank.CMD', source: 'path' };
    const { settings } = settingsFrom({ 'server.extraArgs': ['--name', 'a b'] });
    assert.deepEqual(serverLaunch(shim, settings, 'win32', 'D:\\bank'), {
      command: '"C:\\Program Files\\qbank\\qbank.CMD"',
      args: ['lsp', '--name', '"a b"'],
      options: { cwd: 'D:\\bank', shell: true },
    });
  });

  test('a file named .cmd on POSIX is not special', () => {
    const odd: FoundServer = { kind: 'found', path: '/opt/qbank.cmd', source: 'setting' };
    assert.equal(serverLaunch(odd, settingsFrom({}).settings, 'linux', undefined).options.shell, false);
  });
});
