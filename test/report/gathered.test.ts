/**
 * The postmortem's sections about gathered evidence — Collection, Logs, Metrics, Benchmarks,
 * Pictures — rendered from the sample incident plus issue 3's collectors (sample-gathered.ts),
 * read back with a CommonMark parser.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../src/core/model.ts';
import { formatBytes, formatTimestamp } from '../../src/report/format.ts';
import { renderPostmortem } from '../../src/report/render.ts';
import { blocksUnder, cellText, codeBlocks, gfmTables, headings, images, inlineText, parseMarkdown } from './markdown-structure.ts';
import { gatheredIncident, panicTraceback, SHOWN_TARGETS, TARGET_SECRETS, WINDOW } from './sample-gathered.ts';
import { createMemoryReportStore, INCIDENT_ID, type GoVersion, type IncidentRecords } from './sample-incident.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-report-gathered-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function records(options: { goVersion?: GoVersion; extra?: string; name?: string } = {}): IncidentRecords {
  const artifactDir = join(dir, options.name ?? 'store');
  mkdirSync(artifactDir, { recursive: true });
  return gatheredIncident({ artifactDir, goVersion: options.goVersion, extra: options.extra });
}

async function render(r: IncidentRecords, name = 'pm.md'): Promise<string> {
  return readFileSync(await renderPostmortem(createMemoryReportStore(r), INCIDENT_ID, { outPath: join(dir, 'out', name) }), 'utf8');
}

/** The table whose header row is `header`, as rendered cell text. */
function table(markdown: string, header: string[]): string[][] {
  const found = gfmTables(markdown).find((t) => t[0]!.join('|') === header.join('|'));
  expect(found, `a table headed ${header.join(' | ')}`).toBeDefined();
  return found!.slice(2).map((row) => row.map(cellText));
}

const COLLECTION_HEADER = ['Target', 'Action', 'Result', 'Collected', 'Why'];

describe('the Collection section', () => {
  it('says per target and action what was collected, what failed and why, and the alert window', async () => {
    const r = records();
    const markdown = await render(r);
    const rows = table(markdown, COLLECTION_HEADER);
    const row = (target: string, action: string) => rows.find((x) => x[0] === target && x[1] === action);
    const heap = r.artifacts.find((a) => a.actionId === 'heap')!;

    expect(row(SHOWN_TARGETS[0]!, 'heap')).toEqual([SHOWN_TARGETS[0], 'heap', 'ok', `1 artifact(s), ${formatBytes(heap.size)}`, '']);
    expect(row(SHOWN_TARGETS[1]!, 'heap')).toEqual([SHOWN_TARGETS[1], 'heap', 'failed', 'nothing', 'skipped: connection refused earlier']);
    expect(row(SHOWN_TARGETS[1]!, 'goroutines')).toEqual([SHOWN_TARGETS[1], 'goroutines', 'failed', 'nothing', 'connection refused']);
    expect(row(SHOWN_TARGETS[0]!, 'cpu-profile')?.[4]).toMatch(/timed out \(SIGKILL\)$/);
    // A profile the service does not serve names its action and says so: not a failure.
    expect(row(SHOWN_TARGETS[0]!, 'leaked')?.slice(2, 4)).toEqual(['not served', 'nothing']);
    expect(row(SHOWN_TARGETS[0]!, 'leaked')?.[4]).toMatch(/^goroutineleak debug=2 is not served by this service/);
    // Actions that do not collect per target get one row; a skipped one says what it needed.
    expect(row('—', 'prom')?.[3]).toMatch(/^4 artifact\(s\)/);
    expect(row('—', 'traces')?.slice(2, 3)).toEqual(['skipped']);
    expect(row('—', 'traces')?.[4]).toMatch(/^it needs traceWindow/);
    // Every row names its action; rows are grouped per target, in the order the targets were given.
    expect(rows.filter((x) => x[1] === '—' || x[1] === '')).toEqual([]);
    expect(rows).toHaveLength(r.collections.length);
    expect(rows.map((x) => x[0]).filter((t, i, all) => all.indexOf(t) === i)).toEqual([...SHOWN_TARGETS, '—']);

    const doc = parseMarkdown(markdown);
    const text = blocksUnder(doc, 'Collection').map(inlineText).join('\n');
    expect(text).toContain(`Alert window: ${formatTimestamp(WINDOW.start)} to ${formatTimestamp(WINDOW.end)} (40 min).`);
    expect(text).toContain(`${rows.filter((x) => x[2] === 'failed').length} of ${rows.length} collections failed or partly failed`);
  });

  it('never shows the credentials of a target URL, in the report or in a picture name', async () => {
    const markdown = await render(records());
    for (const secret of TARGET_SECRETS) expect(markdown).not.toContain(secret);
    expect(markdown).toContain(SHOWN_TARGETS[0]!.replace(/\*/g, '\\*'));
  });

  it('says nothing was gathered when the gather step never ran', async () => {
    const r = records();
    r.stepRuns = r.stepRuns.filter((s) => s.step === 'alert');
    r.timeline = r.timeline.filter((e) => e.step === 'alert');
    r.artifacts = r.artifacts.filter((a) => a.stepRunId === null);
    r.toolRuns = [];
    r.collections = [];
    r.findings = [];
    r.fixes = [];
    const doc = parseMarkdown(await render(r));
    expect(blocksUnder(doc, 'Collection').map(inlineText).join('\n')).toContain('Nothing was gathered: the gather step did not run.');
  });
});

