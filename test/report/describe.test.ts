import { describe, expect, it } from 'vitest';
import { alertStartedAt, describeAlert, describeOutcome, displayCommand } from '../../src/report/describe.ts';

describe('describeOutcome', () => {
  it('names a timeout before the signal that ended it', () => {
    expect(describeOutcome({ exitCode: null, signal: 'SIGKILL', timedOut: true })).toBe('timed out (SIGKILL)');
    expect(describeOutcome({ exitCode: null, signal: 'SIGSEGV', timedOut: false })).toBe('killed by SIGSEGV');
    expect(describeOutcome({ exitCode: 66, signal: null, timedOut: false })).toBe('exit 66');
    expect(describeOutcome({ exitCode: null, signal: null, timedOut: false })).toBe('did not start');
  });
});

describe('displayCommand', () => {
  it('quotes only the arguments a shell would split or expand', () => {
    expect(displayCommand(['go', 'test', '-race', '-run', 'TestExport', './...'])).toBe('go test -race -run TestExport ./...');
    expect(displayCommand(['go', 'tool', 'pprof', 'http://h:6060/debug/pprof/profile?seconds=5'])).toBe(
      "go tool pprof 'http://h:6060/debug/pprof/profile?seconds=5'",
    );
    expect(displayCommand(['echo', `"; curl x|sh #`, "it's", ''])).toBe(`echo '"; curl x|sh #' 'it'\\''s' ''`);
  });
});

describe('describeAlert', () => {
  it('quotes a text alert as its text and a structured one as JSON', () => {
    expect(describeAlert({ text: 'p99 > 2s' })).toEqual({ text: 'p99 > 2s', format: '', truncated: false });
    expect(describeAlert({ status: 'firing' })).toEqual({ text: '{\n  "status": "firing"\n}', format: 'json', truncated: false });
    expect(describeAlert(null).text).toBeNull();
  });

  it('cuts a huge alert at a line boundary and says so', () => {
    const alerts = Array.from({ length: 500 }, (_, i) => ({ labels: { alertname: 'ExportLatencyHigh', instance: `10.0.0.${i}:6060` } }));
    const { text, truncated } = describeAlert({ alerts });
    expect(truncated).toBe(true);
    expect(text!.length).toBeLessThanOrEqual(8000);
    expect(text!.endsWith('\n')).toBe(true);
  });
});

describe('alertStartedAt', () => {
  it('takes the earliest startsAt of an Alertmanager payload and ignores its zero time', () => {
    const payload = {
      alerts: [{ startsAt: '2026-11-26T15:05:00Z' }, { startsAt: '2026-11-26T14:58:00Z' }, { startsAt: '0001-01-01T00:00:00Z' }],
    };
    expect(alertStartedAt(payload)).toBe('2026-11-26T14:58:00Z');
    expect(alertStartedAt({ text: 'no time' })).toBeNull();
  });
});
