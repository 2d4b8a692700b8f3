import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InternalError, StepError, UsageError } from '../../src/core/errors.ts';
import { defaultTemplatesDir, renderPostmortem } from '../../src/report/render.ts';
import {
  blockSkeleton,
  codeBlocks,
  gfmTables,
  headings,
  htmlNodes,
  inlineText,
  linksAndImages,
  parseMarkdown,
} from './markdown-structure.ts';
import {
  capturedOutput,
  createMemoryReportStore,
  FIX_COMMIT,
  INCIDENT_ID,
  sampleIncident,
  type GoVersion,
  type IncidentRecords,
} from './sample-incident.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-report-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NOW = new Date('2026-11-26T15:44:00Z');

async function render(records: IncidentRecords, name = 'postmortem.md'): Promise<string> {
  const outPath = await renderPostmortem(createMemoryReportStore(records), INCIDENT_ID, { outPath: join(dir, 'out', name), now: NOW });
  return readFileSync(outPath, 'utf8');
}

function artifactDir(name: string): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  return path;
}

describe.each<GoVersion>(['1.26.8', '1.23.5'])('the postmortem of a leak + race incident (Go %s output)', (goVersion) => {
  it('has every section, the finding titles, the verdict history and the fix commit', async () => {
    const records = sampleIncident({ artifactDir: artifactDir('a'), goVersion });
    const markdown = await render(records);
    const doc = parseMarkdown(markdown);
    const h = headings(doc);
    expect(h[0]).toEqual({ level: 1, text: 'Postmortem: Export endpoint latency and memory climbing' });
    expect(h.filter((x) => x.level === 2).map((x) => x.text)).toEqual([
      'Summary',
      'Root cause',
      'Timeline',
      'Collection',
      'Steps and evidence',
      'Findings',
      'Hypotheses',
      'Fix',
      'Action items',
      'Alert',
    ]);
    const findingHeadings = h
      .filter((x) => x.level === 3 && x.text.startsWith('Finding '))
      .map((x) => x.text.replace(/^Finding \d+: /, ''));
    expect(findingHeadings.sort()).toEqual(records.findings.map((f) => f.title).sort());
    expect(markdown).toContain(FIX_COMMIT);
    expect(markdown).toContain('| Time to resolve | 42 min 30 s |');
    expect(markdown).toContain('| hypothesize #1 | confirmed | 1 data-race finding matched |');
    expect(markdown).toContain('| fix #1 | refuted | after the fix: no data-race finding matched |');
    expect(markdown).toContain('- [ ] Prevent:');
  });

  it('shows the tool output and the diff exactly as they were printed', async () => {
    const records = sampleIncident({ artifactDir: artifactDir('b'), goVersion });
    const blocks = codeBlocks(parseMarkdown(await render(records)));
    const details = records.findings.flatMap((f) => (f.detail ? [`${f.detail}\n`] : []));
    expect(
      blocks
        .filter((b) => b.info === 'text')
        .map((b) => b.literal)
        .sort(),
    ).toEqual(details.sort());
    expect(blocks.find((b) => b.info === 'diff')?.literal).toBe(capturedOutput(goVersion).diff);
    // The goroutine dump is tab-indented: the tabs must survive the round trip.
    expect(blocks.some((b) => b.literal.includes('main.renderExport(...)\n\t/'))).toBe(true);
  });
});

