/**
 * Goroutine dumps → findings: goroutines the runtime's leak detector marked leaked, groups
 * that grew across samples of one endpoint (a leak), and the largest groups of the latest sample.
 */
import type { Finding, Severity, SourceLocation } from '../core/model.js';
import { isUserFunction } from '../core/model.js';
import { formatFrame, type GoroutineDump, type GoroutineGroup } from './goroutines.js';

export interface GoroutineSample {
  artifactId: number;
  dump: GoroutineDump;
}

export interface GoroutineFindingOptions {
  /** A group must gain at least this many goroutines from first to last sample. Default 10. */
  minGrowth?: number;
  /**
   * …and grow by at least this fraction of its first count (0.05 = +5 %). Default 0.05: a
   * leak that has run for an hour holds thousands of goroutines, and the few seconds
   * between two samples add only a few percent to them.
   */
  minGrowthRatio?: number;
  /** Groups of the last sample at least this large get a `goroutine-group` finding. Default 50. */
  minGroupSize?: number;
  /** At most this many `goroutine-group` findings, largest first. Default 5. */
  maxGroupFindings?: number;
}

const DEFAULTS: Required<GoroutineFindingOptions> = {
  minGrowth: 10,
  minGrowthRatio: 0.05,
  minGroupSize: 50,
  maxGroupFindings: 5,
};

/**
 * Findings from goroutine samples of one endpoint, in time order.
 *
 * `goroutine-growth`: a group (matched by key) whose count rose from the first to the last
 * sample by ≥ minGrowth goroutines AND ≥ minGrowthRatio of its first count (a group absent
 * from the first sample counts as 0 there). A healthy service's groups move with load, so
 * both an absolute and a relative bar are required. Severity: growth ≥ 200 high, ≥ 50 medium,
 * else low. Needs at least two samples.
 *
 * `goroutine-group`: groups of the last sample with ≥ minGroupSize goroutines that did not
 * already get a growth finding; severity low from 1000 goroutines, info below.
 *
 * Leaked goroutines (`(leaked)` in a debug=2 dump, or any group of a goroutineleak profile)
 * of the last sample: one high-severity `goroutine-group` finding per group, whatever its
 * size and however many samples — the runtime proved them blocked forever (Go 1.26
 * GOEXPERIMENT=goroutineleakprofile, 1.27), so ONE sample is evidence. `metrics.leaked`
 * tells them apart from large-group findings.
 */
export function goroutineFindings(samples: readonly GoroutineSample[], options: GoroutineFindingOptions = {}): Finding[] {
  const opts = { ...DEFAULTS, ...options };
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last) return [];
  const findings: Finding[] = [];
  const grown = new Set<string>();

  if (samples.length >= 2) {
    const firstCounts = new Map(first.dump.groups.map((g) => [g.key, g.count]));
    for (const group of last.dump.groups) {
      const before = firstCounts.get(group.key) ?? 0;
      const growth = group.count - before;
      if (growth < opts.minGrowth || growth < before * opts.minGrowthRatio) continue;
      grown.add(group.key);
      findings.push(growthFinding(group, before, samples));
    }
  }

  for (const group of last.dump.groups) if (group.leaked) findings.push(leakFinding(group, last));

  const large = last.dump.groups
    .filter((g) => g.count >= opts.minGroupSize && !grown.has(g.key) && !g.leaked)
    .slice(0, opts.maxGroupFindings);
  for (const group of large) findings.push(groupFinding(group, last));
  return findings;
}

function growthFinding(group: GoroutineGroup, before: number, samples: readonly GoroutineSample[]): Finding {
  const growth = group.count - before;
  return {
    kind: 'goroutine-growth',
    title: `goroutines ${describePlace(group)} grew ${before} → ${group.count}`,
    severity: growthSeverity(growth),
    location: groupLocation(group),
    metrics: { first: before, last: group.count, growth, samples: samples.length, maxWaitMinutes: group.maxWaitMinutes },
    detail: describeGroup(group),
    artifactIds: samples.map((s) => s.artifactId),
  };
}

function groupFinding(group: GoroutineGroup, sample: GoroutineSample): Finding {
  return {
    kind: 'goroutine-group',
    title: `${group.count} goroutines ${describePlace(group)}`,
    severity: group.count >= 1000 ? 'low' : 'info',
    location: groupLocation(group),
    metrics: {
      count: group.count,
      sharePct: round2((group.count / Math.max(sample.dump.total, 1)) * 100),
      maxWaitMinutes: group.maxWaitMinutes,
    },
    detail: describeGroup(group),
    artifactIds: [sample.artifactId],
  };
}

function leakFinding(group: GoroutineGroup, sample: GoroutineSample): Finding {
  return {
    kind: 'goroutine-group',
    title: `${group.count} leaked goroutine${group.count === 1 ? '' : 's'} ${describePlace(group)}`,
    severity: 'high',
    location: groupLocation(group),
    metrics: { count: group.count, leaked: group.count, maxWaitMinutes: group.maxWaitMinutes },
    detail: `${describeGroup(group)}\nThe Go runtime's goroutineleak detector found them blocked on a value no running goroutine can reach: they can never resume.`,
    artifactIds: [sample.artifactId],
  };
}

function growthSeverity(growth: number): Severity {
  if (growth >= 200) return 'high';
  if (growth >= 50) return 'medium';
  return 'low';
}

/** `parked in main.renderExport (chan send)`; debug=1 dumps carry no state. */
function describePlace(group: GoroutineGroup): string {
  const where = groupLocation(group)?.func ?? 'an empty stack';
  return group.state ? `parked in ${where} (${group.state})` : `in ${where}`;
}

/**
 * The group's top user frame; else a user creation site (a std call such as
 * net/http.(*conn).serve started from user code); else the innermost frame.
 */
function groupLocation(group: GoroutineGroup): SourceLocation | undefined {
  const frame =
    group.topUserFrame ?? (group.createdBy && isUserFunction(group.createdBy.func) ? group.createdBy : undefined) ?? group.frames[0];
  return frame ? { func: frame.func, file: frame.file, line: frame.line } : undefined;
}

/** Plain text: state, count, stack (innermost first), creation site. */
export function describeGroup(group: GoroutineGroup): string {
  const wait =
    group.maxWaitMinutes > 0
      ? group.minWaitMinutes === group.maxWaitMinutes
        ? `, ${group.maxWaitMinutes} minutes`
        : `, ${group.minWaitMinutes}-${group.maxWaitMinutes} minutes`
      : '';
  const flags = `${group.leaked ? ' (leaked)' : ''}${group.lockedToThread ? ', locked to thread' : ''}`;
  const labels = group.labels.length > 0 ? ` labels: ${group.labels.join(' ')}` : '';
  const lines = [`${group.count} goroutine(s) [${group.state || 'state not recorded (debug=1)'}${flags}${wait}]${labels}`];
  for (const f of group.frames) lines.push(`  ${formatFrame(f)}`);
  if (group.createdBy) lines.push(`created by ${formatFrame(group.createdBy)}`);
  return lines.join('\n');
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
