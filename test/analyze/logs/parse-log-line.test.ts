import { describe, expect, it } from 'vitest';
import { detectLogFormat } from '../../../src/analyze/logs/detect-log-format.ts';
import { isErrorLevel } from '../../../src/analyze/logs/log-level.ts';
import { parseLogLine } from '../../../src/analyze/logs/parse-log-line.ts';
import { parseIsoTimeMs, parseEpochMs } from '../../../src/analyze/logs/log-time.ts';
import { CAPTURES, LOG_VERSIONS, capturedLines, countInSource, phaseOf } from '../../collect/logs/support.ts';

// The captures were made on a machine in UTC; the `log` package prints local time (LUTC
// aside) without a zone, so read them in the zone they were written in.
process.env.TZ = 'UTC';

describe.each(LOG_VERSIONS)('captured logs of %s', (version) => {
  it.each(CAPTURES)('$name is detected as $format', ({ name, format }) => {
    expect(detectLogFormat(capturedLines(name, version))).toBe(format);
  });

  it.each(CAPTURES)('$name: every scenario event is one entry with its time, level and bare message', ({ name, format }) => {
    const lines = capturedLines(name, version);
    const entries = lines.map((l) => parseLogLine(l, format)).filter((p) => p.isEntry);
    // Every line naming a phase is an entry; continuation lines (stdlog's multi-line messages) are not.
    expect(entries).toHaveLength(lines.filter((l) => phaseOf(l) !== undefined).length);
    for (const line of lines.filter((l) => phaseOf(l) === undefined)) expect(parseLogLine(line, format).isEntry).toBe(false);
    // Structured loggers keep attributes out of msg; `log` has no attributes, only text.
    if (!name.startsWith('stdlog')) expect(entries.filter((e) => e.msg.includes('phase'))).toEqual([]);
    // Times are in order and span the scenario's two gaps (1.1 s each, scenario.Gap).
    const times = entries.map((e) => e.timeMs!);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(name === 'zerolog' || name === 'stdlog-std' ? 2000 : 2200);
    const timeouts = entries.filter((e) => isErrorLevel(e.level) && e.msg.startsWith('timeout after'));
    // `log` has no attributes: the program appends them to the text.
    expect(timeouts.map((e) => e.msg.replace(/ phase=.*$/, ''))).toEqual([
      'timeout after 31ms',
      'timeout after 31ms',
      'timeout after 2s',
      'timeout after 5s',
    ]);
    expect(timeouts).toHaveLength(countInSource('scenario/scenario.go', 'fmt.Sprintf("timeout after'));
    expect(entries.some((e) => e.msg.startsWith('request served') && !isErrorLevel(e.level))).toBe(true);
  });

  it('all formats of one capture run agree on when it ran (the programs ran side by side)', () => {
    const firstTimes = CAPTURES.map(({ name, format }) => parseLogLine(capturedLines(name, version)[0]!, format).timeMs!);
    // Second-resolution formats (zerolog, LstdFlags) truncate, hence the 1.5 s tolerance.
    expect(Math.max(...firstTimes) - Math.min(...firstTimes)).toBeLessThan(1500);
  });
});

describe('timestamps', () => {
  it('reads Go RFC 3339 with nanoseconds, zap ISO 8601 offsets and epoch numbers alike', () => {
    const utc = Date.UTC(2026, 10, 26, 15, 4, 5, 123);
    expect(parseIsoTimeMs('2026-11-26T15:04:05.123456789Z')).toBe(utc);
    expect(parseIsoTimeMs('2026-11-26T16:04:05.123+01:00')).toBe(utc);
    expect(parseIsoTimeMs('2026-11-26T10:04:05.123-0500')).toBe(utc);
    expect(parseEpochMs(utc / 1000)).toBe(utc);
    expect(parseEpochMs(utc)).toBe(utc);
    expect(parseEpochMs(utc * 1e6)).toBe(utc);
    expect(parseIsoTimeMs('2026-13-26T15:04:05Z')).toBeUndefined();
  });

  it('reads a custom `log` prefix, Lshortfile and an ERROR marker', () => {
    const line = parseLogLine('checkout: 2026/11/26 15:04:05.123456 main.go:12: ERROR: boom', 'stdlog');
    expect(line).toEqual({ isEntry: true, timeMs: new Date(2026, 10, 26, 15, 4, 5, 123).getTime(), level: 'ERROR', msg: 'boom' });
  });

  it('unquotes slog text messages as strconv.Quote wrote them', () => {
    const line = parseLogLine('time=2026-11-26T15:04:05.000Z level=ERROR msg="say \\"hi\\"\\n\\tthere" k=v', 'slog-text');
    expect(line.msg).toBe('say "hi"\n\tthere');
  });
});
