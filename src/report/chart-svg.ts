/**
 * A static line chart as a self-contained SVG (no scripts, no external fonts or
 * stylesheets, no dependencies), for metric series in the postmortem.
 *
 * Series names come from label values, which anyone who can set a label controls, so
 * every piece of text goes through escapeXml; nothing from the data becomes markup.
 */

export interface ChartSeries {
  name: string;
  /** `[unix seconds, value]`, in time order. NaN and ±Infinity break the line. */
  points: [number, number][];
}

export interface LineChartOptions {
  title: string;
  /** Unit of the values: `bytes` and `seconds` become B and s with SI prefixes; anything else is appended as written. */
  unit?: string;
  series: ChartSeries[];
  /** Total width in px (default 720). */
  width?: number;
  /** Height of the plot with its axes in px (default 320); the legend adds rows below. */
  height?: number;
  /** Series drawn at most (default 8, one per palette colour); the legend says how many were left out. */
  maxSeries?: number;
}

/** Tableau 10's first eight: distinct on white, and mostly distinguishable with colour-blindness. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7'];
const MARGIN = { left: 72, right: 20, top: 34, bottom: 40 };
const LEGEND_ROW = 16;
const MAX_TEXT = 110;

/** Renders the chart. Never throws for odd data: empty or all-NaN series give an empty plot saying "no data". */
export function renderLineChartSvg(options: LineChartOptions): string {
  const width = Math.max(240, Math.round(options.width ?? 720));
  const plotHeight = Math.max(160, Math.round(options.height ?? 320));
  const maxSeries = Math.max(1, options.maxSeries ?? PALETTE.length);
  const drawn = options.series.slice(0, maxSeries);
  const leftOut = options.series.length - drawn.length;
  const legendRows = drawn.length + (leftOut > 0 ? 1 : 0);
  const height = plotHeight + legendRows * LEGEND_ROW + 8;
  const box = { x0: MARGIN.left, x1: width - MARGIN.right, y0: MARGIN.top, y1: plotHeight - MARGIN.bottom };

  const finite = drawn.flatMap((s) => s.points.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v)));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" role="img">`,
    `<title>${escapeXml(clip(options.title))}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(clip(options.title))}</text>`,
  );
  if (finite.length === 0) {
    parts.push(
      axesFrame(box),
      `<text x="${(box.x0 + box.x1) / 2}" y="${(box.y0 + box.y1) / 2}" text-anchor="middle" fill="#666666">no data in the window</text>`,
    );
  } else {
    const xs = domainOf(
      finite.map(([t]) => t),
      60,
    );
    const values = rangeOf(finite.map(([, v]) => v));
    const yTicks = niceTicks(values.min, values.max, 5);
    const ys = { min: yTicks[0]!, max: yTicks[yTicks.length - 1]! };
    const sx = (t: number) => box.x0 + ((t - xs.min) / (xs.max - xs.min)) * (box.x1 - box.x0);
    const sy = (v: number) => box.y1 - ((v - ys.min) / (ys.max - ys.min)) * (box.y1 - box.y0);
    parts.push(yAxis(box, yTicks, sy, options.unit), xAxis(box, xs, sx), axesFrame(box));
    drawn.forEach((series, i) => parts.push(seriesMarkup(series, PALETTE[i % PALETTE.length]!, sx, sy)));
  }
  parts.push(legend(drawn, leftOut, plotHeight), '</svg>');
  return parts.join('\n') + '\n';
}

/** One `<g>` per series: a polyline per unbroken run, a dot for a lone point. */
function seriesMarkup(series: ChartSeries, colour: string, sx: (t: number) => number, sy: (v: number) => number): string {
  const runs = splitRuns(series.points);
  const shapes = runs.map((run) =>
    run.length === 1
      ? `<circle cx="${fmt(sx(run[0]![0]))}" cy="${fmt(sy(run[0]![1]))}" r="2" fill="${colour}"/>`
      : `<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${run.map(([t, v]) => `${fmt(sx(t))},${fmt(sy(v))}`).join(' ')}"/>`,
  );
  return `<g class="series" data-name="${escapeXml(clip(series.name))}">${shapes.join('')}</g>`;
}

/**
 * Splits points into runs to draw unbroken: a NaN or infinite value ends a run, and so does
 * a time gap over 1.5× the usual spacing (a range query leaves out steps where the series
 * had no sample, e.g. while a target was down).
 */
