/**
 * `go tool pprof -top [-nodecount=N] [-cum] [-sample_index=…] [-diff_base=…]`:
 * the trimmed function graph's nodes as table rows (google/pprof report.TextItems).
 */
import type { DecodedProfile } from './profile.js';
import {
  buildFunctionGraph,
  byCumThenName,
  byFlatThenName,
  type FunctionGraph,
  type GraphNode,
  type GraphSource,
} from './profile-graph.js';
import { selectOutputUnit } from '../core/pprof-units.js';
import { resolveSampleIndex, sampleUnit } from './profile-sample-index.js';

export interface PprofTopOptions {
  /** Sample type name (`alloc_space`, `inuse_objects`, `delay`, …) or index; default: the profile's default. */
  sampleIndex?: string | number;
  /** Order by cum instead of flat (`-cum`). */
  cum?: boolean;
  /** Keep only the first N rows (`-nodecount`); 0 or unset: all. */
  nodeCount?: number;
  /** Drop functions whose |cum| is below this fraction of the total (`-nodefraction`, default 0.005). */
  nodeFraction?: number;
  /** Subtract this profile (`-diff_base`): values become current − base, percentages are of the base total. */
  base?: DecodedProfile;
}

export interface PprofTopRow {
  func: string;
  flat: number;
  cum: number;
  flatPct: number;
  /** Running total of flat% down the table (pprof's sum%). */
  sumPct: number;
  cumPct: number;
  /** pprof's suffix: every call into the function was inlined, or only some. */
  inline?: 'inline' | 'partial-inline';
  file: string;
  startLine: number;
}

export interface PprofTop {
  rows: PprofTopRow[];
  /** The base of every percentage: Σ|value| (of the base profile's samples with a diff base). */
  total: number;
  /** Name of the chosen sample type (`cpu`, `alloc_space`, `delay` …): pprof's `Type:` line. */
  sampleType: string;
  /** Unit of the chosen sample type, lower-cased (`nanoseconds`, `bytes`, `count`). */
  unit: string;
  /** The one unit pprof prints the table's values in (report.selectOutputUnit). */
  outputUnit: string;
  sampleIndex: number;
  /** Functions dropped below the node fraction (pprof's "Dropped N nodes"). */
  droppedNodes: number;
  /** Functions left after the node fraction, before -nodecount (pprof's "Showing top N nodes out of M"). */
  origCount: number;
}

/** Σ|value| at one index: pprof's report total (computeTotal). */
function absTotal(profile: DecodedProfile, index: number): number {
  let t = 0;
  for (const s of profile.samples) t += Math.abs(s.values[index] ?? 0);
  return t;
}

/** report.TextItems: `(inline)` when some edge into the function is inline, `(partial-inline)` when others are not. */
function inlineLabels(graph: FunctionGraph): Map<number, PprofTopRow['inline']> {
  const inline = new Set<number>();
  const direct = new Set<number>();
  for (const e of graph.edges.values()) (e.inline ? inline : direct).add(e.callee);
  const labels = new Map<number, PprofTopRow['inline']>();
  for (const id of inline) labels.set(id, direct.has(id) ? 'partial-inline' : 'inline');
  return labels;
}

/** Functions kept for the table and how many fell below the node fraction. */
export interface TrimmedTopNodes {
  /** Kept nodes, sorted as the table prints them, at most nodeCount. */
  kept: GraphNode[];
  droppedNodes: number;
  /** Nodes left after the node fraction, before nodeCount cut them. */
  origCount: number;
}

/**
 * pprof's trimming (report.newTrimmedGraph) on a whole profile's function totals:
 * functions whose |cum| is below nodeFraction × |Σflat| are dropped first, then the
 * rest is sorted (by flat, or by cum with `cum`) and the first nodeCount are kept.
 */
export function trimTopNodes(
  nodes: readonly GraphNode[],
  flatSum: number,
  options: Pick<PprofTopOptions, 'cum' | 'nodeCount' | 'nodeFraction'> = {},
): TrimmedTopNodes {
  // int64(float64(totalValue) * NodeFraction), then abs: truncation toward zero.
  const cutoff = Math.abs(Math.trunc(flatSum * (options.nodeFraction ?? 0.005)));
  let keep = cutoff > 0 ? nodes.filter((n) => Math.abs(n.cum) >= cutoff) : [...nodes];
  const droppedNodes = nodes.length - keep.length;
  keep.sort(options.cum ? byCumThenName : byFlatThenName);
  const origCount = keep.length;
  if (options.nodeCount && options.nodeCount > 0) keep = keep.slice(0, options.nodeCount);
  return { kept: keep, droppedNodes, origCount };
}

/** What the table needs besides its nodes: the percentage base, the unit and the pprof-style labels. */
export interface TopTableContext {
  /** Σ|value| at the sample index (pprof computeTotal). */
  total: number;
  sampleType: string;
  unit: string;
  sampleIndex: number;
  droppedNodes: number;
  origCount: number;
  /** `(inline)` / `(partial-inline)` per node id. */
  labels: ReadonlyMap<number, PprofTopRow['inline']>;
}

/** The table rows of already trimmed nodes, in the given order, with sum% running down it. */
export function topFromNodes(nodes: readonly GraphNode[], context: TopTableContext): PprofTop {
  const { total, sampleType, unit, sampleIndex, droppedNodes, origCount, labels } = context;
  const pct = (v: number) => (total === 0 ? 0 : (Math.abs(v) / total) * 100);
  let flatSum = 0;
  const rows = nodes.map((n): PprofTopRow => {
    flatSum += n.flat;
    const inline = labels.get(n.id);
    return {
      func: n.name,
      flat: n.flat,
      cum: n.cum,
      flatPct: pct(n.flat),
      sumPct: pct(flatSum),
      cumPct: pct(n.cum),
      ...(inline ? { inline } : {}),
      file: n.file,
      startLine: n.startLine,
    };
  });
  return { rows, total, sampleType, unit, outputUnit: selectOutputUnit(nodes, total, unit), sampleIndex, droppedNodes, origCount };
}

/**
 * The rows `go tool pprof -top` prints, in its order, with its trimming (trimTopNodes);
 * the kept functions' graph is then rebuilt with edges, which give the inline labels.
 */
export function pprofTop(profile: DecodedProfile, options: PprofTopOptions = {}): PprofTop {
  const sampleIndex = resolveSampleIndex(profile, options.sampleIndex);
  const baseIndex = options.base ? resolveSampleIndex(options.base, profile.sampleTypes[sampleIndex]!.type) : 0;
  const sources: GraphSource[] = [{ profile, sampleIndex, sign: 1 }];
  if (options.base) sources.push({ profile: options.base, sampleIndex: baseIndex, sign: -1 });
  const total = options.base ? absTotal(options.base, baseIndex) : absTotal(profile, sampleIndex);
  const order = options.cum ? byCumThenName : byFlatThenName;

  let graph = buildFunctionGraph(sources);
  const { kept, droppedNodes, origCount } = trimTopNodes(graph.nodes, graph.flatSum, options);
  graph = buildFunctionGraph(sources, { keep: new Set(kept.map((n) => n.name)), edges: true });
  const nodes = [...graph.nodes].sort(order);
  const sampleType = profile.sampleTypes[sampleIndex]!.type;
  return topFromNodes(nodes, {
    total,
    sampleType,
    unit: sampleUnit(profile, sampleIndex),
    sampleIndex,
    droppedNodes,
    origCount,
    labels: inlineLabels(graph),
  });
}
