/**
 * Step 1 — take the alert: keep what was ingested (Alertmanager JSON, a text report,
 * flags) as evidence, and ask the playbook's alert prompts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepFn } from '../types.js';
import { askStepPrompts } from './prompts.js';
import { keepArtifact } from '../actions/keep-artifact.js';

export const runAlertStep: StepFn = async (env, stepRunId) => {
  const { clock } = env.ctx;
  const file = join(env.scratchDir, 'alert.json');
  writeFileSync(file, JSON.stringify(env.incident.alert, null, 2) + '\n');
  await keepArtifact(env, { stepRunId, actionId: 'alert', sourcePath: file, mediaType: 'application/json', label: 'alert as received' });
  const answers = await askStepPrompts(env, 'alert', env.playbook.playbook.steps.alert.prompts);
  const notes = Object.entries(answers).map(([k, v]) => `${k}: ${String(v)}`);
  return {
    summary: { status: 'finished' },
    evidence: {
      events: [
        {
          at: clock.now().toISOString(),
          step: 'alert',
          kind: 'note',
          message: [`${env.incident.severity} alert for ${env.incident.service}: ${env.incident.title}`, ...notes].join('; '),
        },
      ],
    },
  };
};
