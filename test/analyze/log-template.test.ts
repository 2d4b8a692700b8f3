import { expect, it } from 'vitest';
import { messageTemplate } from '../../src/analyze/log-template.ts';

it('merges messages that differ only in durations, numbers, ids, addresses and quoted values', () => {
  const same = (a: string, b: string) => expect(messageTemplate(a)).toBe(messageTemplate(b));
  same('timeout after 31ms', 'timeout after 2s');
  same('timeout after 1m30s', 'timeout after 1.5µs');
  same(
    'payment failed for order 7f3c2a9e-5b1d-4c2e-9a7f-0e8d6c5b4a31: upstream 10.0.3.17:8443 returned 503',
    'payment failed for order 0b8e4d21-9c3a-4f6e-8d2b-7a1c5e9f3b04: upstream 10.0.3.18:8443 returned 502',
  );
  same('dial [::1]:6060 failed', 'dial [fe80::1]:80 failed');
  same('bad object at 0xc000012345', 'bad object at 0x1f');
  same('trace 4bf92f3577b34da6a3ce929d0e0e4736 failed', 'trace 00f067aa0ba902b7a3ce929d0e0e4736 failed');
  same('user "alice" not found', 'user "bob o\'neil" not found');
  same('retry budget exhausted phase=2 upstream=payments', 'retry budget exhausted phase=3 upstream=inventory');
});

it('keeps what names the problem apart', () => {
  expect(messageTemplate('timeout after 31ms')).not.toBe(messageTemplate('connection refused after 31ms'));
  expect(messageTemplate('http2: stream closed')).toBe('http2: stream closed'); // digits inside words stay
  expect(messageTemplate('index out of range [3] with length 3')).toBe('index out of range [<num>] with length <num>');
});

it('masks secrets before templating, so none survive in a template', () => {
  const t = messageTemplate('fetch https://admin:hunter2@127.0.0.1:9/report failed: Authorization: Bearer s3cr3tT0kenABC123');
  expect(t).not.toMatch(/hunter2|s3cr3t/);
  expect(t).toContain('***@');
});
