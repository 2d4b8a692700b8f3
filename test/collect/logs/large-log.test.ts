import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { collectLogSource } from '../../../src/engine/actions/log-source.ts';
import { tempDir } from './support.ts';

const TARGET_BYTES = 200 * 1024 * 1024;
const START = Date.UTC(2026, 10, 26, 12, 0, 0);

/** Writes ~200 MB of slog JSON lines, one per ms, with a traceback line every 1000th entry. */
async function writeBigLog(path: string): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  let n = 0;
  while (bytes < TARGET_BYTES) {
    const batch: string[] = [];
    for (let i = 0; i < 10_000; i++, n++) {
      batch.push(`{"time":"${new Date(START + n).toISOString()}","level":"INFO","msg":"request served","path":"/checkout","n":${n}}`);
      if (n % 1000 === 999) batch.push('\tcontinuation of entry ' + n);
    }
    const text = batch.join('\n') + '\n';
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return n;
}

it('streams a 200 MB log through the window with memory that does not grow with the file', async () => {
  const dir = tempDir('big-log');
  const input = join(dir, 'big.log');
  const entries = await writeBigLog(input);
  expect(statSync(input).size).toBeGreaterThanOrEqual(TARGET_BYTES);

  // A 2-second window in the middle of the file: entries n in [from, to].
  const from = Math.floor(entries / 2);
  const to = from + 1999;
  let peak = 0;
  const base = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss - base)), 20);
  const output = join(dir, 'kept.log');
  const stats = await collectLogSource([input], output, { format: 'auto', window: { startMs: START + from, endMs: START + to } }).finally(
    () => clearInterval(sampler),
  );

  const kept = readFileSync(output, 'utf8').split('\n').filter(Boolean);
  const continuations = kept.filter((l) => l.startsWith('\t'));
  expect(stats.format).toBe('slog-json');
  expect(kept.length - continuations.length).toBe(to - from + 1);
  // Entries 999, 1999 … carry a continuation line: the two in the window travel with them.
  expect(continuations).toEqual([
    `\tcontinuation of entry ${from + 999 - (from % 1000)}`,
    `\tcontinuation of entry ${from + 1999 - (from % 1000)}`,
  ]);
  // Had the file passed through memory, RSS would have grown by about its size.
  expect(peak).toBeLessThan(64 * 1024 * 1024);
});
