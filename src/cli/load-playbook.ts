/** Resolves, validates and loads a playbook for a session; warnings go to the log. */
import type { Logger } from '../log.js';
import { loadPlaybook, type LoadedPlaybook } from '../playbook/loader.js';
import { resolvePlaybookPath } from '../playbook/resolve.js';
import { validatePlaybookFile } from '../playbook/validate.js';

export function loadValidPlaybook(nameOrPath: string, log: Logger): LoadedPlaybook {
  const path = resolvePlaybookPath(nameOrPath);
  // validate throws PlaybookError (exit 2) before any session exists.
  const { warnings } = validatePlaybookFile(path);
  for (const warning of warnings) log.warn(warning);
  return loadPlaybook(path);
}
