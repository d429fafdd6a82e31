//! package.json agrees with the code: commands registered ⇔ contributed, every setting read,
//! enums and defaults shared with the settings module, snippets and schema wiring intact.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import * as ts from 'typescript';

import { CONFIG_FILE_GLOB } from '../src/activation';
import { CLIENT_READ_KEYS, DEDUP_MODES, ENABLE_MODES, readSettings, RESTART_KEYS, SEVERITIES } from '../src/settings';

// Compiled to out/test/, so the extension folder is two levels up.
const ROOT = path.resolve(__dirname, '..', '..');

interface ConfigProperty {
  type: string;
  default: unknown;
  enum?: string[];
  additionalProperties?: { enum?: string[] };
}

interface Manifest {
  main: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string }[]>;
    configuration: { properties: Record<string, ConfigProperty> };
    snippets: { language: string; path: string }[];
    tomlValidation: { fileMatch: string; url: string }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const properties = manifest.contributes.configuration.properties;

function property(name: string): ConfigProperty {
  const found = properties[name];
  assert.ok(found, `package.json does not contribute ${name}`);
  return found;
}

function parseSource(relative: string): ts.SourceFile {
  const file = path.join(ROOT, relative);
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function visit(node: ts.Node, onNode: (node: ts.Node) => void): void {
  onNode(node);
  node.forEachChild((child) => {
    visit(child, onNode);
  });
}

/** First arguments of every `*.registerCommand(...)` call in a source file. */
function registeredCommands(source: ts.SourceFile): string[] {
  const ids: string[] = [];
  visit(source, (node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'registerCommand'
    ) {
      const first = node.arguments[0];
      assert.ok(
        first !== undefined && ts.isStringLiteral(first),
        `registerCommand must take a string literal so this test can see it: ${node.getText(source).slice(0, 80)}`,
      );
      ids.push(first.text);
    }
  });
  return ids;
}

describe('commands', () => {
  const contributed = manifest.contributes.commands.map((entry) => entry.command);
  const registered = registeredCommands(parseSource('src/extension.ts'));

  test('every contributed command is registered in extension.ts, and vice versa', () => {
    assert.deepEqual([...registered].sort(), [...contributed].sort());
  });

  test('no command is contributed or registered twice', () => {
    assert.equal(new Set(contributed).size, contributed.length);
    assert.equal(new Set(registered).size, registered.length);
  });

  test('titles are in the "qbank" category, so the palette shows "qbank: ..."', () => {
    for (const entry of manifest.contributes.commands) {
      assert.equal(entry.category, 'qbank', entry.command);
      assert.ok(!entry.title.startsWith('qbank'), `${entry.command}: the category already adds "qbank: "`);
    }
  });

  test('menus only reference contributed commands', () => {
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const entry of entries) {
        assert.ok(contributed.includes(entry.command), `${menu} references unknown ${entry.command}`);
      }
    }
  });
});

describe('configuration', () => {
  const contributedKeys = Object.keys(properties).map((name) => name.replace(/^qbank\./, ''));

  test('every contributed setting is in the qbank section', () => {
    for (const name of Object.keys(properties)) {
      assert.match(name, /^qbank\./);
    }
  });

  test('every contributed setting is read, and every read setting is contributed', () => {
    const read = new Set<string>(CLIENT_READ_KEYS);
    readSettings((key) => {
      read.add(key);
      return undefined;
    });
    assert.deepEqual([...read].sort(), [...contributedKeys].sort());
  });

  test('settings read by the language client rely on its id being "qbank"', () => {
    const ids: string[] = [];
    visit(parseSource('src/extension.ts'), (node) => {
      if (ts.isNewExpression(node) && node.expression.getText() === 'LanguageClient') {
        const first = node.arguments?.[0];
        ids.push(first !== undefined && ts.isStringLiteral(first) ? first.text : '<not a literal>');
      }
    });
    assert.deepEqual(ids, ['qbank']);
  });

  test('contributed defaults are valid and equal what an unset setting reads as', () => {
    const defaults = new Map(Object.entries(properties).map(([name, prop]) => [name.replace(/^qbank\./, ''), prop.default]));
    const fromDefaults = readSettings((key) => defaults.get(key));
    assert.deepEqual(fromDefaults.problems, []);
    assert.deepEqual(fromDefaults.settings, readSettings(() => undefined).settings);
  });

  test('enums in package.json match the values the code accepts', () => {
    assert.deepEqual(property('qbank.enable').enum, [...ENABLE_MODES]);
    assert.deepEqual(property('qbank.dedup.mode').enum, [...DEDUP_MODES]);
    assert.deepEqual(property('qbank.rules').additionalProperties?.enum, [...SEVERITIES]);
    assert.deepEqual(property('qbank.trace.server').enum, ['off', 'messages', 'verbose']);
  });

  test('restart-triggering and workspace-trust-restricted settings exist', () => {
    for (const key of RESTART_KEYS) {
      property(`qbank.${key}`);
    }
    for (const name of manifest.capabilities.untrustedWorkspaces.restrictedConfigurations) {
      property(name);
    }
  });
});

