/** Resolves and validates a playbook for a session; warnings go to the log. */
import type { Logger } from '../core/log.js';
import type { LoadedPlaybook } from '../playbook/loader.js';
import { resolvePlaybookPath } from '../playbook/resolve.js';
import { validatePlaybookFile } from '../playbook/validate.js';

export function loadValidPlaybook(nameOrPath: string, log: Logger): LoadedPlaybook {
  // Throws PlaybookError (exit 2) before any session exists.
  const { warnings, ...loaded } = validatePlaybookFile(resolvePlaybookPath(nameOrPath));
  for (const warning of warnings) log.warn(warning);
  return loaded;
}
