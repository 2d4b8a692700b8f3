/**
 * Alert files that cannot be used, and payloads carrying credentials.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { loadAlertFile, MAX_ALERT_BYTES } from '../../src/collect/alert.ts';

const dir = mkdtempSync(join(tmpdir(), 'gotriage-alert-errors-'));
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
function usageError(path: string): UsageError {
  try {
    loadAlertFile(path);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`loadAlertFile(${path}) did not throw`);
}

describe('alert files that cannot be used', () => {
  it('a missing file or a directory: says so, names the path and what to give', () => {
    const missing = usageError(join(dir, 'nope.json'));
    expect(missing.message).toBe(`alert file ${join(dir, 'nope.json')} does not exist`);
    expect(missing.hint).toMatch(/Alertmanager or Grafana webhook payload/);
    expect(usageError(dir).message).toContain('is a directory');
  });

  it('JSON that does not parse', () => {
    const path = file('broken.json', '{"version": "4", "alerts": [');
    const error = usageError(path);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/does not parse/);
    // A .json file is JSON even when it does not start with a brace.
    expect(usageError(file('list.json', '[{"labels": {}}]')).message).toMatch(/found a JSON array/);
  });

  it('JSON of neither webhook shape lists the expected keys and the ones found, redacted', () => {
    const path = file('other.json', JSON.stringify({ receiver: 'x', labels: {}, 'https://u:hunter2@h/': 1 }));
    const error = usageError(path);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/Alertmanager webhook payload \(keys version: "4", status, alerts\[\], groupLabels, commonLabels\)/);
    expect(error.message).toMatch(/Grafana alerting webhook payload \(keys orgId, state, title, alerts\[\]\)/);
    expect(error.message).toContain('found keys: receiver, labels');
    expect(error.message).not.toContain('hunter2');
  });

  it('a file over 1 MiB is refused by its size', () => {
    const path = file('huge.json', Buffer.alloc(MAX_ALERT_BYTES + 1, 0x20));
    const error = usageError(path);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/more than the 1 MiB limit/);
    // Exactly 1 MiB is still accepted (here as a text report of spaces and one title).
    const edge = file('edge.md', Buffer.concat([Buffer.from('# edge\n'), Buffer.alloc(MAX_ALERT_BYTES - 7, 0x20)]));
    expect(loadAlertFile(edge).title).toBe('edge');
  });

  it('an alerts[] entry that is not an object', () => {
    expect(usageError(file('bad-entry.json', JSON.stringify({ version: '4', alerts: ['oops'] }))).message).toMatch(
      /alerts\[0\] is not an object/,
    );
  });
});

describe('credentials inside a payload', () => {
  it('are masked in what is kept; the rest stays as sent', () => {
    const payload = {
      version: '4',
      status: 'firing',
      externalURL: 'https://admin:pa55w0rd@am.example:9093',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'Down', note: 'token=abc"def' },
          annotations: { summary: 'see https://grafana.example/d/x?auth_token=tok-999&orgId=1', api_token: 'raw-secret-1' },
          startsAt: '2026-11-26T03:12:00Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prom.example:9090/graph?g0.expr=up&access_token=tok-777',
        },
      ],
      commonLabels: {},
    };
    const alert = loadAlertFile(file('secrets.json', JSON.stringify(payload)));
    const kept = JSON.stringify(alert.raw);
    for (const secret of ['pa55w0rd', 'tok-999', 'tok-777', 'raw-secret-1']) expect(kept).not.toContain(secret);
    expect(kept).toContain('orgId=1');
    expect((alert.raw as typeof payload).externalURL).toBe('https://***@am.example:9093');
    expect(alert.title).toBe('see https://grafana.example/d/x?auth_token=***&orgId=1');
    expect(alert.annotations?.api_token).toBe('***');
    expect(alert.expr).toBe('up');
    // Labels are data for placeholders: kept verbatim for the caller.
    expect(alert.labels.note).toBe('token=abc"def');
  });
});
