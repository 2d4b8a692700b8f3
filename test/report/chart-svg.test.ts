import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePromEnvelope } from '../../src/collect/prometheus-response.ts';
import { formatSeriesName, asMatrixData, seriesOf } from '../../src/core/prom-matrix.ts';
import { formatSi, renderLineChartSvg, type ChartSeries } from '../../src/report/chart-svg.ts';
import { findAll, parseXml, textOf, type XmlElement } from './xml-parse.ts';

const T0 = Date.UTC(2026, 0, 15, 14, 0, 0) / 1000; // 14:00:00 UTC

function ramp(name: string, from: number, to: number, n = 31, stepSeconds = 60): ChartSeries {
  return {
    name,
    points: Array.from({ length: n }, (_, i) => [T0 + i * stepSeconds, from + ((to - from) * i) / (n - 1)] as [number, number]),
  };
}

/** The chart's series groups, each with its polylines and dots. */
function seriesGroups(root: XmlElement): XmlElement[] {
  return findAll(root, 'g').filter((g) => g.attrs.class === 'series');
}

function legendTexts(root: XmlElement): string[] {
  const legend = findAll(root, 'g').find((g) => g.attrs.class === 'legend')!;
  return findAll(legend, 'text').map(textOf);
}

function allTexts(root: XmlElement): string[] {
  return findAll(root, 'text').map(textOf);
}

