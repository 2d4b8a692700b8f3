/**
 * CPU profile → `cpu-hotspot` findings for the service's own functions.
 */
import type { Finding, Severity } from '../core/model.js';
import { isUserFunction } from '../core/model.js';
import {
  malformedProfileError,
  profileTotal,
  readProfileProto,
  topFunctions,
  type DecodedProfile,
  type TopFunctionRow,
} from './profile.js';
import { fastHottestLines, fastTopFunctions, hottestOf } from './profile-fast-functions.js';
import { readFastTables } from './profile-fast-tables.js';

/** A user function must own at least this share of all samples (flat) to be reported. */
export const CPU_HOTSPOT_MIN_FLAT_PCT = 5;

/**
 * One `cpu-hotspot` finding per user function (isUserFunction) whose flat share is
 * ≥ 5 % of the profile's total; severity ≥ 50 % high, ≥ 20 % medium, else low.
 * Time spent in the standard library (sha256, GC, syscalls) is not reported here:
 * its user caller shows up through cum in the detail table instead.
 */
export function cpuFindings(artifactId: number, profile: DecodedProfile): Finding[] {
  const index = cpuSampleIndex(profile.sampleTypes, profile.defaultSampleIndex);
  return findingsOf(artifactId, {
    rows: topFunctions(profile, index),
    total: profileTotal(profile, index),
    unit: profile.sampleTypes[index]?.unit ?? '',
    hottestLines: (funcs) =>
      new Map(
        funcs.flatMap((f) => {
          const line = hottestLine(profile, f, index);
          return line === undefined ? [] : [[f, line] as const];
        }),
      ),
  });
}

/**
 * {@link cpuFindings} of a profile file, read by streaming over its bytes: a large CPU profile
 * is never decoded into objects. Throws ToolError naming the file when it is not a profile.
 */
export async function cpuFindingsFromFile(artifactId: number, path: string): Promise<Finding[]> {
  const proto = await readProfileProto(path);
  try {
    const tables = readFastTables(proto);
    const index = cpuSampleIndex(tables.sampleTypes, tables.defaultSampleIndex);
    const { rows, total } = fastTopFunctions(proto, tables, index);
    return findingsOf(artifactId, {
      rows,
      total,
      unit: tables.sampleTypes[index]?.unit ?? '',
      hottestLines: (funcs) => fastHottestLines(proto, tables, index, funcs),
    });
  } catch (err) {
    throw malformedProfileError(path, err);
  }
}

/** What the findings are made of, whichever reader produced it. */
interface CpuView {
  /** topFunctions' rows at the CPU sample index. */
  rows: TopFunctionRow[];
  /** Σ|value| at that index. */
  total: number;
  unit: string;
  /** The hottest source line of each of these functions that has one. */
  hottestLines: (funcs: string[]) => Map<string, number>;
}

function findingsOf(artifactId: number, view: CpuView): Finding[] {
  const { rows } = view;
  const toNs = nanosPerUnit(view.unit);
  const totalNs = view.total * toNs;
  const hot = rows.filter((r) => isUserFunction(r.func) && r.flatPct >= CPU_HOTSPOT_MIN_FLAT_PCT);
  const table = describeTop(rows.slice(0, 10));
  const lines = hot.length > 0 ? view.hottestLines(hot.map((r) => r.func)) : new Map<string, number>();
  return hot.map((r) => {
    const line = lines.get(r.func) ?? r.startLine;
    return {
      kind: 'cpu-hotspot',
      title: `CPU hotspot: ${r.func} uses ${r.flatPct.toFixed(1)}% of CPU samples (flat)`,
      severity: hotspotSeverity(r.flatPct),
      location: { func: r.func, file: r.file || undefined, line: line || undefined },
      metrics: {
        flatPct: round2(r.flatPct),
        cumPct: round2(r.cumPct),
        flatNs: Math.round(r.flat * toNs),
        totalNs: Math.round(totalNs),
      },
      detail: `Top functions (flat, cum):\n${table}`,
      artifactIds: [artifactId],
    } satisfies Finding;
  });
}

function hotspotSeverity(flatPct: number): Severity {
  if (flatPct >= 50) return 'high';
  if (flatPct >= 20) return 'medium';
  return 'low';
}

/**
 * The `cpu/nanoseconds` value of a Go CPU profile (runtime/pprof writes
 * `samples/count, cpu/nanoseconds`); other profiles fall back to their default.
 */
function cpuSampleIndex(sampleTypes: readonly { type: string; unit: string }[], defaultIndex: number): number {
  const i = sampleTypes.findIndex((t) => t.type === 'cpu' && t.unit === 'nanoseconds');
  return i >= 0 ? i : defaultIndex;
}

function nanosPerUnit(unit: string): number {
  const scale: Record<string, number> = { nanoseconds: 1, microseconds: 1e3, milliseconds: 1e6, seconds: 1e9 };
  return scale[unit] ?? 1;
}

/** The source line of `func` that leaf samples hit most (flat by line). */
export function hottestLine(profile: DecodedProfile, func: string, sampleIndex = profile.defaultSampleIndex): number | undefined {
  const byLine = new Map<number, number>();
  for (const s of profile.samples) {
    const top = s.locations[0]?.lines[0];
    if (!top || top.func.name !== func || top.line <= 0) continue;
    byLine.set(top.line, (byLine.get(top.line) ?? 0) + Math.abs(s.values[sampleIndex] ?? 0));
  }
  return hottestOf(byLine);
}

function describeTop(rows: readonly TopFunctionRow[]): string {
  return rows.map((r) => `${r.flatPct.toFixed(2).padStart(6)}% ${r.cumPct.toFixed(2).padStart(6)}%  ${r.func}`).join('\n');
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
