/**
 * Two or more heap profiles of one action → `heap-growth` findings: the functions whose
 * in-use memory grew the most from the first sample to the last, like
 * `go tool pprof -sample_index=inuse_space -diff_base=first.pb.gz last.pb.gz`.
 *
 * Each sample's bytes are charged to the innermost function of the service on its stack
 * (isUserFunction), so a leak that allocates through bytes.Buffer or encoding/json is
 * named by the service function that holds on to it; stacks with no service function
 * are charged to their leaf, as pprof's flat does. The heap profile is sampled (one
 * sample per MemProfileRate = 512 KiB allocated, scaled back up by Go) and reflects the
 * heap at the last completed GC, so small differences are noise: see the thresholds.
 */
import type { Finding, Severity } from '../core/model.js';
import type { DecodedProfile, ProfileSample } from './profile.js';
import { innermostServiceLine } from './profile-service-frame.js';

/** A function's in-use bytes must grow by at least this much to be reported (well above sampling noise). */
export const HEAP_GROWTH_MIN_BYTES = 1024 * 1024;
/** …and by at least this share of the whole heap's growth, so only the main contributors show. */
export const HEAP_GROWTH_MIN_SHARE_PCT = 10;
/** At most this many findings per series, largest growth first. */
export const HEAP_GROWTH_MAX_FINDINGS = 5;

export interface HeapSample {
  artifactId: number;
  profile: DecodedProfile;
}

interface Charge {
  bytes: number;
  file: string;
  /** Bytes per source line of this function, to point at the allocating line. */
  lines: Map<number, number>;
}

/**
 * heap-growth findings between the first and the last of `samples` (in the order given:
 * the caller passes them in artifact id order). Fewer than two samples give none.
 * Severity: the function's growth as a share of the first sample's whole in-use heap —
 * ≥ 100 % high, ≥ 25 % medium, else low.
 */
export function heapGrowthFindings(samples: readonly HeapSample[]): Finding[] {
  if (samples.length < 2) return [];
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const before = chargeInuse(first.profile);
  const after = chargeInuse(last.profile);
  const totalBefore = sum(before);
  const totalAfter = sum(after);
  const growth = [...new Set([...before.keys(), ...after.keys()])]
    .map((func) => ({ func, before: before.get(func)?.bytes ?? 0, after: after.get(func)?.bytes ?? 0, charge: after.get(func) }))
    .map((row) => ({ ...row, delta: row.after - row.before }))
    .sort((a, b) => b.delta - a.delta || (a.func < b.func ? -1 : 1));
  const grown = growth.reduce((n, r) => n + Math.max(0, r.delta), 0);
  const seconds = (last.profile.timeNanos - first.profile.timeNanos) / 1e9;
  const table = growth
    .slice(0, 10)
    .map((r) => `${formatDelta(r.delta).padStart(11)}  ${formatMiB(r.before).padStart(9)} → ${formatMiB(r.after).padStart(9)}  ${r.func}`)
    .join('\n');

  return growth
    .filter((r) => r.delta >= HEAP_GROWTH_MIN_BYTES && (r.delta / grown) * 100 >= HEAP_GROWTH_MIN_SHARE_PCT)
    .slice(0, HEAP_GROWTH_MAX_FINDINGS)
    .map((r) => {
      const share = totalBefore > 0 ? (r.delta / totalBefore) * 100 : Infinity;
      return {
        kind: 'heap-growth',
        title: `Heap growth: ${r.func} holds ${formatMiB(r.delta)} more in use (${formatMiB(r.before)} → ${formatMiB(r.after)})${seconds > 0 ? ` over ${seconds.toFixed(0)} s` : ''}`,
        severity: growthSeverity(share),
        location: { func: r.func, file: r.charge?.file || undefined, line: busiestLine(r.charge) },
        metrics: {
          growthBytes: Math.round(r.delta),
          beforeBytes: Math.round(r.before),
          afterBytes: Math.round(r.after),
          heapBeforeBytes: Math.round(totalBefore),
          heapAfterBytes: Math.round(totalAfter),
          sharePct: round2((r.delta / grown) * 100),
          samples: samples.length,
        },
        detail: `In-use bytes by function, first → last of ${samples.length} heap samples (growth, before → after):\n${table}`,
        artifactIds: samples.map((s) => s.artifactId),
      } satisfies Finding;
    });
}

/** In-use bytes per charged function. */
function chargeInuse(profile: DecodedProfile): Map<string, Charge> {
  // Go heap profiles carry alloc_objects, alloc_space, inuse_objects, inuse_space.
  const index = profile.sampleTypes.findIndex((t) => t.type === 'inuse_space');
  if (index < 0)
    throw new Error(`not a heap profile: no inuse_space sample type (has ${profile.sampleTypes.map((t) => t.type).join(', ')})`);
  const charges = new Map<string, Charge>();
  for (const sample of profile.samples) {
    const bytes = sample.values[index] ?? 0;
    if (bytes === 0) continue;
    const frame = chargedFrame(sample);
    if (!frame) continue;
    let charge = charges.get(frame.func);
    if (!charge) {
      charge = { bytes: 0, file: frame.file, lines: new Map() };
      charges.set(frame.func, charge);
    }
    charge.bytes += bytes;
    if (frame.line > 0) charge.lines.set(frame.line, (charge.lines.get(frame.line) ?? 0) + bytes);
  }
  return charges;
}

/** The innermost service frame of a sample (inlined frames included), else its leaf. */
function chargedFrame(sample: ProfileSample): { func: string; file: string; line: number } | undefined {
  const charged = innermostServiceLine(sample) ?? sample.locations[0]?.lines[0];
  return charged && { func: charged.func.name, file: charged.func.filename, line: charged.line };
}

function busiestLine(charge: Charge | undefined): number | undefined {
  let best: number | undefined;
  let bestBytes = -1;
  for (const [line, bytes] of charge?.lines ?? []) {
    if (bytes > bestBytes) {
      best = line;
      bestBytes = bytes;
    }
  }
  return best;
}

function growthSeverity(sharePctOfHeap: number): Severity {
  if (sharePctOfHeap >= 100) return 'high';
  if (sharePctOfHeap >= 25) return 'medium';
  return 'low';
}

function sum(charges: Map<string, Charge>): number {
  let total = 0;
  for (const c of charges.values()) total += c.bytes;
  return total;
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function formatDelta(bytes: number): string {
  return `${bytes >= 0 ? '+' : '-'}${formatMiB(Math.abs(bytes))}`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
