import { describe, expect, it } from 'vitest';
import { namesTarget } from '../../src/report/collection.ts';

describe('namesTarget', () => {
  it('finds a target by its URL or its host:port, as labels and messages write them', () => {
    expect(namesTarget('goroutine debug=2 from http://10.0.0.7:6060 (sample 1/2)', 'http://10.0.0.7:6060')).toBe(true);
    expect(namesTarget('heap from 10.0.0.7:6060', 'http://10.0.0.7:6060')).toBe(true);
    expect(namesTarget('http://10.0.0.7:6060: 2 of 2 requests failed', 'http://10.0.0.7:6060')).toBe(true);
    expect(namesTarget('GET http://10.0.0.7:6060/debug/pprof/heap: EOF', 'http://10.0.0.7:6060')).toBe(true);
    expect(namesTarget('heap from http://***@10.0.0.7:6060/?token=***', 'http://***@10.0.0.7:6060/?token=***')).toBe(true);
  });

  it('does not take one target for another that merely starts the same', () => {
    expect(namesTarget('heap from http://10.0.0.7:60601', 'http://10.0.0.7:6060')).toBe(false);
    expect(namesTarget('heap from http://10.0.0.70:6060', 'http://10.0.0.7:6060')).toBe(false);
    expect(namesTarget('heap from 110.0.0.7:6060', 'http://10.0.0.7:6060')).toBe(false);
    expect(namesTarget('heap from http://10.0.0.7:6060:6061', 'http://10.0.0.7:6060')).toBe(false);
  });
});
