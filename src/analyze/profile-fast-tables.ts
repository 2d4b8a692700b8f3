/**
 * First pass of the fast profile path: everything but the samples. Reads sample types,
 * default_sample_type, the string table (as offsets, decoded only when a name is
 * needed), functions and locations, and turns every location into the function-graph
 * node ids pprof visits for it (google/pprof internal/graph: one node per function name).
 * Field numbers: google/pprof proto/profile.proto.
 */
import { WireError, WireReader, WireType } from './profile-fast-wire.js';

/** Top-level Profile fields this pass reads. */
const F = { sampleType: 1, location: 4, function: 5, stringTable: 6, defaultSampleType: 14 } as const;

export interface FastNode {
  name: string;
  file: string;
  startLine: number;
}

export interface FastTables {
  /** Sample types as {type, unit} strings, in value order. */
  sampleTypes: { type: string; unit: string }[];
  defaultSampleIndex: number;
  nodes: FastNode[];
  /** Location slot of a location id: dense array (ids in Go profiles are 1..N). */
  slotOfId: Int32Array;
  /** Per slot: first index into locNodes and count; node ids outermost first. */
  locFirst: Int32Array;
  locCount: Int32Array;
  locNodes: Int32Array;
  /** 1 where a node is an inlined (not the outermost) frame of some location: only those can get `(inline)`. */
  inlinedSomewhere: Uint8Array;
  /** Per slot: the source line of the location's innermost frame (0 when unknown), where a leaf sample's flat lands. */
  locLeafLine: Int32Array;
}

interface RawFunction {
  name: number;
  filename: number;
  startLine: number;
}

interface RawLocation {
  id: number;
  address: number;
  /** function ids, innermost first, as in the proto. */
  funcs: number[];
  /** The innermost frame's line number (its first Line), 0 when absent. */
  leafLine: number;
}

/** Locations with ids above this many slots per location are refused rather than allocating a huge index. */
const MAX_SPARSE_FACTOR = 64;

function readFunction(r: WireReader, end: number, into: Map<number, RawFunction>): void {
  let id = 0;
  const fn: RawFunction = { name: 0, filename: 0, startLine: 0 };
  while (r.pos < end) {
    const tag = r.varint();
    const field = tag >>> 3;
    if (tag === 0x08) id = r.varint();
    else if (tag === 0x10) fn.name = r.varint();
    else if (tag === 0x20) fn.filename = r.varint();
    else if (tag === 0x28) fn.startLine = r.varint();
    else if (field > 0) r.skip(tag & 7);
    else throw new WireError(`bad tag in function at byte ${r.pos}`);
  }
  into.set(id, fn);
}

function readLocation(r: WireReader, end: number): RawLocation {
  const loc: RawLocation = { id: 0, address: 0, funcs: [], leafLine: 0 };
  while (r.pos < end) {
    const tag = r.varint();
    if (tag === 0x08) loc.id = r.varint();
    else if (tag === 0x18) loc.address = r.varint();
    else if (tag === 0x22) {
      // Line{function_id=1, line=2, column=3}: the function for -top, the innermost line for hot lines.
      const lineEnd = r.lengthEnd();
      let fid = 0;
      let line = 0;
      while (r.pos < lineEnd) {
        const t = r.varint();
        if (t === 0x08) fid = r.varint();
        else if (t === 0x10) line = r.varint();
        else r.skip(t & 7);
      }
      if (loc.funcs.length === 0) loc.leafLine = line;
      loc.funcs.push(fid);
    } else if (tag >>> 3 > 0) r.skip(tag & 7);
    else throw new WireError(`bad tag in location at byte ${r.pos}`);
  }
  return loc;
}

/**
 * Reads the non-sample parts of an un-gzipped profile.proto. Throws WireError when the
 * bytes are not a profile (string_table[0] must be "", profile.proto), or when a location
 * names a missing function.
 */
