//! Decides whether the language server should run for a workspace, from `qbank.enable` and
//! whether the workspace contains a `qbank.toml`.

import type { EnableMode } from './settings';

export type StartDecision =
  | { readonly start: true; readonly reason: string }
  | { readonly start: false; readonly reason: string };

/** Glob for the file that marks a workspace as a qbank workspace in `auto` mode. */
export const CONFIG_FILE_GLOB = '**/qbank.toml';

/** Whether the decision depends on a workspace search; `always`/`never` skip the search. */
export function needsConfigSearch(enable: EnableMode): boolean {
  return enable === 'auto';
}

export function decideServerStart(enable: EnableMode, workspaceHasConfig: boolean): StartDecision {
  switch (enable) {
    case 'always':
      return { start: true, reason: 'qbank.enable is "always"' };
    case 'never':
      return { start: false, reason: 'qbank.enable is "never"' };
    case 'auto':
      return workspaceHasConfig
        ? { start: true, reason: 'the workspace contains a qbank.toml' }
        : {
            start: false,
            reason: 'no qbank.toml in this workspace; add one or set qbank.enable to "always"',
          };
  }
}
