import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolError } from '../../src/core/errors.ts';
import { parseGoroutineDump, type GoroutineDump } from '../../src/analyze/goroutines.ts';
import { CAPTURED_VERSIONS, captured, sourceLine, tempDir } from './support.ts';

// What the leaky fixture parks (test/fixtures/go/leaky/main.go and capture.sh):
// 12 + 298 renderExport goroutines, 3 waiters, 2 blocked on the mutex, 1 labelled select{}.
const EXPORTS_LATE = 310;
const EXPORTS_EARLY = 12;
const leakyLine = (needle: string) => sourceLine('leaky', 'main.go', needle);

function groupAt(dump: GoroutineDump, func: string) {
  const group = dump.groups.find((g) => g.topUserFrame?.func === func);
  if (!group) throw new Error(`no group with top user frame ${func}`);
  return group;
}

/** `goroutine N [` headers in the raw file: what a reader of the dump would count. */
function countHeaders(path: string): number {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => /^goroutine \d+ /.test(l)).length;
}

describe.each(CAPTURED_VERSIONS)('goroutine dumps captured from %s', (version) => {
  it('groups a debug=2 dump by state and stack, with wait minutes and creation site', async () => {
    const path = captured('goroutines-debug2-late', version);
    const dump = await parseGoroutineDump(path);
    expect(dump.format).toBe('debug2');
    expect(dump.total).toBe(countHeaders(path));
    expect(dump.groups.reduce((n, g) => n + g.count, 0)).toBe(dump.total);

    const exports = dump.groups[0]!;
    expect(exports.count).toBe(EXPORTS_LATE);
    expect(exports.state).toBe('chan send');
    expect(exports.topUserFrame).toMatchObject({ func: 'main.renderExport', line: leakyLine('out <- buf') });
    expect(exports.topUserFrame!.file).toMatch(/leaky\/main\.go$/);
    expect(exports.createdBy).toMatchObject({ func: 'main.leak', line: leakyLine('go renderExport(i, out)') });
    // The sample was taken > 1 minute after a GC stamped the wait start.
    expect(exports.maxWaitMinutes).toBeGreaterThanOrEqual(1);

    const waiters = groupAt(dump, 'main.waiter');
    expect(waiters).toMatchObject({ count: 3, state: 'chan receive' });
    expect(waiters.topUserFrame!.line).toBe(leakyLine('\t<-ch'));

    const locked = groupAt(dump, 'main.(*cache).refresh');
    expect(locked.count).toBe(2);
    expect(locked.state).toMatch(/^(sync\.Mutex\.Lock|semacquire)$/);
    // runtime/sync frames above the user frame are kept in the stack, skipped for the top user frame.
    expect(locked.frames[0]!.func).not.toBe('main.(*cache).refresh');
    expect(locked.topUserFrame!.line).toBe(leakyLine('c.mu.Lock()'));

    const labelled = groupAt(dump, 'main.serveLabelled.func1');
    expect(labelled.state).toBe('select (no cases)');
  });

  it('reads the grouped debug=1 format: no state, counts from the `N @` headers', async () => {
    const path = captured('goroutines-debug1-late', version);
    const dump = await parseGoroutineDump(path);
    const headerTotal = Number(/total (\d+)/.exec(readFileSync(path, 'utf8'))![1]);
    expect(dump.format).toBe('debug1');
    expect(dump.total).toBe(headerTotal);
    const exports = groupAt(dump, 'main.renderExport');
    expect(exports).toMatchObject({ count: EXPORTS_LATE, state: '' });
    expect(exports.topUserFrame!.line).toBe(leakyLine('out <- buf'));
    expect(groupAt(dump, 'main.(*cache).refresh').count).toBe(2);
  });

  it('reads a SIGQUIT dump with gp=/fp= annotations, runtime goroutines and registers', async () => {
    const path = captured('goroutines-sigquit', version);
    const dump = await parseGoroutineDump(path);
    expect(dump.preamble[0]).toBe('SIGQUIT: quit');
    expect(dump.total).toBe(countHeaders(path));
    const exports = groupAt(dump, 'main.renderExport');
    expect(exports.count).toBe(EXPORTS_LATE);
    // fp=/sp=/pc= suffixes must not leak into file names or break line numbers.
    for (const g of dump.groups) for (const f of g.frames) expect(f.file).not.toMatch(/fp=|\s/);
    expect(exports.topUserFrame!.line).toBe(leakyLine('out <- buf'));
    // runtime.gopark frames are printed in SIGQUIT dumps: the top user frame skips them.
    expect(exports.frames[0]!.func).toBe('runtime.gopark');
  });

  it('reads a panic traceback: preamble, the panicking goroutine, the parked workers', async () => {
    const dump = await parseGoroutineDump(captured('panic-traceback', version));
    expect(dump.preamble[0]).toBe('panic: runtime error: invalid memory address or nil pointer dereference');
    const panicking = groupAt(dump, 'main.deref');
    expect(panicking.state).toBe('running');
    expect(panicking.topUserFrame!.line).toBe(sourceLine('panicky', 'main.go', 'return c.name'));
    expect(groupAt(dump, 'main.worker')).toMatchObject({ count: 4, state: 'chan receive' });
  });

  it('gives a group the same key in two samples of the same endpoint', async () => {
    const early = await parseGoroutineDump(captured('goroutines-debug2-early', version));
    const late = await parseGoroutineDump(captured('goroutines-debug2-late', version));
    const before = groupAt(early, 'main.renderExport');
    const after = groupAt(late, 'main.renderExport');
    expect(before.count).toBe(EXPORTS_EARLY);
    // Wait minutes differ (0 early, 1 late) but must not split the group.
    expect(before.key).toBe(after.key);
  });
});

describe('goroutine dump edge cases', () => {
  it('refuses a file with no goroutine in it (an HTML login page) with a ToolError', async () => {
    const dir = tempDir('gr');
    const page = join(dir, 'login.html');
    writeFileSync(page, '<!DOCTYPE html>\n<html><body><form action="/login">Sign in</form></body></html>\n');
    await expect(parseGoroutineDump(page)).rejects.toThrow(ToolError);
    await expect(parseGoroutineDump(page)).rejects.toThrow(/no goroutine found/);
  });

  it('parses a 50 MB dump (a real capture replicated) with heap growth far below its size', async () => {
    const source = readFileSync(captured('goroutines-debug2-late', 'go1.26.8'));
    const copies = Math.ceil((50 * 1024 * 1024) / source.length);
    const big = join(tempDir('gr-big'), 'goroutines-50mb.txt');
    writeFileSync(big, Buffer.concat(Array.from({ length: copies }, () => source)));
    const single = await parseGoroutineDump(captured('goroutines-debug2-late', 'go1.26.8'));

    // JS heap plus Buffers (`external`), so neither a string nor a Buffer of the file slips by.
    const used = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.external;
    };
    const before = used();
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, used())), 2);
    const dump = await parseGoroutineDump(big);
    clearInterval(timer);
    peak = Math.max(peak, used());

    expect(dump.total).toBe(single.total * copies);
    expect(groupAt(dump, 'main.renderExport').count).toBe(EXPORTS_LATE * copies);
    expect(dump.groups.length).toBe(single.groups.length);
    // Reading the file whole would need >= 50 MB of heap; what remains here is young-generation
    // garbage from decoded chunks (~13 MB measured) that V8 collects as it goes.
    expect(peak - before).toBeLessThan(25 * 1024 * 1024);
  });
});
