/**
 * Log artifacts (`text/x-log; format=…`) → findings: error-level entries grouped by
 * message template (`log-errors`, with count and first/last seen), and Go tracebacks
 * inside the logs (`panic`, naming the panicking user function). Streams the files:
 * memory grows with the number of distinct templates (capped), not with the log size.
 */
import { detectLogFormat, DETECTION_LINES } from './logs/detect-log-format.js';
import { isLogFormat, type LogFormat } from './logs/log-format.js';
import { isErrorLevel, isFatalLevel } from './logs/log-level.js';
import { parseLogLine } from './logs/parse-log-line.js';
import { redactSecrets } from '../core/redact.js';
import type { Finding, Severity } from '../core/model.js';
import { parseMediaType } from '../core/model.js';
import type { StoredArtifact } from '../store/store.js';
import { PanicCollector } from './log-panics.js';
import { messageTemplate } from './log-template.js';
import { TracebackCutter, type LogTraceback } from './log-tracebacks.js';
import { readLines } from './read-lines.js';

export interface LogFindingOptions {
  /** Example lines kept per template. Default 3. */
  maxExamples?: number;
  /** Distinct templates tracked; error lines of further templates are counted apart. Default 5000. */
  maxTemplates?: number;
  /** `log-errors` findings returned, most frequent first. Default 25. */
  maxFindings?: number;
}

interface ErrorGroup {
  template: string;
  level: string;
  fatal: boolean;
  count: number;
  firstMs?: number;
  lastMs?: number;
  examples: string[];
  artifactIds: Set<number>;
  labels: Set<string>;
}

const EXAMPLE_CHARS = 300;

/**
 * Findings for the log artifacts among `artifacts` (others are ignored), read in id order.
 * - `log-errors`: one per message template of error-or-worse entries, metrics
 *   {count, firstSeenMs, lastSeenMs} (the times only when the lines carry them); severity
 *   high for fatal/panic levels or ≥ 100 lines, medium from 10, else low.
 * - `panic`: one per distinct traceback (message + location), severity critical.
 * Everything shown (templates, examples, tracebacks) is redacted.
 */
export async function logFindings(artifacts: readonly StoredArtifact[], options: LogFindingOptions = {}): Promise<Finding[]> {
  const maxExamples = options.maxExamples ?? 3;
  const maxTemplates = options.maxTemplates ?? 5000;
  const groups = new Map<string, ErrorGroup>();
  const panics = new PanicCollector();

  for (const artifact of [...artifacts].sort((a, b) => a.id - b.id)) {
    const { type, params } = parseMediaType(artifact.mediaType);
    if (type !== 'text/x-log') continue;
    const format = isLogFormat(params.format) ? params.format : await detectFileFormat(artifact.path);
    const finished: LogTraceback[] = [];
    const cutter = new TracebackCutter((tb) => finished.push(tb));
    let lastMs: number | undefined;
    const consider = (line: string) => {
      const parsed = parseLogLine(line, format);
      if (!parsed.isEntry) return;
      if (parsed.timeMs !== undefined) lastMs = parsed.timeMs;
      if (!isErrorLevel(parsed.level)) return;
      const template = messageTemplate(parsed.msg) || '(empty message)';
      let group = groups.get(template);
      if (!group) {
        if (groups.size >= maxTemplates) return;
        group = { template, level: parsed.level!, fatal: false, count: 0, examples: [], artifactIds: new Set(), labels: new Set() };
        groups.set(template, group);
      }
      group.count++;
      group.fatal ||= isFatalLevel(parsed.level);
      group.artifactIds.add(artifact.id);
      group.labels.add(artifact.label);
      const at = parsed.timeMs ?? lastMs;
      if (at !== undefined) {
        group.firstMs = Math.min(group.firstMs ?? at, at);
        group.lastMs = Math.max(group.lastMs ?? at, at);
      }
      if (group.examples.length < maxExamples) group.examples.push(redactSecrets(line.slice(0, EXAMPLE_CHARS)));
    };
    for await (const line of readLines(artifact.path)) {
      for (const released of cutter.push(line)) consider(released);
      while (finished.length > 0) await panics.add(finished.shift()!, artifact.id);
    }
    for (const released of cutter.end()) consider(released);
    while (finished.length > 0) await panics.add(finished.shift()!, artifact.id);
  }

  const errors = [...groups.values()]
    .sort((a, b) => b.count - a.count || (a.firstMs ?? 0) - (b.firstMs ?? 0))
    .slice(0, options.maxFindings ?? 25)
    .map(errorFinding);
  return [...panics.findings(), ...errors];
}

/** Detects the format of a log artifact stored without one. */
async function detectFileFormat(path: string): Promise<LogFormat> {
  const head: string[] = [];
  for await (const line of readLines(path)) {
    if (line.trim() !== '') head.push(line);
    if (head.length >= DETECTION_LINES) break;
  }
  return detectLogFormat(head);
}

function errorFinding(group: ErrorGroup): Finding {
  const metrics: Record<string, number> = { count: group.count };
  if (group.firstMs !== undefined) metrics.firstSeenMs = group.firstMs;
  if (group.lastMs !== undefined) metrics.lastSeenMs = group.lastMs;
  const iso = (ms: number | undefined) => (ms === undefined ? 'unknown (the lines carry no time)' : new Date(ms).toISOString());
  const detail = [
    `template: ${group.template}`,
    `level: ${group.level}`,
    `count: ${group.count}`,
    `first seen: ${iso(group.firstMs)}`,
    `last seen: ${iso(group.lastMs)}`,
    `from: ${[...group.labels].join(', ')}`,
    'examples:',
    ...group.examples.map((e) => `  ${e}`),
  ].join('\n');
  return {
    kind: 'log-errors',
    title: `${group.count}× ${group.level}: ${group.template}`,
    severity: errorSeverity(group),
    metrics,
    detail: redactSecrets(detail),
    artifactIds: [...group.artifactIds],
  };
}

function errorSeverity(group: ErrorGroup): Severity {
  if (group.fatal || group.count >= 100) return 'high';
  if (group.count >= 10) return 'medium';
  return 'low';
}
