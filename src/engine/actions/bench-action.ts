/** Placeholder until the bench action lands (issue 3): the schema accepts it, running it says so. */
import { UsageError } from '../../errors.js';
import type { BenchAction } from '../../playbook/schema.js';
import type { StepEnv } from '../types.js';
import type { ActionOutcome } from './pprof-action.js';

export async function runBenchAction(_env: StepEnv, _stepRunId: number, action: BenchAction, _round: string): Promise<ActionOutcome> {
  throw new UsageError(`action ${action.id}: 'bench' actions are not supported by this build yet`);
}
