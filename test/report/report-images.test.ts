/**
 * Pictures beside the report: every SVG/PNG artifact is copied to `<report dir>/<incident-id>/`,
 * embedded by the generated relative path, and rewritten (never duplicated) by a re-render.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StepError } from '../../src/core/errors.ts';
import { renderPostmortem } from '../../src/report/render.ts';
import { blocksUnder, images, inlineText, parseMarkdown } from './markdown-structure.ts';
import { gatheredIncident } from './sample-gathered.ts';
import { createMemoryReportStore, INCIDENT_ID, type IncidentRecords } from './sample-incident.ts';

let dir: string;
let outDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-report-images-'));
  outDir = join(dir, 'postmortems');
  mkdirSync(join(dir, 'store'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function render(r: IncidentRecords): Promise<{ markdown: string; path: string }> {
  const path = await renderPostmortem(createMemoryReportStore(r), INCIDENT_ID, { outPath: join(outDir, `${INCIDENT_ID}.md`) });
  return { markdown: readFileSync(path, 'utf8'), path };
}

const pictureDir = () => join(outDir, INCIDENT_ID);
const pictures = (r: IncidentRecords) => r.artifacts.filter((a) => a.mediaType.startsWith('image/'));

describe('pictures beside the report', () => {
  it('copies every SVG and PNG artifact next to the report and embeds it by that relative path', async () => {
    const r = gatheredIncident({ artifactDir: join(dir, 'store') });
    const { markdown, path } = await render(r);
    const embedded = images(parseMarkdown(markdown));

    expect(embedded.map((i) => i.alt).sort()).toEqual(
      pictures(r)
        .map((a) => a.label)
        .sort(),
    );
    for (const image of embedded) {
      expect(image.destination).toMatch(new RegExp(`^${INCIDENT_ID}/[a-z0-9-]+\\.(svg|png)$`));
      const artifact = pictures(r).find((a) => image.alt === a.label)!;
      // The copy beside the report holds the artifact's exact bytes, under the name the report links.
      expect(readFileSync(join(dirname(path), image.destination))).toEqual(readFileSync(artifact.path));
    }
    expect(embedded.find((i) => i.alt === 'chart: goroutines')?.destination).toBe(`${INCIDENT_ID}/goroutines.svg`);
    expect(embedded.find((i) => i.alt === 'steps')?.destination).toBe(`${INCIDENT_ID}/steps.png`);
    expect(readdirSync(pictureDir()).sort()).toEqual(embedded.map((i) => i.destination.split('/')[1]).sort());
  });

  it('rewrites the pictures on a re-render: changed ones replaced, removed ones deleted, nothing duplicated', async () => {
    const r = gatheredIncident({ artifactDir: join(dir, 'store') });
    await render(r);
    const first = readdirSync(pictureDir()).sort();
    writeFileSync(join(pictureDir(), 'NOTES.txt'), 'kept: not a picture gotriage wrote');

    const chart = r.artifacts.find((a) => a.label === 'chart: goroutines')!;
    appendFileSync(chart.path, '<!-- redrawn -->\n');
    await render(r);
    expect(readdirSync(pictureDir()).sort()).toEqual([...first, 'NOTES.txt'].sort());
    expect(readFileSync(join(pictureDir(), 'goroutines.svg'), 'utf8')).toMatch(/<!-- redrawn -->\n$/);

    r.artifacts = r.artifacts.filter((a) => a.label !== 'chart: heap');
    const { markdown } = await render(r);
    expect(readdirSync(pictureDir())).not.toContain('heap.svg');
    expect(readdirSync(pictureDir()).sort()).toEqual([...first.filter((f) => f !== 'heap.svg'), 'NOTES.txt'].sort());
    expect(images(parseMarkdown(markdown)).map((i) => i.destination)).not.toContain(`${INCIDENT_ID}/heap.svg`);
  });

  it('gives pictures with the same name distinct files, the same ones on every render', async () => {
    const r = gatheredIncident({ artifactDir: join(dir, 'store') });
    const chart = r.artifacts.find((a) => a.label === 'chart: goroutines')!;
    r.artifacts.push({ ...chart, id: 99, stepRunId: 5, actionId: 'recheck-prom' });
    const once = images(parseMarkdown((await render(r)).markdown)).map((i) => i.destination);
    const twice = images(parseMarkdown((await render(r)).markdown)).map((i) => i.destination);
    expect(once).toEqual(twice);
    expect(once.filter((d) => /\/goroutines(-\d+)?\.svg$/.test(d)).sort()).toEqual([
      `${INCIDENT_ID}/goroutines-2.svg`,
      `${INCIDENT_ID}/goroutines.svg`,
    ]);
  });

  it('says which picture is missing when its artifact file is gone, and still shows the others', async () => {
    const r = gatheredIncident({ artifactDir: join(dir, 'store') });
    await render(r);
    rmSync(r.artifacts.find((a) => a.label === 'chart: heap')!.path);
    const doc = parseMarkdown((await render(r)).markdown);
    const heap = blocksUnder(doc, 'Chart: heap (gather #1)');
    expect(heap.flatMap((n) => images(n))).toEqual([]);
    expect(heap.map(inlineText).join('\n')).toContain('The picture chart: heap could not be copied beside the report (ENOENT).');
    expect(existsSync(join(pictureDir(), 'heap.svg'))).toBe(false);
    expect(existsSync(join(pictureDir(), 'goroutines.svg'))).toBe(true);
  });

  it('fails with a step error naming the place when the pictures cannot be written there', async () => {
    const r = gatheredIncident({ artifactDir: join(dir, 'store') });
    mkdirSync(outDir);
    writeFileSync(pictureDir(), 'a file where the picture directory goes');
    await expect(render(r)).rejects.toThrowError(StepError);
    await expect(render(r)).rejects.toThrowError(new RegExp(`could not write the postmortem's pictures to .*${INCIDENT_ID}`));
  });

  it('writes no picture directory for an incident without pictures', async () => {
    const r = gatheredIncident({ artifactDir: join(dir, 'store') });
    r.artifacts = r.artifacts.filter((a) => !a.mediaType.startsWith('image/'));
    await render(r);
    expect(readdirSync(outDir)).toEqual([`${INCIDENT_ID}.md`]);
  });
});
