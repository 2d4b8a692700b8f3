/** Cross-field checks for the collection actions (logs, metrics, bench) beyond the schema. */
import type { LogsAction, Playbook } from './schema.js';
import type { ProblemSink } from './validate-actions.js';
import { checkSecretPlaceholders } from './validate-secrets.js';
import type { KeyPath } from './yaml-positions.js';

export function checkLogsAction(action: LogsAction, path: KeyPath, sink: ProblemSink, playbook: Playbook): void {
  if (action.command) checkSecretPlaceholders(action.command.args, [...path, 'command', 'args'], playbook, sink);
  const sources = (action.files ? 1 : 0) + (action.command ? 1 : 0);
  if (sources !== 1) sink.error(path, `a logs action takes exactly one of 'files' or 'command'${sources === 0 ? '' : ', not both'}`, 'key');
  if (action.files && action.files.length === 0) sink.error([...path, 'files'], 'files lists no pattern');
}
