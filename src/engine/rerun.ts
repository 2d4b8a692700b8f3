/**
 * Resume policy: a step whose last run was interrupted (or failed) is re-run only
 * when the user — or the answers file — agrees, because re-running repeats side
 * effects (a 30 s CPU profile, a test run, a deploy hook).
 */
import type { StepId } from '../core/model.js';
import type { StepEnv } from './types.js';

/** Returns a skip reason when the user declines to re-run an interrupted step, else null. */
export async function decideRerun(env: StepEnv, step: StepId): Promise<string | null> {
  const runs = (await env.ctx.store.stepRuns(env.incident.id)).filter((r) => r.step === step);
  const last = runs.at(-1);
  if (!last || (last.status !== 'interrupted' && last.status !== 'failed')) return null;
  const kept = (await env.ctx.store.artifacts(env.incident.id)).filter((a) => a.stepRunId === last.id).length;
  const rerun = await env.ctx.prompter.ask(
    {
      key: 'resume.rerun',
      type: 'confirm',
      message: `The ${step} step was ${last.status} (started ${last.startedAt}; ${kept} artifact(s) from it are kept). Run it again?`,
      default: true,
      flag: '--rerun / --no-rerun',
    },
    { signal: env.signal },
  );
  return rerun === true ? null : `${last.status} earlier and not re-run (declined on resume)`;
}
