import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { metricChangeFindings, metricFindings } from '../../src/analyze/metric-findings.ts';
import { MediaType } from '../../src/core/model.ts';
import type { StoredArtifact } from '../../src/store/store.ts';

const dir = mkdtempSync(join(tmpdir(), 'gotriage-metric-findings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let nextId = 1;
/** An artifact as the metrics action stores it: the `data` of a query_range answer. */
function artifactOf(name: string, content: string, mediaType = MediaType.promMatrix(name)): StoredArtifact {
  const id = nextId++;
  const path = join(dir, `${id}.json`);
  writeFileSync(path, content);
  return {
    id,
    sha256: 'x'.repeat(64),
    size: content.length,
    mediaType,
    path,
    label: `metrics ${name}`,
    stepRunId: 1,
    actionId: 'metrics',
    attributes: {},
    createdAt: '',
  };
}

function fixtureData(file: string): string {
  const answer = JSON.parse(readFileSync(new URL(`../fixtures/prometheus/${file}`, import.meta.url), 'utf8'));
  return JSON.stringify(answer.data);
}

const series = (name: string, values: number[], labels: Record<string, string> = {}) => ({
  metric: { __name__: name, ...labels },
  points: values.map((v, i) => [1_700_000_000 + i * 15, v] as [number, number]),
});

describe('metricFindings on captured query_range answers', () => {
  for (const version of ['go1.26.8', 'go1.23.5']) {
    it(`reports go_goroutines rising under the leak (service built with ${version})`, async () => {
      const artifact = artifactOf('goroutines', fixtureData(`query-range-goroutines-${version}.json`));
      const findings = await metricFindings([artifact]);
      expect(findings).toHaveLength(1);
      const [f] = findings;
      expect(f!.kind).toBe('metric-change');
      expect(f!.title).toMatch(/^go_goroutines\{instance="127\.0\.0\.1:\d+",job="demo"\} rose \d+ → [\d,]+ \(×\d+\) in the window$/);
      expect(f!.location).toBeUndefined();
      expect(f!.artifactIds).toEqual([artifact.id]);
      expect(f!.metrics.last).toBeGreaterThan(1000);
      expect(f!.metrics.first).toBeLessThan(20);
      expect(f!.metrics.ratio).toBeCloseTo(f!.metrics.last! / f!.metrics.first!);
      expect(f!.metrics.max).toBeGreaterThanOrEqual(f!.metrics.last!);
      expect(f!.metrics.min).toBeLessThanOrEqual(f!.metrics.first!);
      expect(f!.severity).toBe('high');
    });
  }

  it('judges rate() series, named after the query since they have no __name__', async () => {
    // go1.26.8: the rates stayed within ×2 (261 → 221/s). go1.23.5: the load stopped
    // a second before the window ended, so the last rates are a fifth of the first.
    const titles = async (version: string) =>
      (await metricFindings([artifactOf('request-rate', fixtureData(`query-range-request-rate-${version}.json`))])).map((f) => f.title);
    expect(await titles('go1.26.8')).toEqual([]);
    expect(await titles('go1.23.5')).toEqual([
      'request-rate{code="200",path="/export"} fell 149.54 → 29.68 (÷5) in the window',
      'request-rate{code="200",path="/hit"} fell 149.65 → 30.41 (÷4.9) in the window',
    ]);
  });

  it('ignores other media types and gives a tool-failure finding for a result it cannot read', async () => {
    const findings = await metricFindings([
      artifactOf('x', 'not json at all'),
      artifactOf('y', JSON.stringify({ resultType: 'vector', result: [] })),
      artifactOf('z', 'irrelevant', MediaType.text),
    ]);
    expect(findings.map((f) => f.kind)).toEqual(['tool-failure', 'tool-failure']);
    expect(findings[1]!.detail).toContain('matrix');
  });
});

describe('metricChangeFindings (the rule)', () => {
  it('reports a fall with ÷ and direction -1', () => {
    const [f] = metricChangeFindings(7, 'q', [series('up_instances', [40, 40, 41, 39, 40, 12, 10, 10, 10, 10])]);
    expect(f!.title).toBe('up_instances fell 40 → 10 (÷4) in the window');
    expect(f!.metrics.direction).toBe(-1);
    expect(f!.severity).toBe('medium');
  });

  it('reports a step change that persists, and not a flat or noisy series', () => {
    const step = series('queue_depth', [5, 5, 6, 5, 5, 30, 31, 30, 29, 30]);
    const flat = series('flat', [100, 101, 99, 100, 102, 100, 98, 100, 101, 100]);
    const noisy = series('noisy', [10, 14, 9, 12, 11, 15, 10, 13, 9, 12]);
    const findings = metricChangeFindings(1, 'q', [step, flat, noisy]);
    expect(findings.map((f) => f.title)).toEqual(['queue_depth rose 5 → 30 (×6) in the window']);
  });

  it('is not fooled by one odd scrape at either edge when the window has enough points', () => {
    const values = Array.from({ length: 30 }, () => 100);
    values[0] = 1; // a restart's first scrape
    expect(metricChangeFindings(1, 'q', [series('steady', values)])).toEqual([]);
  });

  it('skips raw counters, series starting at zero, NaN-only and too-short series', () => {
    const findings = metricChangeFindings(1, 'q', [
      series('http_requests_total', [1, 50, 100, 200]),
      series('starts_at_zero', [0, 0, 10, 20]),
      series('nan', [NaN, NaN, NaN, NaN]),
      series('short', [1, 100]),
    ]);
    expect(findings).toEqual([]);
  });

  it('keeps hostile label values as data in the title (the report escapes them)', () => {
    const [f] = metricChangeFindings(1, 'q', [series('go_goroutines', [1, 1, 50, 90], { pod: '"}<script>\n# x' })]);
    expect(f!.title).toBe('go_goroutines{pod="\\"}<script>\\n# x"} rose 1 → 90 (×90) in the window');
  });
});
