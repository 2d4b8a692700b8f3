/**
 * The interactive prompter driven through in-memory terminal streams: keystrokes go in
 * through `input` the way a TTY would deliver them (inquirer runs readline with terminal: true).
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.ts';
import { createInteractivePrompter } from '../../src/prompt/interactive.ts';
import type { Question } from '../../src/prompt/prompter.ts';

function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
  return { input, output, screen: () => screen };
}

/** Types `keys` once the prompt has rendered (inquirer reads input only after its first render). */
function typeLater(input: PassThrough, ...keys: string[]) {
  let delay = 0;
  for (const key of keys) setTimeout(() => input.write(key), (delay += 30));
}

const summary: Question = { key: 'alert.summary', type: 'input', message: 'What is the alert about?' };

describe('createInteractivePrompter', () => {
  it('returns what the person typed', async () => {
    const term = terminal();
    const prompter = createInteractivePrompter({ input: term.input, output: term.output });
    expect(prompter.interactive).toBe(true);
    const answer = prompter.ask(summary);
    typeLater(term.input, 'p99 latency 4s', '\r');
    expect(await answer).toBe('p99 latency 4s');
    expect(term.screen()).toContain('What is the alert about?');
  });

  it("re-asks an empty required answer with the shared rule's message", async () => {
    const term = terminal();
    const prompter = createInteractivePrompter({ input: term.input, output: term.output });
    const answer = prompter.ask(summary);
    typeLater(term.input, '\r', 'disk full', '\r');
    expect(await answer).toBe('disk full');
    // inquirer wraps the message at the (default 80) column width.
    expect(term.screen().replace(/\n/g, '')).toContain(`'alert.summary' needs a value`);
  });

  it('answers a confirm question with a boolean', async () => {
    const term = terminal();
    const prompter = createInteractivePrompter({ input: term.input, output: term.output });
    const answer = prompter.ask({ key: 'fix.verified', type: 'confirm', message: 'Verified?', default: 'no' });
    typeLater(term.input, 'y', '\r');
    expect(await answer).toBe(true);
  });

  it('does not ask what a flag already answered, and checks that answer the same way', async () => {
    const term = terminal();
    const prompter = createInteractivePrompter({
      input: term.input,
      output: term.output,
      presets: { 'alert.summary': 'from a flag', 'alert.severity': 'urgent' },
    });
    expect(await prompter.ask(summary)).toBe('from a flag');
    expect(term.screen()).toBe('');
    const severity: Question = {
      key: 'alert.severity',
      type: 'select',
      message: 'Severity?',
      choices: [{ value: 'low' }, { value: 'high' }],
    };
    await expect(prompter.ask(severity)).rejects.toThrow(`must be one of: low, high; got "urgent"`);
  });

  it('turns Ctrl-C into InterruptedError', async () => {
    const term = terminal();
    const prompter = createInteractivePrompter({ input: term.input, output: term.output });
    const answer = prompter.ask(summary);
    typeLater(term.input, 'half an ans', '\u0003');
    await expect(answer).rejects.toBeInstanceOf(InterruptedError);
    await expect(answer).rejects.toThrow(`interrupted while asking 'alert.summary'`);
  });

  it('turns an abort into InterruptedError, before or during the prompt', async () => {
    const term = terminal();
    const prompter = createInteractivePrompter({ input: term.input, output: term.output });
    await expect(prompter.ask(summary, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(InterruptedError);
    const controller = new AbortController();
    const answer = prompter.ask(summary, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(answer).rejects.toBeInstanceOf(InterruptedError);
  });
});
