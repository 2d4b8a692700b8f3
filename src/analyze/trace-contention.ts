/**
 * Delay profiles → `contention` findings. A delay profile has sample types
 * `contentions/count, delay/nanoseconds`: `go tool trace -pprof=sync|sched|syscall|net`
 * writes one per kind, and runtime/pprof writes the mutex and block profiles that way.
 * Delay is charged to the service function that waited (the first user frame from the
 * leaf), split by what it waited on (the leaf frame: sync.(*Mutex).Lock, runtime.chanrecv1 …).
 */
import type { Finding, Severity } from '../core/model.js';
import { isUserFunction } from '../core/model.js';
import type { DecodedProfile, ProfileSample } from './profile.js';
import { profileTotal } from './profile.js';

/** Where a delay profile came from; it decides how a finding reads. */
export type DelaySource = 'sync' | 'sched' | 'syscall' | 'net' | 'mutex' | 'block';

export interface DelayFindingOptions {
  /** An entry must hold at least this share of the profile's delay. Default 5 (%). */
  minDelayPct?: number;
  /** Entries reported per profile, largest first. Default 5. */
  maxFindings?: number;
}

interface DelayEntry {
  func: string;
  file: string;
  line: number;
  /** The leaf frame: the call that blocked (or, for mutex, the Unlock that ended the wait). */
  op: string;
  delayNs: number;
  contentions: number;
  /** The stack of the sample with the largest delay, innermost first. */
  stack: string[];
  stackDelay: number;
}

/**
 * One `contention` finding per (user function, blocking call) holding ≥ minDelayPct of the
 * profile's total delay, at most maxFindings, largest first; for `sched` also one finding
 * for the whole scheduler latency. Severity: ≥ 50 % of the delay high, ≥ 20 % medium,
 * else low. Samples without any service frame (runtime-only goroutines such as the
 * profiler's reader) count towards the total but get no finding of their own.
 * Metrics: delayNs, delayPct, contentions, totalDelayNs.
 */
export function delayFindings(
  artifactId: number,
  profile: DecodedProfile,
  source: DelaySource,
  options: DelayFindingOptions = {},
): Finding[] {
  const delayIndex = profile.sampleTypes.findIndex((t) => t.type === 'delay');
  const countIndex = profile.sampleTypes.findIndex((t) => t.type === 'contentions');
  if (delayIndex < 0) return [];
  const total = profileTotal(profile, delayIndex);
  if (total === 0) return [];
  const minPct = options.minDelayPct ?? 5;
  const entries = [...collectEntries(profile, delayIndex, countIndex).values()]
    .sort((a, b) => b.delayNs - a.delayNs)
    .filter((e) => (e.delayNs / total) * 100 >= minPct)
    .slice(0, options.maxFindings ?? 5);
  const findings: Finding[] = entries.map((e) => {
    const pct = (e.delayNs / total) * 100;
    return {
      kind: 'contention',
      title: describeEntry(source, e, pct),
      severity: delaySeverity(pct),
      location: { func: e.func, file: e.file || undefined, line: e.line || undefined },
      metrics: { delayNs: Math.round(e.delayNs), delayPct: round2(pct), contentions: e.contentions, totalDelayNs: Math.round(total) },
      detail: `${SOURCE_NAMES[source]}: ${formatDuration(e.delayNs)} in ${e.contentions} event(s) at ${e.op}\nstack of the longest wait (innermost first):\n${e.stack.map((f) => `  ${f}`).join('\n')}`,
      artifactIds: [artifactId],
    } satisfies Finding;
  });
  if (source === 'sched') findings.unshift(schedulerLatencyFinding(artifactId, profile, countIndex, total));
  return findings;
}

const SOURCE_NAMES: Record<DelaySource, string> = {
  sync: 'synchronization blocking (go tool trace -pprof=sync)',
  sched: 'scheduler latency (go tool trace -pprof=sched)',
  syscall: 'system calls (go tool trace -pprof=syscall)',
  net: 'network blocking (go tool trace -pprof=net)',
  mutex: 'mutex profile',
  block: 'block profile',
};

