/**
 * Collection progress as the engineer sees it on stderr: a redrawn block with countdowns
 * on a terminal, plain start/finish lines anywhere else.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgress, displayTarget } from '../../src/collect/progress.ts';
import { captureStream } from './fanout-helpers.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('on a stream that is not a TTY', () => {
  it('prints one plain line when each capture starts and one when it ends, nothing animated', () => {
    const stream = captureStream(false);
    const progress = createProgress({ stream, color: true });
    const cpu = progress.start({ target: '127.0.0.1:6060', what: 'cpu 5s', seconds: 5 });
    const heap = progress.start({ target: '127.0.0.1:6061', what: 'heap' });
    vi.advanceTimersByTime(1200);
    heap.done(4096);
    vi.advanceTimersByTime(3800);
    cpu.fail('connection closed during the timed capture (server WriteTimeout?)');
    progress.close();

    expect(stream.text()).not.toMatch(/[\r\u001b]/);
    expect(stream.text().split('\n')).toEqual([
      'started cpu 5s 127.0.0.1:6060 (5s window)',
      'started heap 127.0.0.1:6061',
      'done heap 127.0.0.1:6061: 4.0 KiB in 1.2 s',
      'failed cpu 5s 127.0.0.1:6060: connection closed during the timed capture (server WriteTimeout?)',
      'collected 1 of 2 (4.0 KiB) in 5.0 s; 1 failed',
      '',
    ]);
  });

  it('an endpoint the service does not offer is skipped, not counted as a failure', () => {
    const stream = captureStream(false);
    const progress = createProgress({ stream });
    const heap = progress.start({ target: '127.0.0.1:6060', what: 'heap' });
    const leak = progress.start({ target: '127.0.0.1:6060', what: 'goroutineleak debug=2' });
    heap.done(2048);
    leak.skip('not served by this service');
    progress.close();
    expect(stream.text().split('\n').slice(2)).toEqual([
      'done heap 127.0.0.1:6060: 2.0 KiB in 0 ms',
      'skipped goroutineleak debug=2 127.0.0.1:6060: not served by this service',
      'collected 1 of 1 (2.0 KiB) in 0 ms; 0 failed, 1 not served',
      '',
    ]);
  });

  it('never prints credentials, even when a caller hands them in', () => {
    const stream = captureStream(false);
    const progress = createProgress({ stream });
    progress
      .start({ target: 'http://admin:hunter2@10.0.0.7:6060', what: 'heap' })
      .fail('GET http://admin:hunter2@10.0.0.7:6060/x: Authorization: Bearer abcdef123');
    expect(stream.text()).not.toMatch(/hunter2|abcdef123/);
    expect(displayTarget('https://admin:hunter2@10.0.0.7:6060/internal/')).toBe('10.0.0.7:6060/internal');
  });
});

describe('on a TTY', () => {
  it('redraws a block with a countdown for timed captures, a few times a second at most', () => {
    const stream = captureStream(true);
    const progress = createProgress({ stream, color: false });
    const cpu = progress.start({ target: '127.0.0.1:6060', what: 'cpu', seconds: 5 });
    progress.start({ target: '127.0.0.1:6061', what: 'heap' });
    expect(stream.text()).toContain('cpu 127.0.0.1:6060 5s left');

    const before = stream.text().length;
    vi.advanceTimersByTime(2000);
    const redrawn = stream.text().slice(before);
    expect(redrawn).toContain('cpu 127.0.0.1:6060 3s left');
    expect(redrawn).toContain('collecting: 2 running, 0 done, 0 failed');
    // Each redraw moves the cursor back over the block: count them.
    const redraws = redrawn.split('\u001b[J').length - 1;
    expect(redraws).toBeGreaterThanOrEqual(4);
    expect(redraws).toBeLessThanOrEqual(10);

    cpu.fail('connection refused');
    expect(stream.text().slice(before + redrawn.length)).toContain('failed cpu 127.0.0.1:6060: connection refused\n');
  });

  it('removes the block and stops redrawing once nothing runs', () => {
    const stream = captureStream(true);
    const progress = createProgress({ stream, color: false });
    progress.start({ target: '127.0.0.1:6060', what: 'heap' }).done(100);
    const settled = stream.text();
    // The last thing written erases the block: the terminal is left clean.
    expect(settled.endsWith('\u001b[J')).toBe(true);
    vi.advanceTimersByTime(5000);
    expect(stream.text()).toBe(settled);
    progress.close();
    expect(stream.text().slice(settled.length)).toMatch(/^collected 1 of 1 \(100 B\) in \d+ ms; 0 failed\n$/);
  });

  it('colours a failure unless NO_COLOR asks for none, and still animates without colour', () => {
    const coloured = captureStream(true);
    createProgress({ stream: coloured, color: true }).start({ target: 'h:1', what: 'heap' }).fail('HTTP 500');
    expect(coloured.text()).toContain('\u001b[31mfailed\u001b[0m heap h:1: HTTP 500');

    vi.stubEnv('NO_COLOR', '1');
    const plain = captureStream(true);
    createProgress({ stream: plain }).start({ target: 'h:1', what: 'heap' }).fail('HTTP 500');
    vi.unstubAllEnvs();
    expect(plain.text()).toContain('failed heap h:1: HTTP 500');
    expect(plain.text()).not.toContain('\u001b[31m');
    expect(plain.text()).toContain('\u001b[J'); // the block is still drawn and erased
  });
});
