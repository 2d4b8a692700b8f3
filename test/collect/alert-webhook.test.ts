/**
 * Alertmanager and Grafana webhook payloads: the real Alertmanager 0.25 captures in
 * test/fixtures/alerts (see its README) and Grafana's documented shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertParams, loadAlertFile, parseAlertPayload } from '../../src/collect/alert.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/alerts');
const fixture = (name: string) => join(FIXTURES, name);

interface RawAlert {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}
const rawOf = (name: string) =>
  JSON.parse(readFileSync(fixture(name), 'utf8')) as { alerts: RawAlert[]; externalURL: string; truncatedAlerts: number };
const ms = (iso: string) => Date.parse(iso);
const HALF_HOUR = 30 * 60 * 1000;

describe('Alertmanager webhook v4 (real capture, Alertmanager 0.25.0)', () => {
  const name = 'alertmanager-v4.0.25.0.json';
  const raw = rawOf(name);
  // Some minutes after the capture: both alerts still fire, so the window ends now.
  const now = new Date(Math.max(...raw.alerts.map((a) => ms(a.startsAt))) + 7 * 60 * 1000);
  const alert = loadAlertFile(fixture(name), { now });

  it('names the incident after the most severe alert and keeps its labels', () => {
    const critical = raw.alerts.find((a) => a.labels.severity === 'critical')!;
    expect(alert.source).toBe('alertmanager');
    expect(alert.alerts).toBe(raw.alerts.length);
    expect(alert.title).toBe(critical.annotations.summary);
    expect(alert.severity).toBe('critical');
    expect(alert.service).toBe('checkout');
    expect(alert.labels.instance).toBe(critical.labels.instance);
    expect(alert.labels.pod).toBe(critical.labels.pod);
  });

  it('opens the window 30 minutes before the earliest start and keeps it open while firing', () => {
    const earliest = Math.min(...raw.alerts.map((a) => ms(a.startsAt)));
    expect(ms(alert.startsAt!)).toBe(earliest);
    expect(alert.endsAt).toBeUndefined();
    expect(ms(alert.window.start)).toBe(earliest - HALF_HOUR);
    expect(ms(alert.window.end)).toBe(now.getTime());
    expect(alert.window.start).toMatch(/Z$/);
  });

  it('takes the PromQL expression out of the Prometheus generatorURL', () => {
    const expected = new URL(raw.alerts[0]!.generatorURL).searchParams.get('g0.expr');
    expect(alert.expr).toBe(expected);
    expect(alert.expr).toContain('http_requests_total{job="checkout"');
  });

  it('keeps hostile label values as plain data, byte for byte', () => {
    const params = alertParams(parseAlertPayload(raw, name, { now }));
    const warning = raw.alerts.find((a) => a.labels.severity === 'warning')!;
    const warningOnly = alertParams(parseAlertPayload({ ...raw, alerts: [warning] }, name, { now }));
    expect(warningOnly['label.note']).toBe('"; curl x|sh #');
    expect(warningOnly['label.tmpl']).toBe('{{secret}}');
    expect(params['label.flag']).toBe('-http=0.0.0.0:80');
  });

  it('redacts the credentials Alertmanager put in externalURL and the generatorURL token', () => {
    expect(raw.externalURL).toContain('oncall:hunter2@');
    const kept = JSON.stringify(alert.raw);
    expect(kept).not.toContain('hunter2');
    expect(kept).not.toContain('s3cr3t-gen');
    const keptPayload = alert.raw as { externalURL: string; alerts: RawAlert[] };
    expect(keptPayload.externalURL).toMatch(/^http:\/\/\*\*\*@127\.0\.0\.1:\d+$/);
    // The expression itself survives redaction: only the token parameter is masked.
    expect(new URL(keptPayload.alerts[0]!.generatorURL).searchParams.get('g0.expr')).toBe(alert.expr);
    expect(keptPayload.alerts[0]!.annotations.description).toContain('{{secret}}');
  });
});

describe('resolved and truncated Alertmanager payloads (real captures)', () => {
  it('bounds the window by the latest end once every alert resolved', () => {
    const raw = rawOf('alertmanager-v4-resolved.0.25.0.json');
    const alert = loadAlertFile(fixture('alertmanager-v4-resolved.0.25.0.json'), { now: new Date(Date.now() + 86_400_000) });
    const latestEnd = Math.max(...raw.alerts.map((a) => ms(a.endsAt)));
    expect(raw.alerts.every((a) => a.status === 'resolved')).toBe(true);
    expect(ms(alert.endsAt!)).toBe(latestEnd);
    expect(ms(alert.window.end)).toBe(latestEnd);
    expect(alertParams(alert)['alert.endsAt']).toBe(alert.endsAt);
  });

  it('keeps the window open while one alert of the group still fires', () => {
    const raw = rawOf('alertmanager-v4-resolved.0.25.0.json');
    const mixed = {
      ...raw,
      status: 'firing',
      alerts: [raw.alerts[0], { ...raw.alerts[1], status: 'firing', endsAt: '0001-01-01T00:00:00Z' }],
    };
    const now = new Date('2030-01-01T00:00:00Z');
    const alert = parseAlertPayload(mixed, 'mixed.json', { now });
    expect(alert.endsAt).toBeUndefined();
    expect(alert.window.end).toBe('2030-01-01T00:00:00Z');
    expect(alert.title).toBe(raw.alerts[1]!.annotations.summary);
  });

  it('counts the alerts the payload held and reports the ones Alertmanager left out', () => {
    const raw = rawOf('alertmanager-v4-truncated.0.25.0.json');
    const alert = loadAlertFile(fixture('alertmanager-v4-truncated.0.25.0.json'));
    expect(raw.truncatedAlerts).toBeGreaterThan(0);
    expect(alert.alerts).toBe(raw.alerts.length);
    expect(alert.truncatedAlerts).toBe(raw.truncatedAlerts);
    expect(alert.expr).toBe('histogram_quantile(0.99, rate(rpc_seconds_bucket[5m])) > 2');
    // Equal severities: the earliest start names the incident.
    const first = [...raw.alerts].sort((a, b) => ms(a.startsAt) - ms(b.startsAt))[0]!;
    expect(alert.labels.instance).toBe(first.labels.instance);
  });

  it('uses a margin other than 30 minutes when asked', () => {
    const raw = rawOf('alertmanager-v4.0.25.0.json');
    const alert = parseAlertPayload(raw, 'x.json', { marginMs: 5 * 60 * 1000, now: new Date('2099-01-01T00:00:00Z') });
    expect(ms(alert.startsAt!) - ms(alert.window.start)).toBe(5 * 60 * 1000);
  });
});

describe('Grafana alerting webhook (documented shape)', () => {
  const raw = JSON.parse(readFileSync(fixture('grafana-webhook.docs-v11.json'), 'utf8')) as { alerts: RawAlert[] };
  const now = new Date('2026-11-26T03:00:00Z');
  const alert = loadAlertFile(fixture('grafana-webhook.docs-v11.json'), { now });

  it('is told apart from Alertmanager and parsed the same way', () => {
    const critical = raw.alerts.find((a) => a.labels.severity === 'critical')!;
    expect(alert.source).toBe('grafana');
    expect(alert.alerts).toBe(2);
    expect(alert.title).toBe(critical.annotations.summary);
    expect(alert.severity).toBe('critical');
    expect(alert.service).toBe('checkout');
    expect(alert.labels.grafana_folder).toBe('Shop');
  });

  it('converts offset timestamps to UTC and carries no PromQL', () => {
    // 04:05:00.123456+02:00 is the earliest start; JavaScript keeps milliseconds only.
    expect(alert.startsAt).toBe('2026-11-26T02:05:00.123Z');
    expect(alert.window.start).toBe('2026-11-26T01:35:00.123Z');
    expect(alert.window.end).toBe('2026-11-26T03:00:00Z');
    expect(alert.expr).toBeUndefined();
    expect(alertParams(alert)['alert.expr']).toBeUndefined();
  });

  it('sanitises label names for placeholders', () => {
    const heapOnly = parseAlertPayload({ ...raw, alerts: [raw.alerts[0]] }, 'g.json', { now });
    expect(alertParams(heapOnly)['label.app_kubernetes_io_name']).toBe('checkout');
  });
});