export function readFastTables(buf: Buffer): FastTables {
  const r = new WireReader(buf);
  const strStart: number[] = [];
  const strEnd: number[] = [];
  const typeRefs: [number, number][] = [];
  const functions = new Map<number, RawFunction>();
  const locations: RawLocation[] = [];
  let defaultType = 0;
  while (r.pos < r.end) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === F.stringTable && wire === WireType.bytes) {
      const end = r.lengthEnd();
      strStart.push(r.pos);
      strEnd.push(end);
      r.pos = end;
    } else if (field === F.sampleType && wire === WireType.bytes) {
      const end = r.lengthEnd();
      const ref: [number, number] = [0, 0];
      while (r.pos < end) {
        const t = r.varint();
        if (t === 0x08) ref[0] = r.varint();
        else if (t === 0x10) ref[1] = r.varint();
        else r.skip(t & 7);
      }
      typeRefs.push(ref);
    } else if (field === F.location && wire === WireType.bytes) {
      const end = r.lengthEnd();
      locations.push(readLocation(r, end));
    } else if (field === F.function && wire === WireType.bytes) {
      readFunction(r, r.lengthEnd(), functions);
    } else if (field === F.defaultSampleType && wire === WireType.varint) {
      defaultType = r.varint();
    } else if (field > 0) r.skip(wire);
    else throw new WireError(`bad tag at byte ${r.pos}`);
  }
  if (strStart.length === 0 || strEnd[0] !== strStart[0]) throw new WireError('string table does not start with ""');
  const str = (i: number) => (i >= 0 && i < strStart.length ? buf.toString('utf8', strStart[i], strEnd[i]) : '');
  const sampleTypes = typeRefs.map(([t, u]) => ({ type: str(t), unit: str(u) }));
  if (sampleTypes.length === 0) throw new WireError('no sample types');
  const defaultName = str(defaultType);
  const found = defaultName ? sampleTypes.findIndex((t) => t.type === defaultName) : -1;
  return {
    sampleTypes,
    defaultSampleIndex: found >= 0 ? found : sampleTypes.length - 1,
    ...locationNodes(locations, functions, str),
  };
}

/** Node ids per location (outermost first, the order pprof walks a location's lines), nodes keyed by function name. */
function locationNodes(
  locations: RawLocation[],
  functions: Map<number, RawFunction>,
  str: (i: number) => string,
): Omit<FastTables, 'sampleTypes' | 'defaultSampleIndex'> {
  const nodes: FastNode[] = [];
  const byName = new Map<string, number>();
  const nodeOfFunc = new Map<number, number>();
  const nodeFor = (name: string, file: string, startLine: number) => {
    let id = byName.get(name);
    if (id === undefined) {
      id = nodes.length;
      byName.set(name, id);
      nodes.push({ name, file, startLine });
    }
    return id;
  };
  let maxId = 0;
  let total = 0;
  for (const loc of locations) {
    maxId = Math.max(maxId, loc.id);
    total += Math.max(1, loc.funcs.length);
  }
  if (maxId > MAX_SPARSE_FACTOR * locations.length + 65536)
    throw new WireError(`location ids too sparse (max ${maxId} for ${locations.length})`);
  const slotOfId = new Int32Array(maxId + 1).fill(-1);
  const locFirst = new Int32Array(locations.length);
  const locCount = new Int32Array(locations.length);
  const locNodes = new Int32Array(total);
  const locLeafLine = new Int32Array(locations.length);
  const inlined: number[] = [];
  let at = 0;
  locations.forEach((loc, slot) => {
    slotOfId[loc.id] = slot;
    locFirst[slot] = at;
    locLeafLine[slot] = loc.leafLine;
    const n = loc.funcs.length;
    // Unsymbolised locations: pprof names them by address at function granularity (see profile-graph.ts).
    if (n === 0) locNodes[at++] = nodeFor(`0x${loc.address.toString(16)}`, '', 0);
    for (let i = n - 1; i >= 0; i--) {
      const fid = loc.funcs[i]!;
      let node = nodeOfFunc.get(fid);
      if (node === undefined) {
        const fn = functions.get(fid);
        if (!fn) throw new WireError(`location ${loc.id} names missing function ${fid}`);
        node = nodeFor(str(fn.name), str(fn.filename), fn.startLine);
        nodeOfFunc.set(fid, node);
      }
      // Stored outermost first: every frame after a location's first was inlined into it.
      if (i !== n - 1) inlined.push(node);
      locNodes[at++] = node;
    }
    locCount[slot] = Math.max(1, n);
  });
  const inlinedSomewhere = new Uint8Array(nodes.length);
  for (const node of inlined) inlinedSomewhere[node] = 1;
  return { nodes, slotOfId, locFirst, locCount, locNodes, inlinedSomewhere, locLeafLine };
}
