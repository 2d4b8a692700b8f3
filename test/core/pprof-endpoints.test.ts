/**
 * The endpoint table and what derives from it: the playbook's `profile` values,
 * collect's kinds, the format a response is checked as, the media type it is stored
 * under, and which 404 is "not served" rather than a failure.
 */
import { describe, expect, it } from 'vitest';
import { MediaType } from '../../src/core/model.ts';
import {
  describePprofCapture,
  notServedReason,
  pprofEndpointOfKind,
  pprofFormat,
  pprofMediaType,
  PPROF_ENDPOINTS,
  PPROF_KINDS,
} from '../../src/core/pprof-endpoints.ts';
import { pprofActionSchema } from '../../src/playbook/schema.ts';

describe('the pprof endpoint table', () => {
  it('names every endpoint net/http/pprof serves, and its kind', () => {
    expect(PPROF_ENDPOINTS).toEqual(['profile', 'heap', 'allocs', 'goroutine', 'mutex', 'block', 'threadcreate', 'trace', 'goroutineleak']);
    expect(PPROF_KINDS).toEqual(['cpu', 'heap', 'allocs', 'goroutine', 'mutex', 'block', 'threadcreate', 'trace', 'goroutineleak']);
    expect(pprofEndpointOfKind('cpu')?.endpoint).toBe('profile');
    expect(pprofEndpointOfKind('profile')?.kind).toBe('cpu');
    expect(pprofEndpointOfKind('goroutines')).toBeUndefined();
    expect(PPROF_ENDPOINTS.filter((e) => pprofEndpointOfKind(e)?.timed)).toEqual(['profile', 'trace']);
  });

  it('is what a playbook may ask for', () => {
    for (const profile of PPROF_ENDPOINTS) expect(pprofActionSchema.safeParse({ id: 'p', kind: 'pprof', profile }).success).toBe(true);
    const cpu = pprofActionSchema.safeParse({ id: 'p', kind: 'pprof', profile: 'cpu' });
    expect(cpu.success).toBe(false); // the endpoint is `profile`; `cpu` is collect's kind name
  });

  it('maps a request to the format Go serves for it, and the media type it is analysed as', () => {
    const cases: [string, ('0' | '1' | '2')?, string?, string?][] = [
      ['goroutine', undefined, 'pprof-proto', MediaType.pprof('goroutine')],
      ['goroutine', '0', 'pprof-proto', MediaType.pprof('goroutine')],
      ['goroutine', '1', 'goroutines-text', MediaType.goroutines('1')],
      ['goroutine', '2', 'goroutines-text', MediaType.goroutines('2')],
      ['goroutineleak', '1', 'goroutines-text', MediaType.goroutines('1')],
      ['heap', '1', 'pprof-text', MediaType.pprofText('heap')],
      ['mutex', '2', 'pprof-text', MediaType.pprofText('mutex')],
      // The CPU and trace handlers ignore debug: what arrives is still their binary.
      ['trace', '1', 'trace', MediaType.trace],
      ['profile', '1', 'pprof-proto', MediaType.pprof('profile')],
      // A profile the service registered itself (pprof.NewProfile) is served like the count profiles.
      ['my-profile', '1', 'pprof-text', MediaType.pprofText('my-profile')],
    ];
    for (const [endpoint, debug, format, mediaType] of cases) {
      expect([endpoint, debug, pprofFormat(endpoint, debug), pprofMediaType(endpoint, debug)]).toEqual([
        endpoint,
        debug,
        format,
        mediaType,
      ]);
    }
  });

  it('reads a 404 as "not served" only where the Go version decides it', () => {
    expect(notServedReason('goroutineleak', 404)).toMatch(/GOEXPERIMENT=goroutineleakprofile, or Go 1\.27/);
    expect(notServedReason('goroutineleak', 500)).toBeUndefined();
    expect(notServedReason('heap', 404)).toBeUndefined(); // a wrong base path, not an old Go
  });

  it('names a capture the way progress lines and labels show it', () => {
    expect(describePprofCapture({ profile: 'profile', seconds: 5 })).toBe('cpu 5s');
    expect(describePprofCapture({ profile: 'goroutine', debug: '2' })).toBe('goroutine debug=2');
  });
});
