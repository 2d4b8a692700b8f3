/**
 * Plain text and Markdown bug reports, as an engineer would paste them into a file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertParams, loadAlertFile } from '../../src/collect/alert.ts';

const dir = mkdtempSync(join(tmpdir(), 'gotriage-alert-text-'));
let n = 0;
function report(text: string, now = new Date('2026-11-26T03:30:00Z')) {
  const path = join(dir, `report-${++n}.md`);
  writeFileSync(path, text);
  return loadAlertFile(path, { now });
}

describe('bug reports', () => {
  it('takes the title from the first heading and the facts the report states', () => {
    const alert = report(
      [
        'Reported by the payments team',
        '',
        '## **Checkout** returns 502 for card payments',
        '',
        '- Severity: P1',
        '- Service: checkout',
        '',
        'Errors since 02:50, worse after the 03:05 deploy.',
        '',
        '```sh',
        '# this comment is not a heading',
        '```',
      ].join('\n'),
    );
    expect(alert.source).toBe('text');
    expect(alert.title).toBe('Checkout returns 502 for card payments');
    expect(alert.severity).toBe('critical');
    expect(alert.service).toBe('checkout');
    expect(alert.startsAt).toBe('2026-11-26T02:50:00Z');
    expect(alert.window).toEqual({ start: '2026-11-26T02:20:00Z', end: '2026-11-26T03:30:00Z' });
    expect(alert.alerts).toBe(1);
    expect(alertParams(alert)).toMatchObject({
      'alert.startsAt': '2026-11-26T02:50:00Z',
      'window.start': '2026-11-26T02:20:00Z',
      service: 'checkout',
    });
  });

  it('uses the first line of plain text and the earliest ISO timestamp in it', () => {
    const alert = report('checkout is slow\nfirst 5xx at 2026-11-26T01:15:30+01:00, pager at 2026-11-26 00:20 UTC\n');
    expect(alert.title).toBe('checkout is slow');
    expect(alert.severity).toBe('medium');
    expect(alert.startsAt).toBe('2026-11-26T00:15:30Z');
  });

  it('reads a setext heading and SEV / word severities', () => {
    expect(report('Orders lost\n===========\n\nSEV-2, started at 01:00').severity).toBe('high');
    expect(report('Orders lost\n===========\n').title).toBe('Orders lost');
    expect(report('# Disk filling\nThis is urgent.').severity).toBe('critical');
    expect(report('# Disk filling\nJust a warning for now.').severity).toBe('medium');
    expect(report('# Disk filling\n**Severity:** low\nhigh CPU too').severity).toBe('low');
    // "high" in prose is a description, not a severity.
    expect(report('# high CPU on checkout').severity).toBe('medium');
  });

  it('puts a time of day after now on the previous day', () => {
    const alert = report('# Queue stuck\nstuck since 23:50', new Date('2026-11-26T00:10:00Z'));
    expect(alert.startsAt).toBe('2026-11-25T23:50:00Z');
  });

  it('without a stated time, collects over the last 30 minutes', () => {
    const alert = report('# Something is off');
    expect(alert.startsAt).toBeUndefined();
    expect(alert.window).toEqual({ start: '2026-11-26T03:00:00Z', end: '2026-11-26T03:30:00Z' });
  });

  it('keeps template syntax literal and redacts credentials in what it keeps', () => {
    const alert = report(
      '# {{secret}} leaked via https://ops:hunter2@grafana.example/d/x?token=abc123\nAuthorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload',
    );
    expect(alert.title).toContain('{{secret}}');
    expect(alert.title).not.toContain('hunter2');
    const kept = JSON.stringify(alert.raw);
    for (const secret of ['hunter2', 'abc123', 'eyJhbGciOiJIUzI1NiJ9']) expect(kept).not.toContain(secret);
    expect(kept).toContain('{{secret}}');
    // A report that opens with template syntax is still a report, not broken JSON.
    expect(report('{{secret}} shows up in the checkout logs').title).toBe('{{secret}} shows up in the checkout logs');
  });
});
