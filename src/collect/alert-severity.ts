/**
 * Severity from what alert sources and people write: `severity` labels, SEV/P codes and
 * urgent words in a bug report.
 */
import type { Severity } from '../core/model.js';

/** Label values and field words, lower-case, to our scale. Unknown values are `medium`. */
const WORDS: Record<string, Severity> = {
  critical: 'critical',
  crit: 'critical',
  emergency: 'critical',
  fatal: 'critical',
  urgent: 'critical',
  blocker: 'critical',
  disaster: 'critical',
  high: 'high',
  error: 'high',
  major: 'high',
  page: 'high',
  severe: 'high',
  medium: 'medium',
  moderate: 'medium',
  warning: 'medium',
  warn: 'medium',
  average: 'medium',
  low: 'low',
  minor: 'low',
  ticket: 'low',
  info: 'info',
  informational: 'info',
  notice: 'info',
  none: 'info',
  debug: 'info',
};

/** SEV0/SEV1 and P0/P1 are the "all hands" levels in most incident scales; 5 is informational. */
const LEVELS: Severity[] = ['critical', 'critical', 'high', 'medium', 'low', 'info'];

const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Orders severities: positive when `a` is more severe than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[a] - RANK[b];
}

/** A level code (`sev1`, `sev-2`, `p0`, `1`) to a severity, or undefined. */
function severityFromLevel(code: string): Severity | undefined {
  const match = /^(?:sev|p)?[-\s]?([0-5])$/i.exec(code.trim());
  return match ? LEVELS[Number(match[1])] : undefined;
}

/**
 * A `severity` / `priority` label value (`critical`, `warning`, `P1`, `sev2`, `page`…) to a
 * severity; `medium` for anything unknown or absent, because an alert that fired deserves attention.
 */
export function severityFromLabel(value: string | undefined): Severity {
  return severityWord(value) ?? 'medium';
}

function severityWord(value: string | undefined): Severity | undefined {
  const v = (value ?? '').trim().toLowerCase();
  return WORDS[v] ?? severityFromLevel(v);
}

/** `Severity: high`, `priority = P2`, `sev: 1` at the start of a line (or after a bullet). */
const FIELD = /^[\s>*-]*\**(?:severity|priority|sev|prio)\**\s*[:=]\**\s*\**([A-Za-z0-9-]+)/im;
/** `SEV1`, `SEV-2`, `Sev 0`, `P1` as a word of its own. */
const CODE = /\b(?:SEV[-\s]?[0-5]|P[0-4])\b/i;
/** Words urgent enough to set the severity even in prose; `high`/`low` are not (`high CPU`). */
const PROSE = /\b(critical|urgent|emergency|outage|blocker|warning)\b/i;

/**
 * The severity a bug report states, or undefined. An explicit `severity:`/`priority:` field
 * wins, then a SEV/P code, then the first of critical/urgent/emergency/outage/blocker
 * (critical) or warning (medium) in the prose.
 */
export function severityInText(text: string): Severity | undefined {
  const field = FIELD.exec(text)?.[1];
  const fromField = severityWord(field);
  if (fromField) return fromField;
  const code = CODE.exec(text)?.[0];
  if (code) return severityFromLevel(code.replace(/\s/, ''));
  const word = PROSE.exec(text)?.[1]?.toLowerCase();
  if (!word) return undefined;
  return word === 'warning' ? 'medium' : 'critical';
}