describe('renderLineChartSvg', () => {
  it('draws one polyline per series with a legend entry each, in distinct colours', () => {
    const svg = renderLineChartSvg({ title: 'goroutines', series: [ramp('a', 10, 100), ramp('b', 50, 20), ramp('c', 0, 5)] });
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const groups = seriesGroups(root);
    expect(groups).toHaveLength(3);
    for (const g of groups) expect(findAll(g, 'polyline')).toHaveLength(1);
    const colours = groups.map((g) => findAll(g, 'polyline')[0]!.attrs.stroke);
    expect(new Set(colours).size).toBe(3);
    expect(legendTexts(root)).toEqual(['a', 'b', 'c']);
    expect(allTexts(root)).toContain('goroutines');
    expect(svg).not.toMatch(/<script|href=|@import|url\(/i); // self-contained, nothing fetched or run
  });

  it('puts time ticks in UTC HH:MM and value ticks as round SI numbers with the unit', () => {
    const svg = renderLineChartSvg({ title: 'heap', unit: 'bytes', series: [ramp('heap', 2_000_000, 48_000_000)] });
    const texts = allTexts(parseXml(svg));
    // 30 minutes from 14:00 UTC: ticks every 5 minutes, whatever the machine's time zone.
    for (const label of ['14:00', '14:05', '14:10', '14:15', '14:20', '14:25', '14:30']) expect(texts).toContain(label);
    expect(texts).toContain('0 B');
    expect(texts.some((t) => t.includes('UTC'))).toBe(true);
    const valueTicks = texts.filter((t) => / MB$/.test(t)).map((t) => Number(t.replace(' MB', '')));
    // Evenly spaced round steps that cover 2 MB … 48 MB.
    expect(valueTicks.length).toBeGreaterThanOrEqual(2);
    const steps = new Set(valueTicks.slice(1).map((v, i) => v - valueTicks[i]!));
    expect(steps.size).toBe(1);
    expect([10, 20, 25, 50]).toContain([...steps][0]);
    expect(valueTicks[valueTicks.length - 1]).toBeGreaterThanOrEqual(48);
  });

  it('breaks the line at NaN, infinities and gaps in time instead of joining across them', () => {
    const points: [number, number][] = [
      [T0, 1],
      [T0 + 15, 2],
      [T0 + 30, NaN],
      [T0 + 45, 3],
      [T0 + 60, 4],
      [T0 + 75, Infinity],
      [T0 + 90, 5],
      [T0 + 105, 6],
      /* a scrape gap of 5 minutes */ [T0 + 405, 7],
      [T0 + 420, 8],
    ];
    const root = parseXml(renderLineChartSvg({ title: 'gappy', series: [{ name: 's', points }] }));
    const [group] = seriesGroups(root);
    const lines = findAll(group!, 'polyline').map((p) => p.attrs.points!.split(' ').length);
    expect(lines).toEqual([2, 2, 2, 2]);
    expect(root.children.length).toBeGreaterThan(0);
    expect(renderLineChartSvg({ title: 'gappy', series: [{ name: 's', points }] })).not.toMatch(/NaN|Infinity/);
  });

  it('draws a lone point between gaps as a dot', () => {
    const root = parseXml(
      renderLineChartSvg({
        title: 'dot',
        series: [
          {
            name: 's',
            points: [
              [T0, 1],
              [T0 + 10, 2],
              [T0 + 20, NaN],
              [T0 + 30, 3],
            ],
          },
        ],
      }),
    );
    const [group] = seriesGroups(root);
    expect(findAll(group!, 'polyline')).toHaveLength(1);
    expect(findAll(group!, 'circle')).toHaveLength(1);
  });

  it('escapes hostile series names and titles: they show as text and never become markup', () => {
    const evil = 'go_goroutines{pod="</text><script>alert(1)</script>&amp;"}';
    const svg = renderLineChartSvg({ title: 'x <b>bold</b> & "q"', series: [{ ...ramp(evil, 1, 2), name: evil }] });
    const root = parseXml(svg);
    expect(findAll(root, 'script')).toHaveLength(0);
    expect(findAll(root, 'b')).toHaveLength(0);
    expect(legendTexts(root)).toContain(evil);
    expect(allTexts(root)).toContain('x <b>bold</b> & "q"');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('keeps the document well-formed when a label holds characters XML cannot carry', () => {
    const name = 'a\u0000b\u001bc\ud800d\nnew line';
    const root = parseXml(renderLineChartSvg({ title: 't', series: [{ ...ramp('x', 1, 2), name }] }));
    expect(legendTexts(root)[0]).toBe('a\ufffdb\ufffdc\ufffdd new line');
  });

  it('draws at most maxSeries and says how many were left out', () => {
    const series = Array.from({ length: 11 }, (_, i) => ramp(`s${i}`, i, i + 1));
    const root = parseXml(renderLineChartSvg({ title: 'many', series, maxSeries: 8 }));
    expect(seriesGroups(root)).toHaveLength(8);
    expect(legendTexts(root)).toContain('… and 3 more series not drawn');
  });

  it('says "no data" for empty or all-NaN series and is still a valid SVG', () => {
    for (const series of [[], [{ name: 'x', points: [[T0, NaN]] as [number, number][] }]]) {
      const root = parseXml(renderLineChartSvg({ title: 'empty', series }));
      expect(allTexts(root)).toContain('no data in the window');
      expect(findAll(root, 'polyline').filter((p) => p.attrs.class !== 'axis')).toHaveLength(0);
    }
  });

  it('charts a real query_range answer (go_goroutines under the leak, Go 1.26 and 1.23 services)', () => {
    for (const version of ['go1.26.8', 'go1.23.5']) {
      const body = readFileSync(new URL(`../fixtures/prometheus/query-range-request-rate-${version}.json`, import.meta.url), 'utf8');
      const envelope = parsePromEnvelope(body);
      if (!envelope.ok) throw new Error('fixture is an error answer');
      const series = seriesOf(asMatrixData(envelope.data)).map((s) => ({ name: formatSeriesName(s.metric, 'rate'), points: s.points }));
      const root = parseXml(renderLineChartSvg({ title: `request rate (${version})`, unit: '/s', series }));
      expect(seriesGroups(root)).toHaveLength(series.length);
      expect(legendTexts(root)).toContain('rate{code="200",path="/export"}');
      for (const g of seriesGroups(root)) {
        for (const p of findAll(g, 'polyline')) {
          const coords = p.attrs.points!.split(/[ ,]/).map(Number);
          expect(coords.every(Number.isFinite)).toBe(true);
        }
      }
    }
  });
});

describe('formatSi', () => {
  it('uses SI prefixes with at most three significant digits', () => {
    expect(formatSi(1_500_000, 'bytes')).toBe('1.5 MB');
    expect(formatSi(0.25, 'seconds')).toBe('250 ms');
    expect(formatSi(12_000)).toBe('12k');
    expect(formatSi(999.9)).toBe('1k');
    expect(formatSi(0)).toBe('0');
    expect(formatSi(-2_500, 'req/s')).toBe('-2.5 kreq/s');
  });
});
