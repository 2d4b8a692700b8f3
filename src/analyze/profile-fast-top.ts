/**
 * `go tool pprof -top` for large profiles: the same rows as pprofTop (profile-top.ts),
 * computed while streaming over the proto bytes instead of decoding every sample into
 * objects. Flat and cum are summed per function during one pass over the samples; the
 * trimming and the table come from profile-top.ts, so the semantics are shared. A second
 * pass over the samples runs only when a kept function was inlined somewhere, because
 * only then can pprof label it `(inline)` / `(partial-inline)`.
 */
import { malformedProfileError, readProfileProto, type DecodedProfile } from './profile.js';
import type { GraphNode } from './profile-graph.js';
import { fastFlatCum } from './profile-fast-functions.js';
import { readFastTables, type FastTables } from './profile-fast-tables.js';
import { SampleScanner } from './profile-fast-samples.js';
import { MAX_STREAMED_PROFILE_BYTES } from './profile-fast-wire.js';
import { resolveSampleIndex, sampleUnit } from './profile-sample-index.js';
import { topFromNodes, trimTopNodes, type PprofTop, type PprofTopOptions, type PprofTopRow } from './profile-top.js';

/** pprofTop's options without a diff base (a diff needs both profiles' graphs; use pprofTop). */
export type FastTopOptions = Omit<PprofTopOptions, 'base'>;

/**
 * The `(inline)` / `(partial-inline)` labels of the kept nodes, from the caller→callee
 * edges among kept functions exactly as buildFunctionGraph draws them with `keep`:
 * frames of other functions are skipped, each edge counts once per sample, and an edge
 * is inline only when every sample crossing it crossed an inlined call.
 */
function inlineLabelsOfKept(buf: Buffer, tables: FastTables, sampleIndex: number, kept: Uint8Array): Map<number, PprofTopRow['inline']> {
  const n = tables.nodes.length;
  const { locFirst, locCount, locNodes } = tables;
  const edges = new Map<number, { inline: boolean; stamp: number }>();
  const scan = new SampleScanner(buf, tables.slotOfId, sampleIndex, tables.sampleTypes.length);
  while (scan.next()) {
    if (scan.value === 0) continue;
    const s = scan.index;
    let parent = -1;
    for (let i = scan.count - 1; i >= 0; i--) {
      const slot = scan.slots[i]!;
      const first = locFirst[slot]!;
      const end = first + locCount[slot]!;
      for (let k = first; k < end; k++) {
        const id = locNodes[k]!;
        if (kept[id] === 0) continue;
        if (parent >= 0 && parent !== id) {
          const key = parent * n + id;
          const inline = k !== first;
          const edge = edges.get(key);
          if (!edge) edges.set(key, { inline, stamp: s });
          else if (edge.stamp !== s) {
            edge.stamp = s;
            if (!inline) edge.inline = false;
          }
        }
        parent = id;
      }
    }
  }
  const inline = new Set<number>();
  const direct = new Set<number>();
  for (const [key, edge] of edges) (edge.inline ? inline : direct).add(key % n);
  const labels = new Map<number, PprofTopRow['inline']>();
  for (const id of inline) labels.set(id, direct.has(id) ? 'partial-inline' : 'inline');
  return labels;
}

/** Only what resolveSampleIndex and sampleUnit read: the sample types and the default. */
function profileHeader(tables: FastTables): DecodedProfile {
  return {
    sampleTypes: tables.sampleTypes,
    defaultSampleIndex: tables.defaultSampleIndex,
    samples: [],
    period: 0,
    timeNanos: 0,
    durationNanos: 0,
  };
}

/**
 * pprofTop's result from an un-gzipped profile.proto, without decoding it into objects.
 * Throws WireError for malformed bytes and UsageError for an unknown sample index.
 */
export function fastPprofTopFromProto(proto: Buffer, options: FastTopOptions = {}): PprofTop {
  const tables = readFastTables(proto);
  const header = profileHeader(tables);
  const sampleIndex = resolveSampleIndex(header, options.sampleIndex);
  const totals = fastFlatCum(proto, tables, sampleIndex);
  const nodes: GraphNode[] = [];
  tables.nodes.forEach((node, id) => {
    const flat = totals.flat[id]!;
    const cum = totals.cum[id]!;
    if (flat !== 0 || cum !== 0) nodes.push({ id, name: node.name, file: node.file, startLine: node.startLine, flat, cum });
  });
  const { kept, droppedNodes, origCount } = trimTopNodes(nodes, totals.flatSum, options);
  const keptMask = new Uint8Array(tables.nodes.length);
  let mayBeInline = false;
  for (const node of kept) {
    keptMask[node.id] = 1;
    if (tables.inlinedSomewhere[node.id] === 1) mayBeInline = true;
  }
  const labels = mayBeInline ? inlineLabelsOfKept(proto, tables, sampleIndex, keptMask) : new Map<number, PprofTopRow['inline']>();
  const sampleType = header.sampleTypes[sampleIndex]!.type;
  return topFromNodes(kept, {
    total: totals.total,
    sampleType,
    unit: sampleUnit(header, sampleIndex),
    sampleIndex,
    droppedNodes,
    origCount,
    labels,
  });
}

/**
 * `go tool pprof -top` rows of a profile file (gzip-compressed as Go writes them, or raw
 * profile.proto), equal to pprofTop(await decodeProfileFile(path), options) and several
 * times faster on large profiles. Throws ToolError naming the file when it is not a profile.
 */
export async function fastPprofTopFile(path: string, options: FastTopOptions = {}): Promise<PprofTop> {
  const bytes = await readProfileProto(path, MAX_STREAMED_PROFILE_BYTES);
  try {
    return fastPprofTopFromProto(bytes, options);
  } catch (err) {
    throw malformedProfileError(path, err);
  }
}
