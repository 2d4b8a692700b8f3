/** Placeholder until the logs action lands (issue 3): the schema accepts it, running it says so. */
import { UsageError } from '../../errors.js';
import type { LogsAction } from '../../playbook/schema.js';
import type { StepEnv } from '../types.js';
import type { ActionOutcome } from './pprof-action.js';

export async function runLogsAction(_env: StepEnv, _stepRunId: number, action: LogsAction, _round: string): Promise<ActionOutcome> {
  throw new UsageError(`action ${action.id}: 'logs' actions are not supported by this build yet`);
}
