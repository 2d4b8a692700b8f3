import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goroutineFindings } from '../../src/analyze/goroutine-findings.ts';
import { parseGoroutineDump, type GoroutineDump } from '../../src/analyze/goroutines.ts';
import { parseHeaderStatus, parseStatus } from '../../src/analyze/goroutines-status.ts';
import { captured, sourceLine } from './support.ts';

// Every toolchain test/fixtures/captured/capture.sh was run with for goroutine output.
const VERSIONS = ['go1.22.12', 'go1.23.5', 'go1.24.6', 'go1.25.1', 'go1.26.8', 'go1.27.3'] as const;
// Toolchains with the goroutineleak profile: a GOEXPERIMENT in 1.26, default in 1.27.
const LEAK_PROFILE_VERSIONS = ['go1.26.8', 'go1.27.3'] as const;
const minor = (version: string) => Number(/^go1\.(\d+)/.exec(version)![1]);
// capture.sh requests /lookup?n=7 from abandoned: 7 lookups time out and leak.
const LOOKUPS = Number(/lookup\?n=(\d+)/.exec(readFileSync(new URL('../fixtures/captured/capture.sh', import.meta.url), 'utf8'))![1]);
const abandonedLine = (needle: string) => sourceLine('abandoned', 'main.go', needle);
const leakyLine = (needle: string) => sourceLine('leaky', 'main.go', needle);

function groupAt(dump: GoroutineDump, func: string) {
  const group = dump.groups.find((g) => g.topUserFrame?.func === func);
  if (!group) throw new Error(`no group with top user frame ${func}`);
  return group;
}

describe.each(VERSIONS)('goroutine output of %s', (version) => {
  it('groups the leaky service: sizes, states, wait minutes, creation site and its goroutine', async () => {
    const dump = await parseGoroutineDump(captured('goroutines-debug2-late', version));
    const exports = groupAt(dump, 'main.renderExport');
    expect(exports).toMatchObject({ count: 310, state: 'chan send', leaked: false });
    expect(exports.topUserFrame!.line).toBe(leakyLine('out <- buf'));
    expect(exports.maxWaitMinutes).toBeGreaterThanOrEqual(1);
    expect(exports.createdBy).toMatchObject({ func: 'main.leak', line: leakyLine('go renderExport(i, out)') });
    // `created by main.leak in goroutine N`: the HTTP handler's goroutine, not main's.
    expect(exports.parentId).toBeGreaterThan(1);
    expect(groupAt(dump, 'main.waiter')).toMatchObject({ count: 3, state: 'chan receive' });
    const labelled = groupAt(dump, 'main.serveLabelled.func1');
    expect(labelled.state).toBe('select (no cases)');
    // Labels are printed by default only for `go 1.27` modules (capture.sh builds each
    // program with its toolchain's language version); 1.27 prints them after the bracket.
    expect(labelled.labels).toEqual(minor(version) >= 27 ? ['{handler: export}'] : []);
  });

  it('reads the SIGQUIT dump and says a signal caused it', async () => {
    const dump = await parseGoroutineDump(captured('goroutines-sigquit', version));
    expect(dump.cause).toMatchObject({ kind: 'signal', message: 'SIGQUIT: quit' });
    expect(groupAt(dump, 'main.renderExport').count).toBe(310);
  });

  it('reads the nil-dereference panic: cause, signal and the panicking goroutine', async () => {
    const dump = await parseGoroutineDump(captured('panic-traceback', version));
    expect(dump.cause).toMatchObject({
      kind: 'panic',
      message: 'runtime error: invalid memory address or nil pointer dereference',
      recovered: false,
    });
    expect(dump.cause!.signal).toMatch(/^SIGSEGV: segmentation violation/);
    expect(groupAt(dump, 'main.deref')).toMatchObject({ state: 'running', count: 1 });
  });

  it('recognises a recovered and re-raised panic in either spelling', async () => {
    const path = captured('repanic-traceback', version);
    const dump = await parseGoroutineDump(path);
    // ≥ 1.25: `panic: v [recovered, repanicked]`; ≤ 1.24: `panic: v [recovered]` then `\tpanic: v`.
    expect(readFileSync(path, 'utf8')).toContain(minor(version) >= 25 ? '[recovered, repanicked]' : '[recovered]\n\tpanic: ');
    expect(dump.cause).toMatchObject({ kind: 'panic', message: 'empty order 42', recovered: true, repanicked: true });
    expect(dump.groups[0]!.frames.some((f) => f.func === 'main.validate')).toBe(true);
  });

  it('reads locked-to-thread, labelled and abandoned goroutines with their wait minutes', async () => {
    const dump = await parseGoroutineDump(captured('abandoned-debug2', version));
    const lookups = groupAt(dump, 'main.lookupUser');
    expect(lookups).toMatchObject({ count: LOOKUPS, state: 'chan send', leaked: false, minWaitMinutes: 1, maxWaitMinutes: 1 });
    expect(lookups.topUserFrame!.line).toBe(abandonedLine('ch <- "user-"'));
    expect(lookups.createdBy).toMatchObject({ func: 'main.lookupWithTimeout', line: abandonedLine('go lookupUser(id, ch)') });
    expect(groupAt(dump, 'main.pinnedPoller')).toMatchObject({ count: 1, state: 'chan receive', lockedToThread: true });
    // One goroutine per tenant, started from two lines of main: two groups, each with its labels
    // (GODEBUG=tracebacklabels=1 prints them from 1.26; 1.27 modules print them by default).
    const tenants = dump.groups.filter((g) => g.topUserFrame?.func === 'main.serveTenant.func1');
    expect(tenants.map((g) => [g.count, g.state, g.createdBy?.line])).toEqual([
      [1, 'chan receive', abandonedLine('go serveTenant("a"')],
      [1, 'chan receive', abandonedLine('go serveTenant("b"')],
    ]);
    const expected =
      minor(version) >= 27 ? ['{tenant: a}', '{tenant: b}'] : minor(version) === 26 ? ['{"tenant": "a"}', '{"tenant": "b"}'] : [];
    expect(tenants.flatMap((g) => g.labels)).toEqual(expected);
    // A plain goroutine dump proves nothing leaked: no high-severity leak finding.
    expect(goroutineFindings([{ artifactId: 1, dump }]).filter((f) => f.metrics.leaked)).toEqual([]);
  });
});

