/**
 * Asks a step's playbook prompts, once per incident: answers are saved, so a resumed
 * session does not ask again. Each answer also becomes the placeholder `{{<step>.<key>}}`
 * for the actions of this and later steps (src/cli/session-env.ts adds the saved ones on resume).
 *
 * A prompt whose key names a secret (`token`, `password`, `apiKey`) is asked without echo and
 * its answer is registered as a secret and never saved: a resumed session asks for it again.
 */
import type { StepId } from '../../core/model.js';
import { isSecretName } from '../../core/secret-names.js';
import { registerSecret } from '../../core/secret-sources.js';
import type { PlaybookPrompt } from '../../playbook/schema.js';
import { fillText } from '../../playbook/interpolate.js';
import type { StepEnv } from '../types.js';

export async function askStepPrompts(env: StepEnv, step: StepId, prompts: PlaybookPrompt[]): Promise<Record<string, string | boolean>> {
  const { store, prompter } = env.ctx;
  const saved = await store.answers(env.incident.id);
  const answers: Record<string, string | boolean> = {};
  for (const prompt of prompts) {
    const key = `${step}.${prompt.key}`;
    const secret = isSecretName(prompt.key);
    if (key in saved && !secret) {
      answers[prompt.key] = saved[key]!;
      env.params[key] = String(saved[key]);
      continue;
    }
    const value = await prompter.ask(
      {
        key,
        type: secret && prompt.type === 'input' ? 'password' : prompt.type,
        // Messages may name params ({{service}}); values are filled as text, never compiled.
        message: fillText(prompt.message, env.params),
        default: typeof prompt.default === 'string' ? fillText(prompt.default, env.params) : prompt.default,
        choices: prompt.choices?.map((c) => ({ value: c })),
        optional: prompt.optional,
        flag: `--answer ${key}=…`,
        secret,
      },
      { signal: env.signal },
    );
    if (secret && typeof value === 'string') registerSecret(value);
    if (!secret) await store.saveAnswer(env.incident.id, key, value);
    await store.addEvent(env.incident.id, {
      at: env.ctx.clock.now().toISOString(),
      step,
      // A secret's value never becomes data: only that it was answered.
      ...(secret ? { kind: 'secret-answered' as const, key } : { kind: 'answer' as const, key, value }),
    });
    answers[prompt.key] = value;
    env.params[key] = String(value);
  }
  return answers;
}
