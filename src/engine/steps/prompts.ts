/**
 * Asks a step's playbook prompts, once per incident: answers are saved, so a resumed
 * session does not ask again.
 */
import type { StepId } from '../../core/model.js';
import type { PlaybookPrompt } from '../../playbook/schema.js';
import { fillText } from '../../playbook/interpolate.js';
import type { StepEnv } from '../types.js';

export async function askStepPrompts(env: StepEnv, step: StepId, prompts: PlaybookPrompt[]): Promise<Record<string, string | boolean>> {
  const { store, prompter } = env.ctx;
  const saved = await store.answers(env.incident.id);
  const answers: Record<string, string | boolean> = {};
  for (const prompt of prompts) {
    const key = `${step}.${prompt.key}`;
    if (key in saved) {
      answers[prompt.key] = saved[key]!;
      continue;
    }
    const value = await prompter.ask(
      {
        key,
        type: prompt.type,
        // Messages may name params ({{service}}); values are filled as text, never compiled.
        message: fillText(prompt.message, env.params),
        default: typeof prompt.default === 'string' ? fillText(prompt.default, env.params) : prompt.default,
        choices: prompt.choices?.map((c) => ({ value: c })),
        optional: prompt.optional,
        flag: `--answer ${key}=…`,
      },
      { signal: env.signal },
    );
    await store.saveAnswer(env.incident.id, key, value);
    await store.addEvent(env.incident.id, {
      at: env.ctx.clock.now().toISOString(),
      step,
      kind: 'answer',
      message: `${prompt.key}: ${String(value)}`,
    });
    answers[prompt.key] = value;
  }
  return answers;
}
