//! `qbank.enable` → whether the server starts.

import * as assert from 'node:assert/strict';
import { test } from 'node:test';

import { decideServerStart, needsConfigSearch } from '../src/activation';
import { readSettings } from '../src/settings';

test('"always" starts with or without a qbank.toml', () => {
  assert.equal(decideServerStart('always', false).start, true);
  assert.equal(decideServerStart('always', true).start, true);
});

test('"never" never starts, even with a qbank.toml', () => {
  const decision = decideServerStart('never', true);
  assert.equal(decision.start, false);
  assert.match(decision.reason, /never/);
});

test('"auto" starts only when the workspace has a qbank.toml', () => {
  assert.equal(decideServerStart('auto', true).start, true);
  const without = decideServerStart('auto', false);
  assert.equal(without.start, false);
  assert.match(without.reason, /qbank\.toml/);
});

test('only "auto" needs a workspace search', () => {
  assert.equal(needsConfigSearch('auto'), true);
  assert.equal(needsConfigSearch('always'), false);
  assert.equal(needsConfigSearch('never'), false);
});

test('an unknown qbank.enable value behaves like "auto" and is reported', () => {
  const { settings, problems } = readSettings((key) => (key === 'enable' ? 'sometimes' : undefined));
  assert.equal(settings.enable, 'auto');
  assert.equal(decideServerStart(settings.enable, false).start, false);
  assert.equal(problems.length, 1);
  assert.match(problems[0] ?? '', /qbank\.enable has unknown value "sometimes"/);
});
