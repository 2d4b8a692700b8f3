/**
 * Step 6 — postmortem: render the Markdown retrospective from templates/ into the
 * output directory as `<incident-id>.md`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MediaType } from '../../core/model.js';
import { renderPostmortem } from '../../report/render.js';
import type { StepFn } from '../types.js';
import { askStepPrompts } from './prompts.js';
import { keepArtifact } from '../actions/keep-artifact.js';

export const runPostmortemStep: StepFn = async (env, stepRunId) => {
  const step = env.playbook.playbook.steps.postmortem;
  await askStepPrompts(env, 'postmortem', step.prompts);
  mkdirSync(env.options.outDir, { recursive: true });
  const outPath = resolve(join(env.options.outDir, `${env.incident.id}.md`));
  await renderPostmortem(env.ctx.store, env.incident.id, { outPath, template: step.template });
  await keepArtifact(env, {
    stepRunId,
    actionId: 'postmortem',
    sourcePath: outPath,
    mediaType: MediaType.markdown,
    label: 'postmortem',
    attributes: { role: 'postmortem' },
  });
  return {
    summary: { status: 'finished' },
    evidence: {
      events: [{ at: env.ctx.clock.now().toISOString(), step: 'postmortem', kind: 'postmortem-written', path: outPath }],
    },
    reportPath: outPath,
  };
};
