import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { renderPostmortem } from '../../src/report/render.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { codeBlocks, headings, images, parseMarkdown } from './markdown-structure.ts';
import { capturedOutput, FIX_COMMIT } from './sample-incident.ts';
import { SVG_FIXTURE } from './sample-gathered.ts';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-report-store-'));
  store = openStore({ path: join(dir, 'gotriage.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A file handed to addArtifact, which copies it into the content-addressed store. */
function evidenceFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

it('renders an incident driven through the real SQLite store, check history and diff included', async () => {
  const out = capturedOutput('1.26.8');
  const incident = await store.createIncident(
    {
      title: 'Export endpoint leaking goroutines',
      severity: 'high',
      service: 'exporter',
      playbookName: 'go-leak',
      playbookPath: '/p.yaml',
      params: {},
      alert: { text: 'p99 > 2s' },
    },
    {},
    'alert',
  );
  const id = incident.id;

  const gather = await store.startStep(id, 'gather');
  await store.commitTransition({
    incidentId: id,
    snapshot: {},
    state: 'analyze',
    stepRun: { id: gather.id, status: 'skipped', reason: 'profiles given on the command line' },
  });

  const analyze = await store.startStep(id, 'analyze');
  const race = await store.addArtifact(id, {
    stepRunId: analyze.id,
    actionId: 'race-test',
    sourcePath: evidenceFile('race.txt', out.race),
    mediaType: 'text/x-go-race',
    label: 'go run -race stderr',
  });
  await store.addToolRun(id, {
    stepRunId: analyze.id,
    actionId: 'race-test',
    argv: ['go', 'run', '-race', '.'],
    exitCode: 1,
    signal: null,
    timedOut: false,
    durationMs: 4200,
    stdoutArtifactId: null,
    stderrArtifactId: race.id,
    startedAt: new Date().toISOString(),
  });
  const raceTitle = 'data race: read in main.(*stats).recordHit (main.go:21) vs write in main.(*stats).recordHit (main.go:21)';
  await store.commitTransition({
    incidentId: id,
    snapshot: {},
    state: 'hypothesize',
    stepRun: { id: analyze.id, status: 'finished' },
    findings: [
      {
        kind: 'data-race',
        title: raceTitle,
        severity: 'high',
        location: { func: 'main.(*stats).recordHit', file: 'main.go', line: 21 },
        metrics: { reports: 1 },
        detail: out.race,
        artifactIds: [race.id],
      },
    ],
  });

  const hypothesis = {
    key: 'race:main.(*stats).recordHit',
    statement: 'recordHit runs concurrently without a lock',
    check: { kind: 'data-race', min: 1 },
  };
  const hypothesize = await store.startStep(id, 'hypothesize');
  await store.commitTransition({
    incidentId: id,
    snapshot: {},
    state: 'fix',
    stepRun: { id: hypothesize.id, status: 'finished' },
    hypotheses: [{ ...hypothesis, verdict: 'confirmed', evidence: '1 data-race finding matched' }],
  });

  const fix = await store.startStep(id, 'fix');
  const diff = await store.addArtifact(id, {
    stepRunId: fix.id,
    actionId: 'fix-diff',
    sourcePath: evidenceFile('fix.diff', out.diff),
    mediaType: 'text/x-diff',
    label: 'git diff',
  });
  await store.commitTransition({
    incidentId: id,
    snapshot: {},
    state: 'postmortem',
    stepRun: { id: fix.id, status: 'finished' },
    hypotheses: [{ ...hypothesis, verdict: 'refuted', evidence: 'after the fix: no data-race finding matched' }],
    fix: { summary: 'Lock stats.recordHit', commit: FIX_COMMIT, diffArtifactId: diff.id, verified: true },
  });
  await store.startStep(id, 'postmortem');

  const outPath = await renderPostmortem(store, id, { outPath: join(dir, 'report', `${id}.md`) });
  const markdown = readFileSync(outPath, 'utf8');
  const doc = parseMarkdown(markdown);

  expect(headings(doc).map((h) => h.text)).toEqual(
    expect.arrayContaining([
      'gather (attempt 1): skipped',
      `Finding 1: ${raceTitle}`,
      'recordHit runs concurrently without a lock',
      'Lock stats.recordHit',
    ]),
  );
  expect(markdown).toContain('Skipped: profiles given on the command line.');
  expect(markdown).toContain('- recordHit runs concurrently without a lock: confirmed at hypothesize #1; last check refuted at fix #1');
  expect(markdown).toMatch(/\| hypothesize #1 \| confirmed \|[^\n]*\n\| fix #1 \| refuted \|/);
  expect(markdown).toContain(FIX_COMMIT);
  expect(markdown).toContain('| Time to resolve |');
  expect(codeBlocks(doc).find((b) => b.info === 'diff')?.literal).toBe(out.diff);
  expect(codeBlocks(doc).find((b) => b.info === 'text')?.literal).toBe(out.race);
  // Artifact paths are given relative to the report, which sits beside the store here.
  expect(markdown).toMatch(/stderr `\.\.\/artifacts\/[^`]+`/);
});

it('copies a chart kept in the real store beside the report, and a second render rewrites it in place', async () => {
  const incident = await store.createIncident(
    {
      title: 'Goroutines climbing',
      severity: 'high',
      service: 'exporter',
      playbookName: 'go-leak',
      playbookPath: '/p.yaml',
      params: {},
      alert: { text: 'p99 > 2s' },
    },
    {},
    'gather',
  );
  const gather = await store.startStep(incident.id, 'gather');
  const svg = readFileSync(SVG_FIXTURE);
  await store.addArtifact(incident.id, {
    stepRunId: gather.id,
    actionId: 'prom',
    sourcePath: evidenceFile('chart.svg', svg.toString('utf8')),
    mediaType: 'image/svg+xml',
    label: 'chart: goroutines',
    attributes: { role: 'chart', query: { name: 'goroutines', expr: 'go_goroutines' } },
  });
  const outPath = join(dir, 'report', `${incident.id}.md`);
  for (let round = 0; round < 2; round++) {
    const markdown = readFileSync(await renderPostmortem(store, incident.id, { outPath }), 'utf8');
    expect(images(parseMarkdown(markdown))).toEqual([{ alt: 'chart: goroutines', destination: `${incident.id}/goroutines.svg` }]);
    expect(readdirSync(join(dir, 'report', incident.id))).toEqual(['goroutines.svg']);
    expect(readFileSync(join(dir, 'report', incident.id, 'goroutines.svg'))).toEqual(svg);
  }
});
