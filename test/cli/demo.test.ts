/**
 * The README's first command, as a newcomer runs it: the whole triage against the
 * bundled demo service, from alert to postmortem, with real Go tools.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { hasTool } from '../helpers/tools.js';
import { cellText, gfmTables } from '../report/markdown-structure.js';

describe('gotriage demo', () => {
  it('walks all six steps and writes a postmortem naming the leaking, racy and hot functions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gotriage-demo-test-'));
    const db = join(dir, 'gotriage.db');
    const result = await cli(['demo', '--out', join(dir, 'postmortems')], { db, cwd: dir });
    expect(result.exitCode, result.all).toBe(0);
    const reportPath = result.stdout.trim();
    expect(reportPath).toMatch(/postmortems\/inc-[0-9a-f]+\.md$/);
    const report = readFileSync(reportPath, 'utf8');

    // The three bugs, each named by its Go function, from parsed tool output.
    expect(report).toMatch(/goroutines parked in main\.renderExport \(chan send\) grew \d+ → \d+/);
    expect(report).toMatch(/data race: .*\(\\?\*stats\)\.recordHit \(stats\.go:\d+\)/);
    expect(report).toMatch(/CPU hotspot: main\.slowChecksum uses [\d.]+% of CPU samples/);

    // Each was confirmed, then gone after the fix, which was re-checked on fresh evidence.
    const incidentId = /inc-[0-9a-f]+/.exec(reportPath)![0];
    const show = JSON.parse((await cli(['show', incidentId, '--json'], { db })).stdout);
    expect(show.incident.status).toBe('done');
    expect(show.steps.map((s: { step: string }) => s.step)).toEqual(['alert', 'gather', 'analyze', 'hypothesize', 'fix', 'postmortem']);
    const keys = show.hypotheses.map((h: { key: string }) => h.key).sort();
    expect(keys).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^goroutine-leak:main\.renderExport$/),
        expect.stringMatching(/^cpu-hotspot:main\.slowChecksum$/),
        expect.stringMatching(/^data-race:.*recordHit$/),
      ]),
    );
    for (const h of show.hypotheses.filter((h: { key: string }) => /renderExport|slowChecksum|recordHit/.test(h.key))) {
      expect(h.checks.map((c: { verdict: string }) => c.verdict)).toEqual(['confirmed', 'refuted']);
    }
    expect(show.fixes).toHaveLength(1);
    expect(show.fixes[0].verified).toBe(true);
    expect(show.fixes[0].commit).toMatch(/^[0-9a-f]{40}$/);
    // The fix's diff is in the postmortem.
    expect(report).toContain('sync.Mutex');

    // Pictures beside the report: our flame graph of the CPU profile, pprof's call graph
    // (graphviz), and the package graph — each embedded in the Markdown.
    const pictures = readdirSync(join(dirname(reportPath), incidentId));
    expect(pictures).toContainEqual(expect.stringMatching(/^flame-graph-.*\.svg$/));
    if (hasTool('dot', ['-V'])) {
      expect(pictures).toContainEqual(expect.stringMatching(/^call-graph-.*\.svg$/));
      expect(pictures).toContain('dependency-graph.svg');
    }
    for (const picture of pictures) expect(report).toContain(`](${incidentId}/${picture})`);
    expect(
      readFileSync(
        join(
          dirname(reportPath),
          incidentId,
          pictures.find((p) => p.startsWith('flame-graph'))!,
        ),
        'utf8',
      ),
    ).toContain('main.slowChecksum');

    // The Collection table: a row per collection record of the gather, each naming its action —
    // the goroutineleak profile included, which this Go may not serve (`not served`, not `skipped`
    // under an unnamed action as it once read).
    const table = gfmTables(report).find((t) => t[0]!.map(cellText).join('|') === 'Target|Action|Result|Collected|Why')!;
    const rows = table.slice(2).map((row) => row.map(cellText));
    const gather = show.steps.find((s: { step: string }) => s.step === 'gather').id;
    const records = show.collections.filter((c: { stepRunId: number }) => c.stepRunId === gather);
    expect(rows.map((r) => r[1]).sort()).toEqual(records.map((c: { actionId: string }) => c.actionId).sort());
    const leaked = records.find((c: { actionId: string }) => c.actionId === 'leaked');
    expect(leaked.target).toBe(show.incident.params.target);
    expect(rows.find((r) => r[1] === 'leaked')).toEqual([
      leaked.target,
      'leaked',
      leaked.status === 'not-served' ? 'not served' : 'ok',
      expect.any(String),
      expect.any(String),
    ]);
    for (const action of ['goroutines', 'cpu', 'heap', 'race-tests']) {
      expect(rows.find((r) => r[1] === action)?.[2], action).toBe('ok');
    }

    // Timestamps are from this run, not canned.
    const today = new Date().toISOString().slice(0, 10);
    expect(report).toContain(today);
    expect(show.incident.createdAt.slice(0, 10)).toBe(today);
  });
});
