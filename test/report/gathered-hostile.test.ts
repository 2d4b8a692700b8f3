/**
 * Hostile data in the gathered-evidence sections: chart labels, log templates, panic text,
 * benchmark names, failure reasons and target URLs must never change the report's structure,
 * add a link or an image, or reveal credentials — checked with a CommonMark parser.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { renderPostmortem } from '../../src/report/render.ts';
import {
  blockSkeleton,
  cellText,
  codeBlocks,
  gfmTables,
  headings,
  htmlNodes,
  images,
  linksAndImages,
  parseMarkdown,
} from './markdown-structure.ts';
import { gatheredIncident, panicTraceback, TARGET_SECRETS, type GatheredOptions } from './sample-gathered.ts';
import { createMemoryReportStore, INCIDENT_ID } from './sample-incident.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-report-hostile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Appended to every free-text field: labels, titles, templates, reasons, tracebacks. */
const HOSTILE = '\n# Heading\n```\n[x](javascript:alert(1)) ![](https://evil/?d=) a | b {{secret}} it\'s <b> & "q"\n';

async function render(name: string, options: Omit<GatheredOptions, 'artifactDir'> = {}): Promise<{ markdown: string; path: string }> {
  const artifactDir = join(dir, `store-${name}`);
  mkdirSync(artifactDir);
  const records = gatheredIncident({ ...options, artifactDir });
  const path = await renderPostmortem(createMemoryReportStore(records), INCIDENT_ID, { outPath: join(dir, name, 'pm.md') });
  return { markdown: readFileSync(path, 'utf8'), path };
}

it('keeps the structure of the report: same blocks, headings and table shapes as a clean render', async () => {
  const clean = (await render('clean')).markdown;
  const hostile = (await render('hostile', { extra: HOSTILE })).markdown;
  const cleanDoc = parseMarkdown(clean);
  const hostileDoc = parseMarkdown(hostile);

  expect(blockSkeleton(hostileDoc)).toEqual(blockSkeleton(cleanDoc));
  expect(headings(hostileDoc).map((h) => h.level)).toEqual(headings(cleanDoc).map((h) => h.level));
  expect(htmlNodes(hostileDoc)).toEqual([]);
  const shapes = (markdown: string) => gfmTables(markdown).map((t) => t.map((row) => row.length));
  expect(shapes(hostile)).toEqual(shapes(clean));
  // The only link-like nodes are the pictures the template embeds, by generated paths.
  expect(linksAndImages(hostileDoc).map((l) => l.type)).toEqual(linksAndImages(cleanDoc).map((l) => l.type));
  for (const image of images(hostileDoc)) expect(image.destination).toMatch(new RegExp(`^${INCIDENT_ID}/[a-z0-9-]+\\.(svg|png)$`));
});

it('shows a chart label that tries to close the image as its alt text, the chart named by its query', async () => {
  const label = 'chart: goroutines](javascript:alert(1)) ![x](https://evil/?d=)';
  const { markdown, path } = await render('chart', { chartLabel: label });
  const doc = parseMarkdown(markdown);
  const image = images(doc).find((i) => i.alt === label);
  expect(image).toEqual({ alt: label, destination: `${INCIDENT_ID}/goroutines.svg` });
  expect(readdirSync(join(dirname(path), INCIDENT_ID))).toContain('goroutines.svg');
  expect(headings(doc).map((h) => h.text)).toContain('Chart: goroutines (gather #1)');
  expect(linksAndImages(doc).filter((l) => l.type === 'link')).toEqual([]);
  expect(linksAndImages(doc).map((l) => l.destination)).not.toContain('javascript:alert(1)');
});

it('keeps a log template with ``` and | inside its table cell, read back as written', async () => {
  const template = 'query ```DROP``` failed | code <n> | retry';
  const { markdown } = await render('log', { logTemplate: template });
  const table = gfmTables(markdown).find((t) => t[0]!.join('|') === '#|Template|Count|First seen|Last seen')!;
  expect(table.slice(2).every((row) => row.length === 5)).toBe(true);
  expect(table.slice(2).map((row) => cellText(row[1]!))).toContain(template);
  expect(codeBlocks(parseMarkdown(markdown)).map((b) => b.literal)).not.toContain(expect.stringContaining('DROP'));
});

it('prints a hostile panic traceback exactly inside one code block', async () => {
  const { markdown } = await render('panic', { extra: HOSTILE });
  const blocks = codeBlocks(parseMarkdown(markdown));
  expect(blocks.map((b) => b.literal)).toContain(`${panicTraceback('1.26.8')}${HOSTILE}`);
  expect(markdown).not.toMatch(/&#x27;|&#39;|&amp;|&quot;|&lt;/);
});

it('never reveals target credentials, whatever section names the target', async () => {
  const { markdown, path } = await render('secrets', { extra: HOSTILE });
  for (const secret of TARGET_SECRETS) {
    expect(markdown).not.toContain(secret);
    expect(readdirSync(join(dirname(path), INCIDENT_ID)).join('\n')).not.toContain(secret);
  }
});
