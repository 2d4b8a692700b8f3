import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { buildPprofUrl, normaliseBase } from '../../src/collect/pprof-url.ts';

describe('buildPprofUrl', () => {
  it('joins target, base and profile with the query Go expects', () => {
    const { url, authorization, endpoint } = buildPprofUrl({ targetUrl: 'http://10.0.0.5:6060', profile: 'profile', seconds: 5 });
    expect(url.href).toBe('http://10.0.0.5:6060/debug/pprof/profile?seconds=5');
    expect(endpoint).toBe(url.href);
    expect(authorization).toBeUndefined();
    expect(buildPprofUrl({ targetUrl: 'http://h:1/', profile: 'goroutine', debug: '2' }).url.href).toBe(
      'http://h:1/debug/pprof/goroutine?debug=2',
    );
    expect(buildPprofUrl({ targetUrl: 'http://h:1', profile: 'heap', debug: '0' }).url.href).toBe('http://h:1/debug/pprof/heap');
  });

  it('normalises the base path however it is written', () => {
    for (const base of ['/user/debug/pprof', '/user/debug/pprof/', 'user/debug/pprof', ' user/debug/pprof// ']) {
      expect(normaliseBase(base)).toBe('/user/debug/pprof');
    }
    expect(buildPprofUrl({ targetUrl: 'http://h:1', pprofBase: '/', profile: 'heap' }).url.pathname).toBe('/heap');
  });

  it('moves userinfo into a Basic header and out of every printable form', () => {
    const built = buildPprofUrl({ targetUrl: 'https://ops:p%40ss-w0rd@h:1/?token=tok-123', profile: 'heap' });
    expect(built.authorization).toBe(`Basic ${Buffer.from('ops:p@ss-w0rd').toString('base64')}`);
    expect(built.url.username).toBe('');
    expect(built.endpoint).not.toMatch(/p%40ss|p@ss|tok-123|ops:/);
  });

  it('refuses what Go would misread or what is not a profile name', () => {
    const usage = (f: () => unknown) => expect(f).toThrow(UsageError);
    usage(() => buildPprofUrl({ targetUrl: 'http://h:1', profile: 'profile', seconds: 1.5 }));
    usage(() => buildPprofUrl({ targetUrl: 'http://h:1', profile: 'profile', seconds: 0 }));
    usage(() => buildPprofUrl({ targetUrl: 'http://h:1', profile: '../cmdline' }));
    usage(() => buildPprofUrl({ targetUrl: 'ftp://h:1', profile: 'heap' }));
    expect(() => buildPprofUrl({ targetUrl: 'not a url ://x:secret@', profile: 'heap' })).toThrow(/not a URL/);
    expect(buildPprofUrl({ targetUrl: 'http://h:1', profile: 'trace', seconds: 0.5 }).url.search).toBe('?seconds=0.5');
  });
});