describe.each(LEAK_PROFILE_VERSIONS)('goroutineleak profile of %s', (version) => {
  it('debug=1: every group is leaked, with the total from its header', async () => {
    const dump = await parseGoroutineDump(captured('goroutineleak-debug1', version));
    expect(dump).toMatchObject({ format: 'debug1', profile: 'goroutineleak', total: LOOKUPS, leakedTotal: LOOKUPS });
    expect(groupAt(dump, 'main.lookupUser')).toMatchObject({ count: LOOKUPS, leaked: true });
  });

  it('debug=2: only the `(leaked)` goroutines are leaked, the rest of the dump is not', async () => {
    const dump = await parseGoroutineDump(captured('goroutineleak-debug2', version));
    expect(dump.leakedTotal).toBe(LOOKUPS);
    expect(groupAt(dump, 'main.lookupUser')).toMatchObject({ count: LOOKUPS, state: 'chan send', leaked: true });
    expect(groupAt(dump, 'main.pinnedPoller')).toMatchObject({ leaked: false, lockedToThread: true });
  });

  it.each(['goroutineleak-debug1', 'goroutineleak-debug2'])(
    '%s: ONE sample gives a high-severity finding naming the leaking function',
    async (name) => {
      const dump = await parseGoroutineDump(captured(name, version));
      const leaks = goroutineFindings([{ artifactId: 4, dump }]).filter((f) => f.metrics.leaked);
      expect(leaks).toHaveLength(1);
      expect(leaks[0]).toMatchObject({
        kind: 'goroutine-group',
        severity: 'high',
        location: { func: 'main.lookupUser', line: abandonedLine('ch <- "user-"') },
        metrics: { count: LOOKUPS, leaked: LOOKUPS },
        artifactIds: [4],
      });
      expect(leaks[0]!.title).toMatch(new RegExp(`^${LOOKUPS} leaked goroutines (parked )?in main\\.lookupUser`));
    },
  );
});

describe('goroutine header brackets', () => {
  it('splits state, minutes, leak and thread flags and labels in every spelling', () => {
    expect(parseStatus('chan send (leaked)')).toMatchObject({
      state: 'chan send',
      leaked: true,
      minutes: 0,
      stateKey: 'chan send (leaked)',
    });
    expect(parseStatus('chan receive, 12 minutes, locked to thread')).toMatchObject({
      state: 'chan receive',
      minutes: 12,
      lockedToThread: true,
    });
    expect(parseStatus('select, 3 minutes labels:{"a": "1", "b": "2"}')).toMatchObject({
      state: 'select',
      minutes: 3,
      labels: '{"a": "1", "b": "2"}',
      stateKey: 'select',
    });
    expect(parseHeaderStatus('select (no cases), 1 minutes] {handler: export}')).toMatchObject({
      state: 'select (no cases)',
      minutes: 1,
      labels: '{handler: export}',
    });
    expect(parseHeaderStatus('running]')).toMatchObject({ state: 'running', labels: undefined });
  });
});
