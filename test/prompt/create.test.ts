import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { createPrompter } from '../../src/prompt/create.ts';
import type { Question } from '../../src/prompt/prompter.ts';

const summary: Question = { key: 'fix.summary', type: 'input', message: 'What changed?' };
const title: Question = { key: 'alert.title', type: 'input', message: 'Title?' };
let answersPath: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gotriage-create-'));
  answersPath = join(dir, 'answers.yaml');
  await writeFile(answersPath, 'fix:\n  summary: from the file\nalert.title: file title\n');
});

describe('createPrompter', () => {
  it('without a terminal or answers, says how to answer instead of hanging', async () => {
    const prompter = await createPrompter({ interactive: false });
    expect(prompter.interactive).toBe(false);
    const error = await prompter.ask(summary).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      `no terminal to ask 'fix.summary' and no --answers file: run interactively or pass --answers FILE`,
    );
    expect((error as UsageError).hint).toContain('--fix-summary');
  });

  it('lets flag answers override the answers file', async () => {
    const prompter = await createPrompter({ interactive: false, answersFile: answersPath, answers: { 'fix.summary': 'from a flag' } });
    expect(await prompter.ask(summary)).toBe('from a flag');
    expect(await prompter.ask(title)).toBe('file title');
    await expect(prompter.ask({ ...summary, key: 'fix.commit' })).rejects.toThrow(`missing answer for 'fix.commit'`);
  });

  it('uses the answers file even on a terminal', async () => {
    const prompter = await createPrompter({ interactive: true, answersFile: answersPath });
    expect(prompter.interactive).toBe(false);
    expect(await prompter.ask(summary)).toBe('from the file');
  });

  it('on a terminal asks only what no flag answered', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const prompter = await createPrompter({ interactive: true, answers: { 'fix.summary': 'from a flag' }, input, output });
    expect(prompter.interactive).toBe(true);
    expect(await prompter.ask(summary)).toBe('from a flag');
    const asked = prompter.ask(title);
    setTimeout(() => input.write('typed title\r'), 30);
    expect(await asked).toBe('typed title');
  });
});
