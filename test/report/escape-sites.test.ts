/**
 * Escape sites in the postmortem: the compiler reports dozens per service, so sites no heap
 * profile shows hot are listed in the Findings table only, while the allocation join (the
 * hot functions and why their values escape) keeps an entry. Findings come from the real
 * escape analysis and heap profile captured from test/fixtures/go/escapes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeArtifactFindings } from '../../src/analyze/escape-artifacts.ts';
import { MediaType } from '../../src/core/model.ts';
import type { StoredArtifact, StoredFinding } from '../../src/store/store.ts';
import { renderPostmortem } from '../../src/report/render.ts';
import { captured } from '../analyze/support.ts';
import { gfmTables, headings, inlineText, parseMarkdown } from './markdown-structure.ts';
import { at, createMemoryReportStore, INCIDENT_ID, sampleIncident } from './sample-incident.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-report-escapes-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const artifact = (id: number, path: string, mediaType: string): StoredArtifact => ({
  id,
  path,
  mediaType,
  label: `artifact ${id}`,
  sha256: '',
  size: 0,
  stepRunId: 3,
  actionId: 'escapes',
  attributes: {},
  createdAt: at(9),
});

describe('escape findings in the postmortem', () => {
  it('gives the allocation join an entry and lists the other sites in the table only', async () => {
    const records = sampleIncident({ artifactDir: dir });
    const found = await escapeArtifactFindings([
      artifact(100, captured('escape-escapes', 'go1.26.8'), MediaType.goEscape('example.com/escapes')),
      artifact(101, captured('escape-escapes-heap', 'go1.26.8', 'pb.gz'), MediaType.pprof('heap')),
    ]);
    const joined = found.filter((f) => f.metrics.allocPct !== undefined);
    const sites = found.filter((f) => f.metrics.allocPct === undefined);
    expect(joined.length).toBeGreaterThan(0);
    expect(sites.length).toBeGreaterThan(joined.length);
    const firstId = records.findings.length + 1;
    const stored: StoredFinding[] = found.map((f, i) => ({ ...f, artifactIds: [], id: firstId + i, stepRunId: 3, createdAt: at(10) }));
    records.findings.push(...stored);

    const out = await renderPostmortem(createMemoryReportStore(records), INCIDENT_ID, { outPath: join(dir, 'out', 'postmortem.md') });
    const doc = parseMarkdown(readFileSync(out, 'utf8'));
    const entries = headings(doc)
      .filter((h) => h.level === 3 && h.text.startsWith('Finding '))
      .map((h) => h.text);

    for (const f of joined) expect(entries.some((e) => e.endsWith(f.title))).toBe(true);
    for (const f of sites) expect(entries.some((e) => e.endsWith(f.title))).toBe(false);
    // Every finding is still a row of the table, and the other findings keep their entries.
    const table = gfmTables(readFileSync(out, 'utf8'), doc).find((t) => t[0]?.[0] === '#')!;
    expect(table.length - 2).toBe(records.findings.length); // header and delimiter rows
    expect(entries).toHaveLength(records.findings.length - sites.length);
    expect(inlineText(doc)).toContain(`${sites.length} of them are escape sites that no heap profile shows hot, listed in the table only.`);
  });

  it('says nothing about listed-only findings when there are none', async () => {
    const records = sampleIncident({ artifactDir: dir });
    const out = await renderPostmortem(createMemoryReportStore(records), INCIDENT_ID, { outPath: join(dir, 'out', 'postmortem.md') });
    expect(readFileSync(out, 'utf8')).not.toContain('listed in the table only');
  });
});
