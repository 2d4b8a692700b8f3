import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePromEnvelope } from '../../src/collect/prometheus-response.ts';
import { asMatrixData, formatSeriesName, parsePromValue, PromResponseShapeError, seriesOf } from '../../src/core/prom-matrix.ts';

const fixture = (file: string) => readFileSync(new URL(`../fixtures/prometheus/${file}`, import.meta.url), 'utf8');

describe('reading captured Prometheus answers', () => {
  for (const version of ['go1.26.8', 'go1.23.5']) {
    it(`reads the go_goroutines matrix scraped from a ${version} service`, () => {
      const envelope = parsePromEnvelope(fixture(`query-range-goroutines-${version}.json`));
      if (!envelope.ok) throw new Error('expected success');
      const [series, ...rest] = seriesOf(asMatrixData(envelope.data));
      expect(rest).toEqual([]);
      expect(series!.metric).toMatchObject({ __name__: 'go_goroutines', job: 'demo' });
      expect(series!.points.length).toBeGreaterThanOrEqual(8);
      const times = series!.points.map(([t]) => t);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual(times.slice(1).map(() => 1)); // step 1s
      const values = series!.points.map(([, v]) => v);
      expect(values.every(Number.isInteger)).toBe(true);
      expect(Math.max(...values)).toBeGreaterThan(20 * values[0]!); // the leak
    });

    it(`reads a multi-series rate() matrix whose series have no __name__ (${version})`, () => {
      const envelope = parsePromEnvelope(fixture(`query-range-request-rate-${version}.json`));
      if (!envelope.ok) throw new Error('expected success');
      const names = seriesOf(asMatrixData(envelope.data)).map((s) => formatSeriesName(s.metric, 'rate'));
      expect(names).toEqual(
        expect.arrayContaining(['rate{code="200",path="/export"}', 'rate{code="200",path="/hit"}', 'rate{code="200",path="/metrics"}']),
      );
    });
  }

  it("reads Prometheus' bad_data error answer", () => {
    expect(parsePromEnvelope(fixture('error-bad-data.json'))).toEqual({
      ok: false,
      errorType: 'bad_data',
      error: expect.stringContaining('unclosed left parenthesis'),
      warnings: [],
    });
  });

  it('refuses an instant-query vector where a range matrix is expected', () => {
    const envelope = parsePromEnvelope(fixture('instant-vector.json'));
    if (!envelope.ok) throw new Error('expected success');
    expect(() => asMatrixData(envelope.data)).toThrow(/expected resultType "matrix".*"vector"/);
  });

  it('says what arrived when the body is not JSON or not a Prometheus answer', () => {
    const html = () => parsePromEnvelope('<!doctype html><title>Sign in</title>');
    expect(html).toThrow(PromResponseShapeError);
    expect(html).toThrow(/not JSON: "<!doctype html><title>Sign in/);
    expect(() => parsePromEnvelope('{"hello":1}')).toThrow(/not a Prometheus API response/);
    expect(() => parsePromEnvelope('')).toThrow(/empty body/);
  });

  it('refuses malformed points instead of charting garbage', () => {
    const bad = { resultType: 'matrix', result: [{ metric: {}, values: [[1, 2]] }] };
    expect(() => asMatrixData(bad)).toThrow(/values\[0\] is not \[timestamp, "value"\]/);
  });
});

describe('parsePromValue', () => {
  it('reads the special values Prometheus writes as strings', () => {
    expect(parsePromValue('+Inf')).toBe(Infinity);
    expect(parsePromValue('-Inf')).toBe(-Infinity);
    expect(parsePromValue('NaN')).toBeNaN();
    expect(parsePromValue('6.19784e+06')).toBe(6_197_840);
    expect(parsePromValue('garbage')).toBeNaN();
  });
});
