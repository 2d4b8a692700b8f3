import { describe, expect, it } from 'vitest';
import { InterruptedError, UsageError } from '../../src/core/errors.ts';
import { createScriptedPrompter } from '../../src/prompt/scripted.ts';
import type { Question } from '../../src/prompt/prompter.ts';

const summary: Question = { key: 'fix.summary', type: 'input', message: 'What changed?' };
const verified: Question = { key: 'fix.verified', type: 'confirm', message: 'Verified?' };
const severity: Question = {
  key: 'alert.severity',
  type: 'select',
  message: 'Severity?',
  choices: [{ value: 'low' }, { value: 'high' }, { value: 'critical' }],
};

describe('createScriptedPrompter', () => {
  it('answers each question by its key', async () => {
    const prompter = createScriptedPrompter({ 'fix.summary': 'raised pool size', 'alert.severity': 'high' });
    expect(prompter.interactive).toBe(false);
    expect(await prompter.ask(summary)).toBe('raised pool size');
    expect(await prompter.ask(severity)).toBe('high');
  });

  it('names the key and the flag when an answer is missing', async () => {
    const prompter = createScriptedPrompter({});
    await expect(prompter.ask(summary)).rejects.toThrow(
      new UsageError(`missing answer for 'fix.summary': add it to the answers file or pass --fix-summary`),
    );
    await expect(prompter.ask({ ...verified, key: 'resume.rerunInterrupted' })).rejects.toThrow('pass --resume-rerun-interrupted');
    await expect(prompter.ask({ ...summary, flag: '--summary' })).rejects.toThrow('pass --summary');
  });

  it('refuses an answer holding a NUL byte, naming the key and where it came from', async () => {
    const prompter = createScriptedPrompter({ 'fix.summary': 'a\0b' }, { source: 'flags' });
    await expect(prompter.ask(summary)).rejects.toThrow(`answer for 'fix.summary' (from flags) contains a NUL byte`);
  });

  it('falls back to the default, or to an empty answer when optional', async () => {
    const prompter = createScriptedPrompter({ 'fix.summary': '   ' });
    expect(await prompter.ask({ ...severity, default: 'low' })).toBe('low');
    expect(await prompter.ask({ ...verified, default: 'yes' })).toBe(true);
    expect(await prompter.ask({ ...summary, key: 'fix.notes', optional: true })).toBe('');
    // Nobody said yes: an unanswered optional yes/no question reads as no.
    expect(await prompter.ask({ ...verified, key: 'fix.rolledBack', optional: true })).toBe(false);
    expect(await prompter.ask({ ...summary, default: 'see diff' })).toBe('see diff');
    await expect(prompter.ask(summary)).rejects.toThrow(`'fix.summary' needs a value`);
  });

  it('reads confirm answers as booleans or yes/no/true/false words', async () => {
    for (const [given, expected] of [
      [true, true],
      ['yes', true],
      ['True', true],
      ['no', false],
      ['false', false],
      [false, false],
    ] as const) {
      expect(await createScriptedPrompter({ 'fix.verified': given }).ask(verified)).toBe(expected);
    }
    await expect(createScriptedPrompter({ 'fix.verified': 'maybe' }).ask(verified)).rejects.toThrow(
      `answer for 'fix.verified' (from answers) must be yes or no (true/false), got "maybe"`,
    );
  });

  it('lists the choices when a select answer is not one of them', async () => {
    await expect(createScriptedPrompter({ 'alert.severity': 'sev1' }).ask(severity)).rejects.toThrow(
      `must be one of: low, high, critical; got "sev1"`,
    );
  });

  it('refuses a boolean where text is wanted and never repeats a secret', async () => {
    await expect(createScriptedPrompter({ 'fix.summary': true }).ask(summary)).rejects.toThrow('must be text');
    const token: Question = { key: 'auth.mode', type: 'select', message: 'm', choices: [{ value: 'a' }], secret: true };
    const error = await createScriptedPrompter({ 'auth.mode': 'hunter2' })
      .ask(token)
      .catch((e: Error) => e);
    expect(String((error as Error).message)).not.toContain('hunter2');
  });

  it('does not take answers from Object.prototype', async () => {
    await expect(createScriptedPrompter({}).ask({ ...summary, key: 'constructor' })).rejects.toThrow(UsageError);
  });

  it('stops on an aborted signal', async () => {
    const prompter = createScriptedPrompter({ 'fix.summary': 'x' });
    await expect(prompter.ask(summary, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(InterruptedError);
  });
});