describe('hostile incident data', () => {
  // Appended to every free-text field of the incident: titles, labels, stack traces, argv,
  // timeline messages, hypothesis evidence, the fix summary, the diff, the alert.
  const HOSTILE = '\n# Heading\n```\n[x](javascript:alert(1)) ![](https://evil/?d=) a | b {{secret}} it\'s <b> & "q"\n';

  it('does not change the structure of the report', async () => {
    const clean = await render(sampleIncident({ artifactDir: artifactDir('clean') }), 'clean.md');
    const hostile = await render(sampleIncident({ artifactDir: artifactDir('hostile'), extra: HOSTILE }), 'hostile.md');
    const cleanDoc = parseMarkdown(clean);
    const hostileDoc = parseMarkdown(hostile);

    expect(blockSkeleton(hostileDoc)).toEqual(blockSkeleton(cleanDoc));
    expect(headings(hostileDoc).map((h) => h.level)).toEqual(headings(cleanDoc).map((h) => h.level));
    expect(linksAndImages(hostileDoc)).toEqual([]);
    expect(htmlNodes(hostileDoc)).toEqual([]);

    const cleanTables = gfmTables(clean, cleanDoc);
    const hostileTables = gfmTables(hostile, hostileDoc);
    expect(hostileTables.map((t) => t.map((row) => row.length))).toEqual(cleanTables.map((t) => t.map((row) => row.length)));
    for (const table of hostileTables) expect(new Set(table.map((row) => row.length))).toEqual(new Set([table[0]!.length]));
  });

  it('shows hostile text as text: headings read as the input on one line, code blocks hold it exactly', async () => {
    const records = sampleIncident({ artifactDir: artifactDir('h2'), extra: HOSTILE });
    const hostile = await render(records);
    const doc = parseMarkdown(hostile);
    const oneLine = (text: string) => text.replace(/\n/g, ' ').replace(/ +/g, ' ').trim();
    expect(headings(doc)[0]!.text).toBe(`Postmortem: ${oneLine(records.incident.title)}`);
    expect(headings(doc).map((h) => h.text)).toContain(`Finding 1: ${oneLine(records.findings[2]!.title)}`);

    const blocks = codeBlocks(doc);
    for (const finding of records.findings.filter((f) => f.detail)) {
      expect(blocks.map((b) => b.literal)).toContain(finding.detail!.endsWith('\n') ? finding.detail : `${finding.detail}\n`);
    }
    expect(blocks.find((b) => b.info === 'diff')?.literal).toBe(capturedOutput('1.26.8').diff + HOSTILE);
    expect(inlineText(doc)).toContain('{{secret}}');
    expect(hostile).not.toMatch(/&#x27;|&#39;|&amp;|&quot;|&lt;/);
  });
});

describe('step runs that did not finish', () => {
  it('shows a skipped step with its reason and an interrupted one as interrupted', async () => {
    const records = sampleIncident({ artifactDir: artifactDir('s') });
    records.stepRuns[3] = { ...records.stepRuns[3]!, status: 'skipped', reason: 'no hypotheses in this playbook' };
    records.stepRuns.push({
      id: 7,
      incidentId: INCIDENT_ID,
      step: 'fix',
      attempt: 2,
      status: 'interrupted',
      reason: null,
      startedAt: at43(),
      finishedAt: null,
    });
    const doc = parseMarkdown(await render(records));
    const texts = headings(doc).map((h) => h.text);
    expect(texts).toContain('hypothesize (attempt 1): skipped');
    expect(texts).toContain('fix (attempt 2): interrupted');
    expect(texts).toContain('postmortem (attempt 1): in progress');
    const paragraphs = inlineText(doc);
    expect(paragraphs).toContain('Skipped: no hypotheses in this playbook.');
    expect(paragraphs).toContain('Interrupted: gotriage stopped while this step was running');
  });
});

function at43(): string {
  return '2026-11-26T15:43:00.000Z';
}

describe('writing the file', () => {
  it('creates the directory, replaces an older report whole, and leaves no temp file behind', async () => {
    const records = sampleIncident({ artifactDir: artifactDir('w') });
    const outPath = join(dir, 'reports', 'nested', 'pm.md');
    expect(await renderPostmortem(createMemoryReportStore(records), INCIDENT_ID, { outPath })).toBe(outPath);
    writeFileSync(outPath, 'an older, longer report '.repeat(10_000));
    await renderPostmortem(createMemoryReportStore(records), INCIDENT_ID, { outPath });
    expect(readFileSync(outPath, 'utf8')).toMatch(/^# Postmortem: /);
    expect(readdirSync(join(dir, 'reports', 'nested'))).toEqual(['pm.md']);
  });

  it('fails with a step error naming the path when it cannot write there', async () => {
    const records = sampleIncident({ artifactDir: artifactDir('f') });
    writeFileSync(join(dir, 'not-a-dir'), '');
    const outPath = join(dir, 'not-a-dir', 'pm.md');
    await expect(renderPostmortem(createMemoryReportStore(records), INCIDENT_ID, { outPath })).rejects.toThrowError(StepError);
    await expect(renderPostmortem(createMemoryReportStore(records), INCIDENT_ID, { outPath })).rejects.toThrowError(
      /could not write the postmortem to .*not-a-dir\/pm\.md: EEXIST/,
    );
  });
});

describe('templates', () => {
  it('finds the shipped templates from the source tree', () => {
    expect(existsSync(join(defaultTemplatesDir(), 'postmortem.md.hbs'))).toBe(true);
  });

  function templatesWith(files: Record<string, string>): string {
    const templatesDir = join(dir, 'tpl');
    mkdirSync(join(templatesDir, 'partials'), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(templatesDir, name), text);
    return templatesDir;
  }

  async function renderWith(templatesDir: string, template: string): Promise<string> {
    const records = sampleIncident({ artifactDir: artifactDir('t') });
    return readFileSync(
      await renderPostmortem(createMemoryReportStore(records), INCIDENT_ID, { outPath: join(dir, 'pm.md'), templatesDir, template }),
      'utf8',
    );
  }

  it('renders a custom template with partials named after their files and never compiles data', async () => {
    const templatesDir = templatesWith({
      'short.md.hbs': '# {{md incident.title}}\n{{#each findings}}{{> one-line}}{{/each}}',
      'partials/one-line.hbs': '- {{md title}} {{code func}}\n',
    });
    const records = sampleIncident({ artifactDir: artifactDir('c'), extra: ' {{incident.id}}' });
    const outPath = await renderPostmortem(createMemoryReportStore(records), INCIDENT_ID, {
      outPath: join(dir, 'c.md'),
      templatesDir,
      template: 'short.md.hbs',
    });
    const markdown = readFileSync(outPath, 'utf8');
    expect(markdown.split('\n')[0]).toBe('# Export endpoint latency and memory climbing {{incident.id}}');
    expect(markdown).toContain(
      '- data race: read in main.(\\*stats).recordHit (main.go:21) vs write in main.(\\*stats).recordHit (main.go:21) {{incident.id}} `main.(*stats).recordHit`',
    );
  });

  it('refuses a missing template, or a name that is a path, with a usage error', async () => {
    const templatesDir = templatesWith({ 'a.md.hbs': 'x' });
    await expect(renderWith(templatesDir, 'missing.md.hbs')).rejects.toThrowError(UsageError);
    await expect(renderWith(templatesDir, 'missing.md.hbs')).rejects.toThrowError(/template not found/);
    await expect(renderWith(templatesDir, '../../etc/passwd')).rejects.toThrowError(/invalid template name/);
  });

  it('reports a template that does not compile as a usage error', async () => {
    const templatesDir = templatesWith({ 'broken.md.hbs': '{{#each findings}}\n{{title}}\n' });
    await expect(renderWith(templatesDir, 'broken.md.hbs')).rejects.toThrowError(UsageError);
  });

  it('treats a field the data lacks as an internal error (strict mode), not as empty text', async () => {
    const templatesDir = templatesWith({ 'typo.md.hbs': '{{md incident.titel}}' });
    await expect(renderWith(templatesDir, 'typo.md.hbs')).rejects.toThrowError(InternalError);
    await expect(renderWith(templatesDir, 'typo.md.hbs')).rejects.toThrowError(
      /\{\{md\}\} at line 1, column 0 was given a field the report data does not have/,
    );
    const plain = templatesWith({ 'plain.md.hbs': '{{incident.titel}}' });
    await expect(renderWith(plain, 'plain.md.hbs')).rejects.toThrowError(InternalError);
  });

  it('refuses to print data as an image path: only paths the report generated pass {{imagepath}}', async () => {
    const templatesDir = templatesWith({ 'img.md.hbs': '![x]({{imagepath incident.title}})' });
    await expect(renderWith(templatesDir, 'img.md.hbs')).rejects.toThrowError(InternalError);
    await expect(renderWith(templatesDir, 'img.md.hbs')).rejects.toThrowError(/\{\{imagepath\}\} was given "Export endpoint/);
  });
});
