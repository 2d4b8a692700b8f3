/**
 * Joins escape analysis with a heap profile: for the service functions that allocate the
 * most, the escape sites inside them say why those values live on the heap. A function is
 * charged for what it allocates itself and for what the library code it calls allocates
 * for it (profile-service-frame.ts: `go tool pprof -sample_index=alloc_space
 * -show='<service functions>' -top`): a handler that builds its reply in a bytes.Buffer
 * is the one to explain, though the bytes are flat in bytes.(*Buffer).grow.
 */
import { redactSecrets } from '../core/redact.js';
import type { Finding } from '../core/model.js';
import { describeEscape, isHeapSite } from './escape-findings.js';
import type { EscapeEntry } from './escape-parse.js';
import type { DecodedProfile } from './profile.js';
import { serviceCharges } from './profile-service-frame.js';

export interface ExplainAllocationsOptions {
  /** Sample type to rank by. Default `alloc_space` (falls back to the profile's default type). */
  sampleType?: string;
  /** How many of the hottest service functions to explain. Default 5. */
  top?: number;
  /** Ignore functions below this share of the total. Default 1 (%). */
  minPct?: number;
  /** Artifacts the findings point at (the escape output and the profile). */
  artifactIds?: number[];
}

/**
 * One `escape` finding (severity low) per hot service function that has heap sites, e.g.
 * `main.renderExport allocates 38% of alloc_space (itself and through the calls it makes);
 * b escapes to heap at export.go:41:6 (stored in an interface: argument to fmt.Fprintf)`.
 * Functions are matched by name:
 * pprof prints `main.f` for a main package and `<import path>.f` otherwise, and an
 * inlined function keeps its own frame name in the profile, so its sites still match.
 */
export function explainAllocations(
  entries: readonly EscapeEntry[],
  profile: DecodedProfile,
  options: ExplainAllocationsOptions = {},
): Finding[] {
  const sampleType = options.sampleType ?? 'alloc_space';
  const found = profile.sampleTypes.findIndex((t) => t.type === sampleType);
  const index = found >= 0 ? found : profile.defaultSampleIndex;
  const typeName = profile.sampleTypes[index]?.type ?? sampleType;
  const sites = entries.filter((e) => isHeapSite(e) && e.inModule && e.func !== undefined);

  const rows = serviceCharges(profile, index)
    .filter((r) => r.value > 0 && r.pct >= (options.minPct ?? 1))
    .slice(0, options.top ?? 5);
  const findings: Finding[] = [];
  for (const row of rows) {
    const inside = uniqueSites(sites.filter((e) => matchesProfileFunction(e, row.func)));
    if (inside.length === 0) continue;
    const first = inside[0]!;
    findings.push({
      kind: 'escape',
      title: redactSecrets(
        `${row.func} allocates ${formatPct(row.pct)} of ${typeName} (itself and through the calls it makes); ${describeEscape(first)}${inside.length > 1 ? ` (+${inside.length - 1} more)` : ''}`,
      ),
      severity: 'low',
      location: { func: row.func, file: first.file, line: first.line },
      metrics: { allocPct: Math.round(row.pct * 100) / 100, allocBytes: row.value, sites: inside.length },
      detail: redactSecrets(inside.map((e) => describeEscape(e)).join('\n')),
      artifactIds: [...(options.artifactIds ?? [])],
    });
  }
  return findings;
}

/** Splits a pprof function name into package path and package-relative name. */
export function splitFuncName(name: string): { pkg: string; rel: string } {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  return dot < 0 ? { pkg: '', rel: name } : { pkg: name.slice(0, dot), rel: name.slice(dot + 1) };
}

function matchesProfileFunction(entry: EscapeEntry, profileFunc: string): boolean {
  const { pkg, rel } = splitFuncName(profileFunc);
  if (rel !== entry.func) return false;
  return pkg === entry.pkg || (pkg === 'main' && entry.pkgIsMain);
}

/** An inlined body is reported at each call site; keep each position once, in file order. */
function uniqueSites(entries: EscapeEntry[]): EscapeEntry[] {
  const byPos = new Map<string, EscapeEntry>();
  for (const e of entries) {
    const key = `${e.file}:${e.line}:${e.col}:${e.subject}`;
    if (!byPos.has(key)) byPos.set(key, e);
  }
  return [...byPos.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
}

function formatPct(pct: number): string {
  return `${pct >= 10 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}
