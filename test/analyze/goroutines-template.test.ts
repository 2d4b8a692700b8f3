/**
 * The debug=2 grouper's fast path (src/analyze/goroutines-template.ts) must never change a
 * result: every dump here is grouped twice, with and without it, and the groups compared
 * whole. Each case also checks the fast path actually took goroutines, so a template that
 * never matches cannot pass unnoticed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseGoroutineDump, type GoroutineDump, type ParseGoroutineOptions } from '../../src/analyze/goroutines.ts';
import { GoroutineTemplate } from '../../src/analyze/goroutines-template.ts';
import { CAPTURED, ROOT, tempDir } from './support.ts';

const LEAKER = join(ROOT, 'bench/go/goroutine-leaker');
const LEAKED = 20_000;

/** Groups `path` with and without the fast path; returns both and how many goroutines it took. */
async function bothWays(path: string, options: ParseGoroutineOptions = {}) {
  const match = vi.spyOn(GoroutineTemplate.prototype, 'match');
  const fast = await parseGoroutineDump(path, options);
  const fastJoins = match.mock.results.filter((r) => r.type === 'return' && r.value >= 0).length;
  match.mockRestore();
  const general = await parseGoroutineDump(path, { ...options, fastPath: false });
  return { fast, general, fastJoins };
}

afterEach(() => {
  vi.restoreAllMocks();
});

const panicStyleFixtures = readdirSync(CAPTURED).filter((f) =>
  /^(goroutines-debug2|goroutines-sigquit|goroutineleak-debug2|abandoned-debug2|panic-traceback|repanic-traceback)/.test(f),
);

