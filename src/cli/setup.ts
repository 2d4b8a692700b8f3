/** Builds the shared Context (runner, prompter, store, clock, log) for a command. */
import { createRunner } from '../exec/create-runner.js';
import { createStderrLogger } from '../core/log.js';
import { createPrompter } from '../prompt/create.js';
import type { Answer, Prompter } from '../prompt/prompter.js';
import { openStore, resolveDbPath } from '../store/open.js';
import { systemClock } from '../core/clock.js';
import type { Context } from '../engine/context.js';
import { flag, keyValues, str, strs, type Options } from './options.js';

export interface OpenedContext {
  ctx: Context;
  close: () => Promise<void>;
}

/**
 * @param presetAnswers answers a command implies (e.g. --rerun); --answer flags override them.
 * @param wrapPrompter lets a command stand between the session and the prompter (the demo plays the engineer).
 */
export async function openContext(
  opts: Options,
  presetAnswers: Record<string, Answer> = {},
  wrapPrompter: (prompter: Prompter) => Prompter = (p) => p,
): Promise<OpenedContext> {
  const log = createStderrLogger({ verbose: flag(opts, 'verbose') });
  const answers: Record<string, Answer> = { ...presetAnswers, ...keyValues(strs(opts, 'answer'), '--answer') };
  const prompter = wrapPrompter(
    await createPrompter({
      answersFile: str(opts, 'answers'),
      answers,
      interactive: process.stdin.isTTY === true && !flag(opts, 'nonInteractive'),
    }),
  );
  const store = openStore({ path: resolveDbPath(str(opts, 'db')) });
  const ctx: Context = { runner: createRunner(), prompter, store, clock: systemClock, log };
  return { ctx, close: () => store.close() };
}
