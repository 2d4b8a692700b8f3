import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { loadAnswersFile } from '../../src/prompt/answers-file.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gotriage-answers-'));
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('loadAnswersFile', () => {
  it('flattens nested YAML maps and keeps flat dotted keys', async () => {
    const path = await file(
      'mixed.yaml',
      [
        'alert.summary: checkout latency p99 over 2s',
        'alert:',
        '  severity: high',
        '  labels:',
        '    service: checkout',
        'fix:',
        '  verified: true',
        '  notes: |',
        '    line one',
        '    line two',
      ].join('\n'),
    );
    expect(await loadAnswersFile(path)).toEqual({
      'alert.summary': 'checkout latency p99 over 2s',
      'alert.severity': 'high',
      'alert.labels.service': 'checkout',
      'fix.verified': true,
      'fix.notes': 'line one\nline two\n',
    });
  });

  it('keeps numbers as written: 1.20 stays "1.20"', async () => {
    const yamlPath = await file('numbers.yaml', 'service:\n  go: 1.20\n  replicas: 010\n  mask: 0x1F\n  port: 6060\n');
    expect(await loadAnswersFile(yamlPath)).toEqual({
      'service.go': '1.20',
      'service.replicas': '010',
      'service.mask': '0x1F',
      'service.port': '6060',
    });
    const jsonPath = await file('numbers.json', '{"service": {"go": 1.20, "ratio": 1e3}, "fix.verified": false}');
    expect(await loadAnswersFile(jsonPath)).toEqual({ 'service.go': '1.20', 'service.ratio': '1e3', 'fix.verified': false });
  });

  it('reads flat JSON', async () => {
    const path = await file('flat.json', '{"alert.summary": "OOM kills", "fix.summary": "cap cache size"}');
    expect(await loadAnswersFile(path)).toEqual({ 'alert.summary': 'OOM kills', 'fix.summary': 'cap cache size' });
  });

  it.each([
    ['list.yaml', 'alert:\n  labels:\n    - a\n    - b\n', /list\.yaml:3:5: answer 'alert\.labels' is a list/],
    ['empty-value.yaml', 'alert:\n  summary:\n', /empty-value\.yaml:\d+:\d+: answer 'alert\.summary' is empty/],
    ['twice.yaml', 'alert.summary: a\nalert:\n  summary: b\n', /twice\.yaml:3:3: answer 'alert\.summary' is given twice/],
    ['dup.yaml', 'fix: {summary: a}\nfix: {summary: b}\n', /dup\.yaml:2:1: answers file is not valid YAML or JSON/],
    ['broken.json', '{"alert": {"summary": "x"\n', /broken\.json:\d+:\d+: answers file is not valid YAML or JSON/],
    ['scalar.yaml', 'just text\n', /scalar\.yaml:1:1: answers file must be a map/],
    ['nul-escape.yaml', 'fix:\n  summary: "a\\0b"\n', /nul-escape\.yaml:2:12: answer 'fix\.summary' contains a NUL byte/],
    ['nul-json-escape.json', '{"alert.summary": "a\\u0000b"}', /nul-json-escape\.json:1:19: answer 'alert\.summary' contains a NUL byte/],
  ])('rejects %s with file:line:col and the key', async (name, text, message) => {
    const path = await file(name, text);
    const error = await loadAnswersFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });

  it('names a file it cannot read', async () => {
    await expect(loadAnswersFile(join(dir, 'nope.yaml'))).rejects.toThrow(/cannot read answers file .*nope\.yaml: ENOENT/);
  });

  it('gives an empty file no answers', async () => {
    expect(await loadAnswersFile(await file('empty.yaml', '# nothing yet\n'))).toEqual({});
  });
});
