/**
 * Timeline events as a discriminated union with typed payloads (the idea of zx's LogEntry:
 * one `kind`, and the facts of that kind as fields). The payload is what the store keeps
 * (`events.payload_json`); the sentence people read is rendered from it by eventMessage(),
 * the one place that words events — the store's `message` column holds that rendering for
 * someone reading the database with sqlite3, and nothing reads it back (except for
 * `legacy` events, whose message is all an older gotriage kept).
 */
import { z } from 'zod';
import { SEVERITIES, type Severity, type StepId } from '../core/model.js';

const text = z.string();
const attempt = z.number().int().positive();
const count = z.number().int().nonnegative();
const answer = z.union([z.string(), z.boolean()]);

export const timelinePayloadSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('incident-created'), title: text }),
  /** The machine moved: `from` is `start` for a new session. */
  z.strictObject({ kind: z.literal('transition'), from: text, to: text }),
  z.strictObject({ kind: z.literal('step-started'), attempt }),
  z.strictObject({ kind: z.literal('step-failed'), attempt, reason: text }),
  z.strictObject({ kind: z.literal('step-interrupted'), attempt, reason: text }),
  /** An answer given at a prompt; `key` as in answers files (`fix.summary`). Secret answers never get here. */
  z.strictObject({ kind: z.literal('answer'), key: text, value: answer }),
  /** A secret was answered (`token`, `password` …): its value is never kept, nor written here. */
  z.strictObject({ kind: z.literal('secret-answered'), key: text }),
  z.strictObject({
    kind: z.literal('alert-taken'),
    severity: z.enum(SEVERITIES as [Severity, ...Severity[]]),
    service: text,
    title: text,
    answers: z.record(z.string(), answer),
  }),
  /** An action (or one target of it) failed; what arrived before the failure is kept. */
  z.strictObject({ kind: z.literal('action-failed'), action: text, target: text.optional(), reason: text }),
  /** An action (or one target of it) did not run, or its endpoint is not served there. */
  z.strictObject({ kind: z.literal('action-skipped'), action: text, target: text.optional(), reason: text }),
  z.strictObject({ kind: z.literal('warning'), action: text.optional(), target: text.optional(), artifact: attempt.optional(), text }),
  z.strictObject({ kind: z.literal('note'), action: text.optional(), text }),
  /** A log source cut to the alert window and kept as `artifact`. */
  z.strictObject({
    kind: z.literal('logs-kept'),
    action: text,
    artifact: attempt,
    source: text,
    linesKept: count,
    linesRead: count,
    format: text,
  }),
  z.strictObject({ kind: z.literal('gathered'), artifacts: count, targets: count, failedActions: count }),
  z.strictObject({ kind: z.literal('analyzed'), findings: count, artifacts: count }),
  z.strictObject({ kind: z.literal('hypotheses-checked'), checked: count, findings: count, confirmed: count }),
  z.strictObject({ kind: z.literal('fix-checked'), verified: z.boolean() }),
  z.strictObject({ kind: z.literal('postmortem-written'), path: text }),
  /** An event written by a gotriage before typed events: its kind and message, as they were. */
  z.strictObject({ kind: z.literal('legacy'), was: text, message: text }),
]);

export type TimelinePayload = z.infer<typeof timelinePayloadSchema>;

/** One event of an incident's timeline: when, in which step (null: the session itself), what. */
export type TimelineEvent = TimelinePayload & { at: string; step: StepId | null };

/** The sentence a person reads for an event: the timeline table, `gotriage show`, the log. */
export function eventMessage(event: TimelineEvent): string {
  const on = (target: string | undefined) => (target === undefined ? '' : ` on ${target}`);
  switch (event.kind) {
    case 'incident-created':
      return `Incident opened: ${event.title}`;
    case 'transition':
      return `${event.from} → ${event.to}`;
    case 'step-started':
      return `${event.step ?? 'step'} started (attempt ${event.attempt})`;
    case 'step-failed':
      return `${event.step ?? 'step'} (attempt ${event.attempt}) failed: ${event.reason}`;
    case 'step-interrupted':
      return `${event.step ?? 'step'} (attempt ${event.attempt}) was interrupted: ${event.reason}`;
    case 'answer':
      return `${event.key}: ${String(event.value)}`;
    case 'secret-answered':
      return `${event.key} answered; a secret, so not kept`;
    case 'alert-taken': {
      const answers = Object.entries(event.answers).map(([k, v]) => `${k}: ${String(v)}`);
      return [`${event.severity} alert for ${event.service}: ${event.title}`, ...answers].join('; ');
    }
    case 'action-failed':
      return `${event.action}${on(event.target)}: ${event.reason}`;
    case 'action-skipped':
      return `${event.action}${on(event.target)}: skipped, ${event.reason}`;
    case 'warning':
    case 'note': {
      const target = event.kind === 'warning' ? on(event.target) : '';
      const artifact = event.kind === 'warning' && event.artifact !== undefined ? ` (artifact #${event.artifact})` : '';
      return `${event.action === undefined ? '' : `${event.action}${target}: `}${event.text}${artifact}`;
    }
    case 'logs-kept':
      return `${event.action}: kept ${event.linesKept} of ${event.linesRead} lines (${event.format}) of ${event.source}`;
    case 'gathered':
      return `gathered ${event.artifacts} artifact(s) from ${event.targets} target(s); ${event.failedActions} action(s) failed`;
    case 'analyzed':
      return `${event.findings} finding(s) from ${event.artifacts} artifact(s)`;
    case 'hypotheses-checked':
      return `${event.checked} hypothesis(es) checked against ${event.findings} finding(s): ${event.confirmed} confirmed`;
    case 'fix-checked':
      return event.verified
        ? 'fix verified: no confirmed hypothesis holds on fresh evidence'
        : 'fix NOT verified: some hypotheses still hold';
    case 'postmortem-written':
      return `postmortem written to ${event.path}`;
    case 'legacy':
      return event.message;
  }
}

/** The kind a person reads: a legacy event shows the kind it was written with. */
export function eventKindShown(event: TimelineEvent): string {
  return event.kind === 'legacy' ? event.was : event.kind;
}
