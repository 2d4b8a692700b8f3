/**
 * The WebAssembly matcher of the goroutine fast path: its binary is the assembled
 * goroutines-match.wat (no drift between source and what runs), it is really available
 * here (so the template tests exercise it, not only the general path), and a template it
 * cannot hold leaves those goroutines to the general path with the same groups.
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseGoroutineDump } from '../../src/analyze/goroutines.ts';
import { MAX_WASM_CHUNK, WasmMatcher } from '../../src/analyze/goroutines-wasm.ts';
import { ROOT, tempDir } from './support.ts';

describe('goroutines-match.wat', () => {
  it('is what src/analyze/goroutines-match-wasm.ts holds (run `npm run wasm` after editing it)', async () => {
    const { generatedModule } = (await import(join(ROOT, 'scripts/wat-to-ts.mjs'))) as { generatedModule: () => Promise<string> };
    expect(await readFile(join(ROOT, 'src/analyze/goroutines-match-wasm.ts'), 'utf8')).toBe(await generatedModule());
  });

  it('compiles and runs on this machine, for every chunk size the parser reads up to 1 MiB', () => {
    expect(WasmMatcher.create(MAX_WASM_CHUNK)?.chunk.length).toBe(MAX_WASM_CHUNK);
    expect(WasmMatcher.create(512)?.chunk.length).toBe(512);
    expect(WasmMatcher.create(MAX_WASM_CHUNK + 1)).toBeUndefined();
  });
});

describe('a stack too large for the matcher', () => {
  it('groups goroutines whose template exceeds its memory on the general path, the same way', async () => {
    // 100 frames of 1,000-character names: ~100 KB of template, over the matcher's 64 KiB.
    const frames = Array.from(
      { length: 100 },
      (_, i) => `main.f${i}${'x'.repeat(1000)}(0x${i.toString(16)})\n\t/srv/main.go:${i + 1} +0x1d\n`,
    ).join('');
    const goroutine = (id: number) =>
      `goroutine ${id} [select]:\n${frames}created by main.main in goroutine 1\n\t/srv/main.go:200 +0x20\n\n`;
    const path = join(tempDir('wasm-large'), 'dump.txt');
    writeFileSync(path, [10, 11, 12].map(goroutine).join(''));
    const load = vi.spyOn(WasmMatcher.prototype, 'load');
    const fast = await parseGoroutineDump(path);
    // Each goroutine after the first tried the previous one's template, which did not fit.
    expect(load.mock.results.map((r) => r.value)).toEqual([false, false]);
    load.mockRestore();
    expect(fast).toEqual(await parseGoroutineDump(path, { fastPath: false }));
    expect(fast.groups.map((g) => [g.count, g.frames.length])).toEqual([[3, 100]]);
  });
});
