/**
 * CPU profile → `cpu-hotspot` findings for the service's own functions.
 */
import type { Finding, Severity } from '../model.js';
import { isUserFunction } from '../model.js';
import { profileTotal, topFunctions, type DecodedProfile, type TopFunctionRow } from './profile.js';

/** A user function must own at least this share of all samples (flat) to be reported. */
export const CPU_HOTSPOT_MIN_FLAT_PCT = 5;

/**
 * One `cpu-hotspot` finding per user function (isUserFunction) whose flat share is
 * ≥ 5 % of the profile's total; severity ≥ 50 % high, ≥ 20 % medium, else low.
 * Time spent in the standard library (sha256, GC, syscalls) is not reported here:
 * its user caller shows up through cum in the detail table instead.
 */
export function cpuFindings(artifactId: number, profile: DecodedProfile): Finding[] {
  const index = cpuSampleIndex(profile);
  const rows = topFunctions(profile, index);
  const toNs = nanosPerUnit(profile.sampleTypes[index]?.unit ?? '');
  const totalNs = profileTotal(profile, index) * toNs;
  const hot = rows.filter((r) => isUserFunction(r.func) && r.flatPct >= CPU_HOTSPOT_MIN_FLAT_PCT);
  const table = describeTop(rows.slice(0, 10));
  return hot.map((r) => {
    const line = hottestLine(profile, r.func, index) ?? r.startLine;
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
function cpuSampleIndex(profile: DecodedProfile): number {
  const i = profile.sampleTypes.findIndex((t) => t.type === 'cpu' && t.unit === 'nanoseconds');
  return i >= 0 ? i : profile.defaultSampleIndex;
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
  let best: number | undefined;
  let bestValue = -1;
  for (const [line, value] of byLine) {
    if (value > bestValue || (value === bestValue && line < (best ?? Infinity))) {
      best = line;
      bestValue = value;
    }
  }
  return best;
}

function describeTop(rows: readonly TopFunctionRow[]): string {
  return rows
    .map((r) => `${r.flatPct.toFixed(2).padStart(6)}% ${r.cumPct.toFixed(2).padStart(6)}%  ${r.func}`)
    .join('\n');
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