function collectEntries(profile: DecodedProfile, delayIndex: number, countIndex: number): Map<string, DelayEntry> {
  const entries = new Map<string, DelayEntry>();
  for (const sample of profile.samples) {
    const delay = sample.values[delayIndex] ?? 0;
    if (delay === 0) continue;
    const frames = frameList(sample);
    const user = frames.find((f) => isUserFunction(f.func));
    if (!user) continue;
    const op = frames[0]?.func ?? '?';
    const key = `${user.func}\u0000${op}`;
    let entry = entries.get(key);
    if (!entry) {
      entry = { func: user.func, file: user.file, line: user.line, op, delayNs: 0, contentions: 0, stack: [], stackDelay: -1 };
      entries.set(key, entry);
    }
    entry.delayNs += delay;
    entry.contentions += countIndex >= 0 ? (sample.values[countIndex] ?? 0) : 0;
    if (delay > entry.stackDelay) {
      // The line of the longest wait is the one worth opening in an editor.
      entry.stackDelay = delay;
      entry.line = user.line;
      entry.stack = frames.slice(0, 12).map((f) => `${f.func} ${f.file}:${f.line}`);
    }
  }
  return entries;
}

/** Every frame of a sample, innermost first, inlined frames included. */
function frameList(sample: ProfileSample): { func: string; file: string; line: number }[] {
  const frames: { func: string; file: string; line: number }[] = [];
  for (const loc of sample.locations) {
    for (const l of loc.lines) frames.push({ func: l.func.name, file: l.func.filename, line: l.line });
    if (loc.lines.length === 0) frames.push({ func: `0x${loc.address.toString(16)}`, file: '', line: 0 });
  }
  return frames;
}

function describeEntry(source: DelaySource, e: DelayEntry, pct: number): string {
  const d = formatDuration(e.delayNs);
  const share = `${pct.toFixed(1)}%`;
  switch (source) {
    case 'sync':
      return `${e.func} blocked ${d} on ${e.op} (${share} of sync blocking in the trace)`;
    case 'block':
      return `${e.func} blocked ${d} on ${e.op} (${share} of the block profile)`;
    case 'mutex':
      return `lock released in ${e.func} kept others waiting ${d} (${share} of mutex delay)`;
    case 'sched':
      return `goroutines in ${e.func} waited ${d} to be scheduled (${share} of scheduler latency)`;
    case 'syscall':
      return `${e.func} spent ${d} in system calls via ${e.op} (${share} of syscall time)`;
    case 'net':
      return `${e.func} waited ${d} on the network in ${e.op} (${share} of network blocking)`;
  }
}

/** Total time goroutines spent runnable but not running, across the whole trace. */
function schedulerLatencyFinding(artifactId: number, profile: DecodedProfile, countIndex: number, total: number): Finding {
  let events = 0;
  for (const s of profile.samples) events += countIndex >= 0 ? (s.values[countIndex] ?? 0) : 0;
  return {
    kind: 'contention',
    title: `scheduler latency: goroutines waited ${formatDuration(total)} in total to run after becoming runnable`,
    // Latency on its own is normal on a busy machine; the per-function findings carry the weight.
    severity: 'info',
    metrics: { delayNs: Math.round(total), contentions: events, totalDelayNs: Math.round(total) },
    detail: `${SOURCE_NAMES.sched}: ${formatDuration(total)} over ${events} wait(s).`,
    artifactIds: [artifactId],
  };
}

function delaySeverity(pct: number): Severity {
  if (pct >= 50) return 'high';
  if (pct >= 20) return 'medium';
  return 'low';
}

/** `1.05s`, `315.4ms`, `12.0µs`, `800ns` — like pprof's units, to three significant digits. */
export function formatDuration(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)}s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)}ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)}µs`;
  return `${Math.round(ns)}ns`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