describe('fast path on damaged dumps', () => {
  // A dump pasted from a chat or cut by a terminal can hold anything: bytes that matter to
  // the grammar (newlines, parens, tabs, digits, brackets) are written at random places of
  // a real dump, and the fast path must still agree with the general one on every result.
  it('agrees with the general path on 150 randomly damaged copies of a real dump', async () => {
    const original = readFileSync(join(CAPTURED, 'goroutines-debug2-late.go1.26.8.txt'));
    const alphabet = Buffer.from('\n\n\r\t()( )0123456789g[]:+x');
    let seed = 0x2545f491;
    const random = (n: number) => {
      // xorshift32: the same damage on every run, so a failure can be replayed.
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const dir = tempDir('damaged');
    for (let copy = 0; copy < 150; copy++) {
      const damaged = Buffer.from(original);
      for (let k = 1 + random(20); k > 0; k--) damaged[random(damaged.length)] = alphabet[random(alphabet.length)]!;
      const path = join(dir, `damaged-${copy}.txt`);
      writeFileSync(path, copy % 3 === 0 ? damaged.subarray(0, random(damaged.length)) : damaged);
      const chunkSize = [512, 4096, undefined][copy % 3];
      const { fast, general } = await bothWays(path, { chunkSize });
      expect(fast, `copy ${copy}`).toEqual(general);
    }
  });
});

describe('fast path on the captured dumps of every Go version', () => {
  it.each(panicStyleFixtures)('%s: same groups with and without it, whole and in 512-byte reads', async (file) => {
    for (const chunkSize of [undefined, 512]) {
      const { fast, general } = await bothWays(join(CAPTURED, file), { chunkSize });
      expect(fast).toEqual(general);
    }
  });

  it('took goroutines in the dumps of many alike goroutines', async () => {
    const { fastJoins, fast } = await bothWays(join(CAPTURED, 'goroutines-debug2-late.go1.26.8.txt'));
    // 298 of the late dump's renderExport goroutines follow one another.
    expect(fastJoins).toBeGreaterThan(200);
    expect(fast.total).toBeGreaterThan(fastJoins);
  });
});

// The installed Go, and the oldest one captured elsewhere (.ci/run checks it is available).
const SHARES = [0.6, 0.25, 0.1, 0.05]; // of LEAKED, by leak site (bench/go/goroutine-leaker/main.go)

/**
 * The four leak sites lead, each with its share of the leaked goroutines. A few may not be
 * parked yet when the program dumps (a worker between ready.Done and its select): they form
 * other groups, so a site may come up a handful short, never over.
 */
function expectLeakSites(dump: GoroutineDump): void {
  const counts = dump.groups.slice(0, 4).map((g) => g.count);
  counts.forEach((count, i) => {
    expect(count).toBeLessThanOrEqual(LEAKED * SHARES[i]!);
    expect(count).toBeGreaterThanOrEqual(LEAKED * SHARES[i]! * 0.99);
  });
}

describe.each(['local', 'go1.23.5'])('fast path on a real dump of a program leaking 20,000 goroutines (Go: %s)', (toolchain) => {
  let dir: string;
  let dump: string;
  let text: string;

  beforeAll(async () => {
    dir = tempDir('leaker');
    await execa('go', ['build', '-o', join(dir, 'leaker'), '.'], { cwd: LEAKER, env: { GOTOOLCHAIN: toolchain } });
    // `go version FILE` names the Go that built it.
    if (toolchain !== 'local')
      expect((await execa('go', ['version', join(dir, 'leaker')])).stdout).toMatch(new RegExp(`: ${toolchain.replaceAll('.', '\\.')}$`));
    dump = join(dir, 'dump.txt');
    await execa(join(dir, 'leaker'), ['-out', dump, '-goroutines', String(LEAKED)]);
    text = readFileSync(dump, 'utf8');
  }, 120_000);

  /** The dump rewritten by `edit` (goroutine by goroutine), as a new file. */
  function variant(name: string, edit: (goroutine: string, index: number) => string, join_ = '\n\n'): string {
    const path = join(dir, `${name}.txt`);
    writeFileSync(path, text.trimEnd().split('\n\n').map(edit).join(join_) + '\n');
    return path;
  }

  it('groups it the same both ways, the fast path taking nearly every goroutine', async () => {
    const { fast, general, fastJoins } = await bothWays(dump);
    expect(fast).toEqual(general);
    expect(fast.total).toBe(LEAKED + 1); // and main
    expect(fastJoins).toBeGreaterThan(LEAKED * 0.99);
    // In 4 KiB reads about one goroutine in ten straddles two reads and takes the general path.
    const small = await bothWays(dump, { chunkSize: 4096 });
    expect(small.fast).toEqual(fast);
    expect(small.fastJoins).toBeGreaterThan(LEAKED * 0.8);
    expectLeakSites(fast);
  });

  it('keeps wait minutes, parent ids and first ids when they vary between neighbours', async () => {
    const path = variant('varying', (g, i) =>
      g
        .replace(/^(goroutine \d+ \[[^\]]+?)\]:/, (_, head: string) => `${head}, ${Math.floor(i / 1000) % 2 === 0 ? 7 : 12} minutes]:`)
        .replace(/in goroutine \d+/, `in goroutine ${1 + (i % 5)}`)
        .replace(/^goroutine (\d+)/, (_, id: string) => `goroutine ${i % 11 === 0 ? Number(id) + 1_000_000 : id}`),
    );
    const { fast, general, fastJoins } = await bothWays(path);
    expect(fast).toEqual(general);
    expect(fastJoins).toBeGreaterThan(LEAKED / 2);
    const exports = fast.groups.find((g) => g.topUserFrame?.func === 'main.renderExport')!;
    expect([exports.minWaitMinutes, exports.maxWaitMinutes]).toEqual([7, 12]);
  });

  it('puts a goroutine whose only difference is a return offset (+0x…) in the same group', async () => {
    const path = variant('offsets', (g, i) =>
      i % 2 === 0 ? g.replace(/\+0x([0-9a-f]+)$/m, (_, hex: string) => `+0x${(parseInt(hex, 16) + 1).toString(16)}`) : g,
    );
    const { fast, general } = await bothWays(path);
    expect(fast).toEqual(general);
    expectLeakSites(fast);
  });

  it('reads CRLF line endings and a last goroutine without a blank line after it', async () => {
    const crlf = join(dir, 'crlf.txt');
    writeFileSync(crlf, text.trimEnd().replaceAll('\n', '\r\n'));
    const { fast, general } = await bothWays(crlf);
    expect(fast).toEqual(general);
    expect(fast.total).toBe(LEAKED + 1);
    const lf = await parseGoroutineDump(dump);
    expect(fast.groups.map((g) => [g.key, g.count])).toEqual(lf.groups.map((g) => [g.key, g.count]));
  });

  it('does not take an argument list holding "(" as the same function', async () => {
    // Go never prints one, but a hand-edited or damaged dump may: the name is what precedes the last "(".
    let edited = 0;
    const path = variant('parens', (g, i) => {
      if (i % 4 !== 1 || !g.includes(' [chan send]:\nmain.renderExport(')) return g;
      edited += 1;
      return g.replace(/^(main\.renderExport)\(/m, '$1(0x1, (');
    });
    const { fast, general } = await bothWays(path);
    expect(fast).toEqual(general);
    const parkedExports = (d: GoroutineDump) =>
      d.groups.find((g) => g.state === 'chan send' && g.frames[0]!.func === 'main.renderExport')!.count;
    expect(edited).toBeGreaterThan(LEAKED / 10);
    expect(parkedExports(fast)).toBe(parkedExports(await parseGoroutineDump(dump)) - edited);
  });
});
