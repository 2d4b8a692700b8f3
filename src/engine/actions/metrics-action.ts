/** Placeholder until the metrics action lands (issue 3): the schema accepts it, running it says so. */
import { UsageError } from '../../errors.js';
import type { MetricsAction } from '../../playbook/schema.js';
import type { StepEnv } from '../types.js';
import type { ActionOutcome } from './pprof-action.js';

export async function runMetricsAction(_env: StepEnv, _stepRunId: number, action: MetricsAction, _round: string): Promise<ActionOutcome> {
  throw new UsageError(`action ${action.id}: 'metrics' actions are not supported by this build yet`);
}
