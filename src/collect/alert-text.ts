/**
 * A plain text or Markdown bug report: the title is its first heading (or first line), the
 * severity, service and start time are what it states, when it states them.
 */
import { DEFAULT_WINDOW_MARGIN_MS, type AlertOptions, type ParsedAlert } from './alert-types.js';
import { alertWindow, earliest, formatUtc, parseAlertTime } from './alert-time.js';
import { severityInText } from './alert-severity.js';
import { redactSecrets } from '../core/redact.js';

/** `# Title`, up to `######`, with an optional closing run of `#` (CommonMark ATX heading). */
const ATX_HEADING = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
/** A setext underline (`===` or `---`) making the line above it a heading. */
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;

/** ISO 8601 / RFC 3339 date-times in prose; a missing zone is read as UTC. */
const ISO_IN_TEXT = /\b(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([Zz]|[+-]\d{2}:\d{2}|\s?UTC\b)?/g;
/** `since 02:50`, `started at 2:50`, `from 14:05 UTC`: a time of day after a start word. */
const CLOCK_AFTER_WORD =
  /\b(?:since|started(?:\s+at)?|starting(?:\s+at)?|began(?:\s+at)?|beginning(?:\s+at)?|from|at)\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:UTC|Z)?\b/i;

/**
 * The report's title: its first heading (ATX `# …` or setext), else its first non-empty
 * line; Markdown emphasis and a leading `Title:` are dropped, credentials redacted.
 */
export function titleOfReport(text: string): string {
  const lines = text.split(/\r?\n/);
  let heading: string | undefined;
  let inFence = false;
  for (let i = 0; i < lines.length && heading === undefined; i++) {
    const line = lines[i]!;
    // A `# comment` inside a fenced code block (a pasted shell session) is not a heading.
    if (/^ {0,3}(?:```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const atx = ATX_HEADING.exec(line);
    if (atx?.[1]?.trim()) heading = atx[1];
    else if (line.trim() && SETEXT_UNDERLINE.test(lines[i + 1] ?? '') && !/^\s*[-=]+\s*$/.test(line)) heading = line;
  }
  const raw = heading ?? lines.find((l) => l.trim() !== '') ?? '';
  const title = raw
    .replace(/^\s*title\s*:\s*/i, '')
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return redactSecrets(title).slice(0, 200) || 'incident';
}

/**
 * When the report says the problem started: the earliest ISO timestamp in it, else a time
 * of day after `since`/`started at`/`from`/`at` — read as UTC, on the most recent day that
 * puts it at or before `now` (so "since 23:50" written at 00:10 means yesterday).
 */
export function startInReport(text: string, now: Date): Date | undefined {
  const stamps = [...text.matchAll(ISO_IN_TEXT)].map((m) => {
    const zone = !m[3] || /UTC/i.test(m[3]) ? 'Z' : m[3];
    const time = m[2]!.length === 5 ? `${m[2]}:00` : m[2];
    return parseAlertTime(`${m[1]}T${time}${zone}`);
  });
  const iso = earliest(stamps);
  if (iso) return iso;
  const clock = CLOCK_AFTER_WORD.exec(text);
  if (!clock) return undefined;
  const [hours, minutes, seconds] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hours, minutes, seconds));
  if (at > now) at.setUTCDate(at.getUTCDate() - 1);
  return at;
}

/** `Service: checkout` / `- **service**: checkout` on a line of its own. */
const SERVICE_FIELD = /^[\s>*-]*\**service\**\s*[:=]\**\s*\**([A-Za-z0-9][A-Za-z0-9_.-]*)/im;

/**
 * Parses a bug report. Severity is what the report states (see `severityInText`), else
 * `medium`; the window starts `marginMs` before the stated start (or before `now`).
 */
export function parseTextReport(text: string, options: AlertOptions = {}): ParsedAlert {
  const now = options.now ?? new Date();
  const start = startInReport(text, now);
  return {
    title: titleOfReport(text),
    severity: severityInText(text) ?? 'medium',
    service: SERVICE_FIELD.exec(text)?.[1],
    labels: {},
    startsAt: start && formatUtc(start),
    source: 'text',
    alerts: 1,
    window: alertWindow(start, undefined, now, options.marginMs ?? DEFAULT_WINDOW_MARGIN_MS),
    raw: { text: redactSecrets(text) },
  };
}
