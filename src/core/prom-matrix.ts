/**
 * A Prometheus range query's matrix (`data` of a query_range answer): the format the
 * metrics action stores and the metric analysis reads, so both sides share one reading
 * of it. Sample values arrive as strings ("1.5", "NaN", "+Inf", "-Inf") because JSON has
 * no NaN or infinities; they are turned into numbers here.
 */

/** One series of a range query: its labels and `[unix seconds, value]` points in time order. */
export interface PromSeries {
  metric: Record<string, string>;
  points: [number, number][];
}

/** The `data` of a successful query_range answer, as Prometheus sends it (values as strings). */
export interface PromMatrixData {
  resultType: 'matrix';
  result: { metric: Record<string, string>; values?: [number, string][]; histograms?: unknown[] }[];
}

/** Why a body could not be read: not JSON at all, or JSON of the wrong shape. */
export class PromResponseShapeError extends Error {
  constructor(
    readonly kind: 'not-json' | 'bad-result',
    message: string,
  ) {
    super(message);
    this.name = 'PromResponseShapeError';
  }
}

/**
 * Checks that `data` is a range query's matrix and returns it typed. Throws
 * PromResponseShapeError otherwise (a vector means /api/v1/query was answered instead).
 */
export function asMatrixData(data: unknown): PromMatrixData {
  if (!isObject(data) || !Array.isArray(data.result)) {
    throw new PromResponseShapeError('bad-result', 'the answer has no data.result array');
  }
  if (data.resultType !== 'matrix') {
    throw new PromResponseShapeError('bad-result', `expected resultType "matrix" from query_range, got ${JSON.stringify(data.resultType)}`);
  }
  for (const [i, item] of data.result.entries()) {
    if (!isObject(item) || !isObject(item.metric)) throw new PromResponseShapeError('bad-result', `data.result[${i}] has no metric labels`);
    if (item.values !== undefined && !Array.isArray(item.values))
      throw new PromResponseShapeError('bad-result', `data.result[${i}].values is not an array`);
    for (const [j, pair] of ((item.values as unknown[] | undefined) ?? []).entries()) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number' || typeof pair[1] !== 'string') {
        throw new PromResponseShapeError('bad-result', `data.result[${i}].values[${j}] is not [timestamp, "value"]`);
      }
    }
  }
  return data as unknown as PromMatrixData;
}

/**
 * The float series of a matrix, values as numbers (NaN and ±Inf kept as such). Native
 * histogram samples (`histograms`, Prometheus ≥ 2.40) carry no float value and are left out.
 */
export function seriesOf(data: PromMatrixData): PromSeries[] {
  return data.result.map((item) => ({
    metric: { ...item.metric },
    points: (item.values ?? []).map(([ts, value]) => [ts, parsePromValue(value)] as [number, number]),
  }));
}

/** Prometheus' float formatting (Go strconv with 'f'/'e', plus NaN, +Inf, -Inf) → number. */
export function parsePromValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const n = Number(text);
  return Number.isNaN(n) ? NaN : n;
}

/**
 * A series as Prometheus writes it: `name{a="x",b="y"}`. Without `__name__` (results of
 * rate(), sum() …) the fallback name is used. Label values are escaped the way PromQL
 * string literals are, so the text reads back unambiguously.
 */
export function formatSeriesName(metric: Record<string, string>, fallbackName = ''): string {
  const name = metric.__name__ ?? fallbackName;
  const labels = Object.keys(metric)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}="${escapeLabelText(metric[k]!)}"`);
  return labels.length > 0 ? `${name}{${labels.join(',')}}` : name || '{}';
}

function escapeLabelText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
