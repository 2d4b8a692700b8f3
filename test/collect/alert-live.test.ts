/**
 * A live Alertmanager (Debian package prometheus-alertmanager) delivering to a local webhook
 * receiver: the payloads it sends now must parse as the captured fixtures did. Skipped, with
 * the reason printed, when no Alertmanager binary is installed.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { alertParams, loadAlertFile } from '../../src/collect/alert.ts';
import { findExecutable } from '../../src/exec/which.ts';

const script = join(import.meta.dirname, '../fixtures/alerts/capture-alertmanager.sh');
const binary = findExecutable('prometheus-alertmanager') ?? findExecutable('alertmanager');
if (!binary) console.warn('alert-live: skipped, install prometheus-alertmanager to run it');

describe.skipIf(!binary)('live Alertmanager webhook', () => {
  it('delivers firing, truncated and resolved payloads that parse', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gotriage-am-'));
    const before = Date.now();
    // The script stops its Alertmanager and receiver on exit (trap), and the receiver stops itself after 90 s.
    await execa(script, [out], { timeout: 100_000 });
    const files = readdirSync(out).sort();
    expect(files.filter((f) => f.startsWith('alertmanager-v4'))).toHaveLength(3);
    const firingName = files.find((f) => /^alertmanager-v4\.\d/.test(f))!;
    const firing = loadAlertFile(join(out, firingName));
    // The script posts a warning alert started 10 min ago and a critical one started 4 min ago.
    expect(firing.title).toBe('checkout 5xx above 50% on 10.0.0.8');
    expect(firing.severity).toBe('critical');
    expect(Math.abs(Date.parse(firing.startsAt!) - (before - 10 * 60_000))).toBeLessThan(30_000);
    expect(firing.expr).toBe('rate(http_requests_total{job="checkout",code=~"5.."}[5m]) > 0.1');
    expect(alertParams(firing)['label.flag']).toBe('-http=0.0.0.0:80');
    expect(JSON.stringify(firing.raw)).not.toMatch(/hunter2|s3cr3t-gen/);
    const resolved = loadAlertFile(
      join(
        out,
        files.find((f) => f.includes('resolved'))!,
      ),
    );
    expect(resolved.endsAt).toBeDefined();
    expect(resolved.window.end).toBe(resolved.endsAt);
    expect(
      loadAlertFile(
        join(
          out,
          files.find((f) => f.includes('truncated'))!,
        ),
      ).truncatedAlerts,
    ).toBe(1);
    rmSync(out, { recursive: true, force: true });
  }, 110_000);
});
