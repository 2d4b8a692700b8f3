/**
 * Escape entries → `escape` findings, one per heap site in the module, each with the
 * category that explains it (escape-category.ts).
 */
import { redactSecrets } from '../core/redact.js';
import type { Finding, Severity } from '../core/model.js';
import { explainEscape, type EscapeCategory } from './escape-category.js';
import type { EscapeEntry } from './escape-parse.js';

/** Categories worth a look in a hot path (a pattern with a usual fix); the rest are info. */
const LOW_CATEGORIES: ReadonlySet<EscapeCategory> = new Set(['interface', 'too-large', 'dynamic-size']);

/** The heap sites: a variable moved to the heap, or a value that escapes. */
export function isHeapSite(entry: EscapeEntry): boolean {
  return entry.kind === 'moved-to-heap' || entry.kind === 'escapes-to-heap';
}

/** `main.renderExport` (main package) or `example.com/svc/store.(*Store).Put`, as pprof names it. */
export function qualifiedFunc(entry: EscapeEntry): string | undefined {
  if (entry.func === undefined) return undefined;
  return `${entry.pkgIsMain ? 'main' : entry.pkg}.${entry.func}`;
}

/** `export.go:41:6` */
export function escapePosition(entry: EscapeEntry): string {
  return `${entry.file}:${entry.line}:${entry.col}`;
}

/** `b escapes to heap at export.go:41:6 (stored in an interface: argument to fmt.Fprintf)` */
export function describeEscape(entry: EscapeEntry): string {
  const what = entry.kind === 'moved-to-heap' ? `${entry.subject} moved to heap` : `${entry.subject} escapes to heap`;
  return `${what} at ${escapePosition(entry)} (${explainEscape(entry).reason})`;
}

/**
 * One finding per heap site inside the module (std and dependency sites, printed with
 * `-gcflags=all=-m`, are not the service's to fix). "does not escape", leaking-param
 * and inlining lines give none. Severity: low for interface conversions and too-large or
 * dynamically sized allocations, info otherwise. A site printed twice (an inlined body
 * reported at each call site is a different position, so only true repeats) counts once.
 */
export function escapeFindings(entries: readonly EscapeEntry[], artifactIds: number[]): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const entry of entries) {
    if (!isHeapSite(entry) || !entry.inModule) continue;
    const key = `${escapePosition(entry)}\u0000${entry.kind}\u0000${entry.subject}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const { category } = explainEscape(entry);
    const func = qualifiedFunc(entry) ?? entry.pkg;
    const severity: Severity = LOW_CATEGORIES.has(category) ? 'low' : 'info';
    findings.push({
      kind: 'escape',
      // Subjects are source expressions: a string literal may hold a token.
      title: redactSecrets(`${func}: ${describeEscape(entry)}`),
      severity,
      location: { func, file: entry.file, line: entry.line },
      metrics: { col: entry.col, flowSteps: entry.flow.length },
      detail: redactSecrets(
        [`category: ${category}`, `${escapePosition(entry)}: ${entry.message}`, ...entry.flow.map((l) => `  ${l}`)].join('\n'),
      ),
      artifactIds: [...artifactIds],
    });
  }
  return findings;
}