describe('the Logs section', () => {
  it('tables the error groups with their counts and first/last seen times', async () => {
    const r = records();
    const rows = table(await render(r), ['#', 'Template', 'Count', 'First seen', 'Last seen']);
    const groups = r.findings.filter((f) => f.kind === 'log-errors');
    expect(rows.map((row) => row.slice(1))).toEqual(
      [...groups]
        // The Findings order: most severe first.
        .sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity))
        .map((g) => [
          /^template: (.*)$/m.exec(g.detail!)![1],
          String(g.metrics.count),
          formatTimestamp(new Date(g.metrics.firstSeenMs!).toISOString()),
          formatTimestamp(new Date(g.metrics.lastSeenMs!).toISOString()),
        ]),
    );
  });

  it.each<GoVersion>(['1.26.8', '1.23.5'])(
    'prints a panic traceback from Go %s exactly, once, under its own heading',
    async (goVersion) => {
      const r = records({ goVersion });
      const doc = parseMarkdown(await render(r));
      const panic = r.findings.find((f) => f.kind === 'panic')!;
      const under = blocksUnder(doc, panic.title);
      expect(under.map((n) => n.literal).filter(Boolean)).toEqual([panicTraceback(goVersion)]);
      // Tab-indented frames survive; the Findings section points here instead of repeating it.
      expect(codeBlocks(doc).filter((b) => b.literal === panicTraceback(goVersion))).toHaveLength(1);
      expect(panicTraceback(goVersion)).toContain('\n\t/');
      const entry = blocksUnder(doc, `Finding 1: ${panic.title}`).map(inlineText).join('\n');
      expect(entry).toContain('Details under Logs');
    },
  );
});

describe('the Metrics section', () => {
  it('embeds each chart with the metric changes it shows under it, and lists the others after', async () => {
    const r = records();
    const doc = parseMarkdown(await render(r));
    const changes = r.findings.filter((f) => f.kind === 'metric-change');
    const underGoroutines = blocksUnder(doc, 'Chart: goroutines (gather #1)');
    expect(underGoroutines.flatMap((n) => images(n))).toEqual([{ alt: 'chart: goroutines', destination: `${INCIDENT_ID}/goroutines.svg` }]);
    expect(underGoroutines.map(inlineText).join('\n')).toContain(changes[0]!.title);
    expect(blocksUnder(doc, 'Chart: heap (gather #1)').map(inlineText).join('\n')).toContain('No sharp change was found in this metric.');
    expect(blocksUnder(doc, 'Other metric changes').map(inlineText).join('\n')).toContain(changes[1]!.title);
  });
});

describe('the Benchmarks section', () => {
  it('tables every benchmark finding with ns/op, B/op and allocs/op', async () => {
    const r = records();
    const rows = table(await render(r), ['#', 'Benchmark', 'ns/op', 'B/op', 'allocs/op']);
    const benches = r.findings.filter((f) => f.kind === 'benchmark');
    expect(rows.map((row) => row.slice(1))).toEqual(
      // The name as `go test` printed it (sub-benchmark and GOMAXPROCS suffix kept), not the function.
      benches.map((b) => [
        b.title.slice(0, b.title.indexOf(':')),
        String(b.metrics.nsPerOp),
        String(b.metrics.bytesPerOp),
        String(b.metrics.allocsPerOp),
      ]),
    );
  });
});

describe('sections without evidence', () => {
  it('are left out, so an incident without logs, metrics or benchmarks reads as before', async () => {
    const r = records();
    r.artifacts = r.artifacts.filter((a) => a.stepRunId !== 2 && a.stepRunId !== 3);
    r.findings = r.findings.filter((f) => !['log-errors', 'panic', 'metric-change', 'benchmark'].includes(f.kind));
    const h2 = headings(parseMarkdown(await render(r)))
      .filter((h) => h.level === 2)
      .map((h) => h.text);
    expect(h2.filter((h) => ['Logs', 'Metrics', 'Benchmarks', 'Pictures'].includes(h))).toEqual([]);
    expect(h2).toContain('Collection');
  });
});
