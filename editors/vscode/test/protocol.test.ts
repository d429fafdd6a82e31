//! Results of the server's executeCommand commands, their display, and `--version` parsing.

import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  formatCheckSummary,
  parseCheckSummary,
  parseDuplicates,
  parseVersion,
  withoutOwnCommands,
} from '../src/protocol';

const range = { start: { line: 4, character: 0 }, end: { line: 4, character: 30 } };

describe('qbank.checkWorkspace result', () => {
  test('a well-formed result parses', () => {
    assert.deepEqual(parseCheckSummary({ files: 12, findings: 3, extra: true }), {
      ok: true,
      value: { files: 12, findings: 3 },
    });
  });

  test('malformed results are errors naming the command', () => {
    for (const bad of [null, [], { files: 1 }, { files: -1, findings: 0 }, { files: 1.5, findings: 0 }, { files: '1', findings: 0 }]) {
      const parsed = parseCheckSummary(bad);
      assert.equal(parsed.ok, false, JSON.stringify(bad));
      assert.match(parsed.error, /^qbank\.checkWorkspace returned an unexpected result/);
    }
  });

  test('the summary reads naturally for zero, one and many', () => {
    assert.equal(formatCheckSummary({ files: 1, findings: 0 }), 'qbank: checked 1 file, no findings.');
    assert.equal(
      formatCheckSummary({ files: 12, findings: 1 }),
      'qbank: checked 12 files, 1 finding. See the Problems panel.',
    );
    assert.equal(
      formatCheckSummary({ files: 2, findings: 7 }),
      'qbank: checked 2 files, 7 findings. See the Problems panel.',
    );
  });
});

describe('qbank.duplicates result', () => {
  test('entries are validated and sorted by descending score, ties in server order', () => {
    const parsed = parseDuplicates([
      { uri: 'file:///b.md', range, score: 0.71, question: 'B?' },
      { uri: 'file:///a.md', range, score: 0.93, question: 'A?' },
      { uri: 'file:///c.md', range, score: 0.71, question: 'C?' },
    ]);
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.value.map((d) => d.question),
      ['A?', 'B?', 'C?'],
    );
  });

  test('an empty array is a valid "no duplicates" answer', () => {
    assert.deepEqual(parseDuplicates([]), { ok: true, value: [] });
  });

  test('a malformed entry fails the whole result', () => {
    const bad = [
      { uri: 'file:///a.md', range, score: 0.9, question: 'A?' },
      { uri: 'file:///b.md', range: { start: { line: 1 } }, score: 0.8, question: 'B?' },
    ];
    const parsed = parseDuplicates(bad);
    assert.equal(parsed.ok, false);
    assert.match(parsed.error, /^qbank\.duplicates returned an unexpected result/);
    assert.equal(parseDuplicates({ uri: 'file:///a.md' }).ok, false);
    assert.equal(parseDuplicates([{ uri: 'file:///a.md', range, score: Number.NaN, question: 'A?' }]).ok, false);
  });

  test('long unexpected values are clipped in the error', () => {
    const parsed = parseDuplicates('x'.repeat(500));
    assert.ok(!parsed.ok);
    assert.ok(parsed.error.length < 250, parsed.error);
  });
});

describe('parseVersion', () => {
  test('reads `qbank X.Y.Z`', () => {
    assert.equal(parseVersion('qbank 0.1.0\n'), '0.1.0');
    assert.equal(parseVersion('qbank 1.12.3-beta.1'), '1.12.3-beta.1');
  });

  test('rejects other output', () => {
    assert.equal(parseVersion(''), undefined);
    assert.equal(parseVersion('error: unrecognized subcommand'), undefined);
    assert.equal(parseVersion('qbank-lsp 0.1.0'), undefined);
  });
});

test('server commands that the extension also contributes are not re-registered', () => {
  const own = new Set(['qbank.checkWorkspace', 'qbank.restartServer']);
  assert.deepEqual(withoutOwnCommands(['qbank.checkWorkspace', 'qbank.duplicates'], own), ['qbank.duplicates']);
});
