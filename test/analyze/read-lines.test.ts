import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forEachLine, readLines } from '../../src/analyze/read-lines.ts';
import { tempDir } from './support.ts';

async function collect(content: string | Buffer, options?: Parameters<typeof readLines>[1]): Promise<string[]> {
  const path = join(tempDir('lines'), 'f.txt');
  writeFileSync(path, content);
  const lines: string[] = [];
  for await (const line of readLines(path, options)) lines.push(line);
  return lines;
}

describe('readLines', () => {
  it('splits LF and CRLF lines and keeps a last line without newline', async () => {
    expect(await collect('a\r\nb\n\nc')).toEqual(['a', 'b', '', 'c']);
  });

  it('keeps multi-byte characters whole when a chunk boundary falls inside them', async () => {
    const text = 'grew 12 → 310\nlabels:{"user": "ünïcødé"}\n';
    expect(await collect(text, { chunkSize: 3 })).toEqual(['grew 12 → 310', 'labels:{"user": "ünïcødé"}']);
  });

  it('cuts a line longer than maxLineLength instead of buffering it', async () => {
    const lines = await collect(`${'x'.repeat(10_000)}\nnext\n`, { chunkSize: 512, maxLineLength: 100 });
    expect(lines).toEqual(['x'.repeat(100), 'next']);
  });
});

async function collectBytes(content: string, chunkSize: number): Promise<string[]> {
  const path = join(tempDir('lines'), 'f.txt');
  writeFileSync(path, content);
  const lines: string[] = [];
  await forEachLine(path, (buf, start, end) => lines.push(buf.toString('utf8', start, end)), { chunkSize });
  return lines;
}

describe('forEachLine', () => {
  it('gives the same lines whatever the chunk size, lines crossing chunk boundaries included', async () => {
    const text = 'goroutine 1 [running]:\r\nmain.main()\n\t/src/main.go:5 +0x1d\n\nlast';
    const expected = ['goroutine 1 [running]:', 'main.main()', '\t/src/main.go:5 +0x1d', '', 'last'];
    for (const chunkSize of [25, 31, 1 << 20]) expect(await collectBytes(text, chunkSize)).toEqual(expected);
  });

  it('cuts a line longer than the chunk and goes on with the next line', async () => {
    expect(await collectBytes(`${'x'.repeat(100)}\nnext\n`, 16)).toEqual(['x'.repeat(16), 'next']);
  });
});