describe('activation and packaging', () => {
  test('activates on a qbank.toml in the workspace and on Markdown files', () => {
    assert.deepEqual([...manifest.activationEvents].sort(), [`workspaceContains:${CONFIG_FILE_GLOB}`, 'onLanguage:markdown'].sort());
  });

  test('main is the esbuild bundle, and .vscodeignore ships it', () => {
    assert.equal(manifest.main, './dist/extension.js');
    const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!dist/extension.js'));
    assert.ok(ignore.includes('!schemas/*.json'));
    assert.ok(ignore.includes('!snippets/*.json'));
  });

  test('qbank.toml is validated against the copied schema', () => {
    assert.deepEqual(manifest.contributes.tomlValidation, [
      { fileMatch: 'qbank.toml', url: './schemas/qbank-config.schema.json' },
    ]);
  });
});

describe('snippets', () => {
  const entry = manifest.contributes.snippets[0];
  assert.ok(entry);
  const snippets = JSON.parse(fs.readFileSync(path.join(ROOT, entry.path), 'utf8')) as Record<
    string,
    { prefix: string[]; body: string[]; description: string }
  >;

  /** The text a snippet inserts when every placeholder keeps its default (first choice). */
  function expand(body: string[]): string {
    return body
      .join('\n')
      .replace(/\$\{\d+:([^}]*)\}/g, '$1')
      .replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1')
      .replace(/\$\d+/g, '');
  }

  function snippet(name: string): { body: string[] } {
    const found = snippets[name];
    assert.ok(found, `missing snippet ${name}`);
    return found;
  }

  test('are contributed for Markdown', () => {
    assert.equal(entry.language, 'markdown');
  });

  test('the question snippet inserts the canonical question layout', () => {
    assert.equal(
      expand(snippet('qbank question').body),
      ['### N. Question?', '<!-- id: id -->', '', '**Answer:**', '', '- Answer.', '', '**TL;DR:** One-sentence answer.', ''].join('\n'),
    );
  });

  test('the metadata variant fills id, difficulty and tags in one comment', () => {
    assert.match(expand(snippet('qbank question with metadata').body), /^<!-- id: id; difficulty: easy; tags: tag -->$/m);
  });

  test('the example snippet opens and closes a fenced block with a language choice', () => {
    const body = snippet('qbank example').body;
    assert.equal(expand(body), ['**Example (Title):**', '', '```bash', 'code', '```', ''].join('\n'));
    assert.match(body.join('\n'), /```\$\{2\|[^|]*yaml[^|]*\|\}/);
  });

  test('the TL;DR snippet is one bold-labelled line', () => {
    assert.equal(expand(snippet('qbank TL;DR').body), '**TL;DR:** One-sentence answer.');
  });

  test('every snippet has a prefix and a description', () => {
    for (const [name, value] of Object.entries(snippets)) {
      assert.ok(value.prefix.length > 0, name);
      assert.ok(value.description.length > 0, name);
    }
  });
});
