/**
 * Small descriptions of stored records for the report: a tool run's outcome, its argv as one
 * readable line, the alert as text. Pure functions over store data.
 */
import { redactSecrets } from '../core/redact.js';
import type { ToolRunRecord } from '../store/store.js';

/** How much of the alert the report quotes; an Alertmanager group can be large. */
const MAX_ALERT_CHARS = 8000;

/**
 * `exit 0`, `exit 1`, `killed by SIGKILL`, `timed out (SIGKILL)`, or `did not start`.
 * A timeout is named first: the runner kills a timed-out group itself, so its signal is ours.
 */
export function describeOutcome(run: Pick<ToolRunRecord, 'exitCode' | 'signal' | 'timedOut'>): string {
  if (run.timedOut) return run.signal ? `timed out (${run.signal})` : 'timed out';
  if (run.signal) return `killed by ${run.signal}`;
  if (run.exitCode !== null) return `exit ${run.exitCode}`;
  return 'did not start';
}

/**
 * The argv as one line a reader can copy into a POSIX shell: arguments with characters a shell
 * would interpret are single-quoted. For display only — gotriage itself never runs a shell.
 */
export function displayCommand(argv: readonly string[]): string {
  return argv.map(quoteForShell).join(' ');
}

function quoteForShell(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  // Inside single quotes nothing is special except the quote itself: close, escape, reopen.
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The alert as the report quotes it: the text of a `{ text }` alert, or pretty JSON of a
 * structured one (an Alertmanager webhook payload), cut at MAX_ALERT_CHARS. null when empty.
 */
export function describeAlert(alert: unknown): { text: string | null; format: 'json' | ''; truncated: boolean } {
  if (alert === null || alert === undefined) return { text: null, format: '', truncated: false };
  const format = isTextAlert(alert) ? '' : 'json';
  // Redacted before it is cut: a secret the cut would halve is masked whole.
  const text = redactSecrets(isTextAlert(alert) ? alert.text : JSON.stringify(alert, null, 2));
  if (text === undefined || text.trim() === '') return { text: null, format, truncated: false };
  if (text.length <= MAX_ALERT_CHARS) return { text, format, truncated: false };
  const cut = text.slice(0, MAX_ALERT_CHARS);
  const lastNewline = cut.lastIndexOf('\n');
  return { text: lastNewline > 0 ? cut.slice(0, lastNewline + 1) : cut, format, truncated: true };
}

function isTextAlert(alert: unknown): alert is { text: string } {
  return (
    typeof alert === 'object' && alert !== null && typeof (alert as { text?: unknown }).text === 'string' && Object.keys(alert).length === 1
  );
}

/**
 * When the alert says the problem started: `startsAt` of the alert, or the earliest `startsAt`
 * of an Alertmanager webhook's `alerts[]` (its documented payload shape). null when absent.
 */
export function alertStartedAt(alert: unknown): string | null {
  if (typeof alert !== 'object' || alert === null) return null;
  const candidates: unknown[] = [(alert as { startsAt?: unknown }).startsAt];
  const alerts = (alert as { alerts?: unknown }).alerts;
  if (Array.isArray(alerts)) {
    for (const a of alerts) candidates.push(typeof a === 'object' && a !== null ? (a as { startsAt?: unknown }).startsAt : undefined);
  }
  const times = candidates
    .filter((c): c is string => typeof c === 'string' && !Number.isNaN(Date.parse(c)))
    // Alertmanager sends the zero time `0001-01-01T00:00:00Z` for unset times.
    .filter((c) => Date.parse(c) > 0)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return times[0] ?? null;
}
