/**
 * A hypothesis check as data: "at least `min` findings of `kind`, whose function
 * matches `func` and whose metrics reach the given lower bounds". Confirmed when
 * enough findings match, refuted otherwise; the evidence says which findings counted
 * and, when none did, which came closest and why they missed.
 */
import type { Finding, Verdict } from '../core/model.js';
import type { FindingCheck } from '../playbook/schema.js';

export interface CheckResult {
  verdict: Exclude<Verdict, 'pending'>;
  evidence: string;
  matched: Finding[];
}

/** Why a finding of the right kind does not satisfy the check, or null when it does. */
function mismatch(check: FindingCheck, finding: Finding, funcPattern: RegExp | null): string | null {
  const func = finding.location?.func ?? '';
  if (funcPattern && !funcPattern.test(func)) return `function ${func || '(none)'} does not match ${check.func}`;
  for (const [metric, bound] of Object.entries(check.metrics ?? {})) {
    const value = finding.metrics[metric];
    if (value === undefined) return `has no ${metric} metric`;
    if (value < bound) return `${metric} ${round(value)} < ${bound}`;
  }
  return null;
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function describe(f: Finding): string {
  const metrics = Object.entries(f.metrics)
    .map(([k, v]) => `${k}=${round(v)}`)
    .join(', ');
  return `${f.title}${metrics ? ` (${metrics})` : ''}`;
}

export function evaluateCheck(check: FindingCheck, findings: readonly Finding[]): CheckResult {
  // Anchored: `main.handle` must not match `main.handleExport`.
  const funcPattern = check.func ? new RegExp(`^(?:${check.func})$`) : null;
  const ofKind = findings.filter((f) => f.kind === check.kind);
  const matched: Finding[] = [];
  const misses: string[] = [];
  for (const f of ofKind) {
    const why = mismatch(check, f, funcPattern);
    if (why === null) matched.push(f);
    else misses.push(`${f.title}: ${why}`);
  }
  const min = check.min ?? 1;
  if (matched.length >= min) {
    return {
      verdict: 'confirmed',
      matched,
      evidence: `${matched.length} ${check.kind} finding(s) match (need ${min}): ${matched.map(describe).join('; ')}`,
    };
  }
  const evidence =
    ofKind.length === 0
      ? `no ${check.kind} finding in ${findings.length} finding(s)`
      : `${matched.length} of ${ofKind.length} ${check.kind} finding(s) match (need ${min})${misses.length ? `; ${misses.slice(0, 3).join('; ')}` : ''}`;
  return { verdict: 'refuted', matched, evidence };
}