export function splitRuns(points: readonly [number, number][]): [number, number][][] {
  const gaps = points
    .slice(1)
    .map(([t], i) => t - points[i]![0])
    .filter((d) => d > 0)
    .sort((a, b) => a - b);
  const usual = gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)]! : Infinity;
  const runs: [number, number][][] = [];
  let run: [number, number][] = [];
  let previous: number | undefined;
  for (const [t, v] of points) {
    const ok = Number.isFinite(t) && Number.isFinite(v);
    if (!ok || (previous !== undefined && t - previous > usual * 1.5)) {
      if (run.length > 0) runs.push(run);
      run = [];
    }
    if (ok) {
      run.push([t, v]);
      previous = t;
    } else {
      previous = undefined;
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function yAxis(box: Box, ticks: number[], sy: (v: number) => number, unit?: string): string {
  return ticks
    .map((v) => {
      const y = fmt(sy(v));
      return `<line x1="${box.x0}" y1="${y}" x2="${box.x1}" y2="${y}" stroke="#e5e5e5"/><text x="${box.x0 - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatSi(v, unit))}</text>`;
    })
    .join('\n');
}

function xAxis(box: Box, xs: { min: number; max: number }, sx: (t: number) => number): string {
  const { ticks, withSeconds } = timeTicks(xs.min, xs.max, 7);
  const labels = ticks.map((t) => {
    const x = fmt(sx(t));
    return `<line x1="${x}" y1="${box.y1}" x2="${x}" y2="${box.y1 + 4}" stroke="#333333"/><text x="${x}" y="${box.y1 + 16}" text-anchor="middle">${formatUtcClock(t, withSeconds)}</text>`;
  });
  const from = new Date(xs.min * 1000).toISOString().slice(0, 16).replace('T', ' ');
  const to = new Date(xs.max * 1000).toISOString().slice(0, 16).replace('T', ' ');
  labels.push(
    `<text x="${(box.x0 + box.x1) / 2}" y="${box.y1 + 32}" text-anchor="middle" fill="#555555">time (UTC), ${from} to ${to}</text>`,
  );
  return labels.join('\n');
}

function axesFrame(box: Box): string {
  return `<polyline fill="none" stroke="#333333" points="${box.x0},${box.y0} ${box.x0},${box.y1} ${box.x1},${box.y1}" class="axis"/>`;
}

function legend(drawn: ChartSeries[], leftOut: number, top: number): string {
  const rows = drawn.map(
    (s, i) =>
      `<rect x="${MARGIN.left}" y="${top + i * LEGEND_ROW}" width="12" height="3" fill="${PALETTE[i % PALETTE.length]}"/><text x="${MARGIN.left + 18}" y="${top + i * LEGEND_ROW + 4}" dominant-baseline="middle">${escapeXml(clip(s.name))}</text>`,
  );
  if (leftOut > 0)
    rows.push(
      `<text x="${MARGIN.left}" y="${top + drawn.length * LEGEND_ROW + 4}" dominant-baseline="middle" fill="#555555">… and ${leftOut} more series not drawn</text>`,
    );
  return `<g class="legend">${rows.join('\n')}</g>`;
}

type Box = { x0: number; x1: number; y0: number; y1: number };

function domainOf(values: number[], pad: number): { min: number; max: number } {
  const { min, max } = rangeOf(values);
  return min === max ? { min: min - pad, max: max + pad } : { min, max };
}

/** Min and max by a loop: Math.min(...values) overflows the call stack for ~100k points. */
function rangeOf(values: number[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/**
 * About `count` evenly spaced round values (1, 2, 2.5 or 5 × 10^n apart) covering [min, max].
 * A flat series gets a band around its value.
 */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const rough = (max - min) / Math.max(1, count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  if (!(step > 0) || !Number.isFinite(step)) return [min, max]; // denormal or overflowing ranges: no round ticks exist
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  // Rounding to the step's precision keeps 0.1 + 0.2 from printing as 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let v = first; v < max + step * 0.999 && ticks.length < 50; v += step) ticks.push(Number(v.toFixed(Math.min(20, decimals))));
  return ticks.length >= 2 ? ticks : [first, first + step];
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** Tick times at a round interval (aligned to UTC, which unix time is) with at most `maxTicks` in [start, end]. */
export function timeTicks(start: number, end: number, maxTicks: number): { ticks: number[]; withSeconds: boolean } {
  const span = end - start;
  const interval = TIME_STEPS.find((s) => span / s <= maxTicks - 1) ?? Math.ceil(span / (maxTicks - 1) / 86400) * 86400;
  const ticks: number[] = [];
  for (let t = Math.ceil(start / interval) * interval; t <= end; t += interval) ticks.push(t);
  return { ticks, withSeconds: interval < 60 };
}

/** Unix seconds → `HH:MM` (or `HH:MM:SS`) in UTC. */
export function formatUtcClock(t: number, withSeconds = false): string {
  const iso = new Date(Math.round(t) * 1000).toISOString();
  return iso.slice(11, withSeconds ? 19 : 16);
}

const SI = [
  { factor: 1e12, prefix: 'T' },
  { factor: 1e9, prefix: 'G' },
  { factor: 1e6, prefix: 'M' },
  { factor: 1e3, prefix: 'k' },
  { factor: 1, prefix: '' },
  { factor: 1e-3, prefix: 'm' },
  { factor: 1e-6, prefix: 'µ' },
  { factor: 1e-9, prefix: 'n' },
];
const UNIT_SYMBOLS: Record<string, string> = { bytes: 'B', byte: 'B', seconds: 's', second: 's' };

/** `1500000, 'bytes'` → `1.5 MB`; `0.25, 'seconds'` → `250 ms`; `12000` → `12k`. At most 3 significant digits. */
export function formatSi(value: number, unit?: string): string {
  const symbol = unit ? (UNIT_SYMBOLS[unit] ?? unit) : '';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const scale = abs === 0 ? SI[4]! : (SI.find((s) => abs >= s.factor * 0.9995) ?? SI[SI.length - 1]!);
  const number = String(Number((value / scale.factor).toPrecision(3)));
  const suffix = `${scale.prefix}${symbol}`;
  if (suffix === '') return number;
  return symbol ? `${number} ${suffix}` : `${number}${suffix}`;
}

/** Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML content and attribute values; characters XML cannot hold become U+FFFD. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** One line, at most MAX_TEXT characters (label values can be anything, including whole stack traces). */
function clip(text: string): string {
  const line = text.replace(/[\r\n\t]+/g, ' ');
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT - 1)}…` : line;
}

function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
}
