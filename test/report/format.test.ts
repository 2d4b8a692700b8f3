import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatNumber, formatPercent, formatTimestamp } from '../../src/report/format.ts';

describe('report formats', () => {
  it('prints timestamps in UTC without milliseconds, whatever offset they were stored with', () => {
    expect(formatTimestamp('2026-11-26T15:04:05.123Z')).toBe('2026-11-26 15:04:05 UTC');
    expect(formatTimestamp('2026-11-26T16:04:05+01:00')).toBe('2026-11-26 15:04:05 UTC');
    expect(formatTimestamp(null)).toBe('—');
    expect(formatTimestamp('yesterday')).toBe('yesterday');
  });

  it('prints durations in the largest units that matter', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(30_000)).toBe('30 s');
    expect(formatDuration(184_000)).toBe('3 min 4 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(null)).toBe('—');
  });

  it('prints sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MiB');
    expect(formatBytes(undefined)).toBe('—');
  });

  it('prints percentages and metric values without noise digits', () => {
    expect(formatPercent(63.24)).toBe('63.2%');
    expect(formatPercent(100)).toBe('100%');
    expect(formatNumber(237)).toBe('237');
    expect(formatNumber(71.456)).toBe('71.46');
    expect(formatNumber(21.2)).toBe('21.2');
    expect(formatNumber(Number.NaN)).toBe('—');
  });
});
