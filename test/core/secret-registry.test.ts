import { afterEach, describe, expect, test } from 'vitest';
import { redactCut, redactSecrets } from '../../src/core/redact.ts';
import { knownSecrets, MASK, SecretRegistry, SecretStreamMasker } from '../../src/core/secret-registry.ts';
import { registerHeaderSecret, registerParamSecrets, registerUrlSecrets } from '../../src/core/secret-sources.ts';

/** Quote, colon, slash, plus, equals, space and a non-ASCII letter: every encoding differs from the raw text. */
const SECRET = 'Wm4"pa:ss/wo+rd= ü9';

/** The secret as each encoding a tool or a serialiser could give it. */
function encodings(secret: string, user = 'oncall'): Record<string, string> {
  return {
    raw: secret,
    json: JSON.stringify(secret).slice(1, -1),
    // A JSON document held in a JSON string (an alert payload kept as text).
    jsonTwice: JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1),
    url: encodeURIComponent(secret),
    urlLowerHex: encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    form: encodeURIComponent(secret).replace(/%20/g, '+'),
    base64: Buffer.from(secret).toString('base64'),
    base64url: Buffer.from(secret).toString('base64url'),
    basicAuth: Buffer.from(`${user}:${secret}`).toString('base64'),
    base64InText: Buffer.from(`{"user":"x","password":"${secret}","n":1}`).toString('base64'),
  };
}

describe('SecretRegistry', () => {
  test.each(Object.entries(encodings(SECRET)))('masks a known value written as %s', (_name, encoded) => {
    const registry = new SecretRegistry();
    registry.add(SECRET);
    const text = `before ${encoded} after`;
    const masked = registry.mask(text);
    expect(masked).toBe(`before ${MASK} after`);
    expect(registry.mask(masked)).toBe(masked);
  });

  test('leaves other text, and other Base64, alone', () => {
    const registry = new SecretRegistry();
    registry.add(SECRET);
    const text = `ok ${Buffer.from('an unrelated value').toString('base64')} and Wm4 alone`;
    expect(registry.mask(text)).toBe(text);
  });

  test('does not register values too short to mask safely', () => {
    const registry = new SecretRegistry();
    expect(registry.add('abc')).toBe(false);
    expect(registry.size).toBe(0);
    expect(registry.mask('abc abc')).toBe('abc abc');
  });

  test('a text cut through a secret has the piece at the cut masked', () => {
    const registry = new SecretRegistry();
    registry.add(SECRET);
    expect(registry.maskCut(`log line ${SECRET.slice(0, 7)}`, { end: true })).toBe(`log line ${MASK}`);
    expect(registry.maskCut(`${SECRET.slice(-6)} rest`, { start: true })).toBe(`${MASK} rest`);
    // Uncut text ends as it ends: a prefix is only a secret's piece where a cut made it one.
    expect(registry.maskCut(`log line ${SECRET.slice(0, 7)}`, {})).toBe(`log line ${SECRET.slice(0, 7)}`);
  });
});

describe('SecretStreamMasker', () => {
  test.each([...Array(SECRET.length + 1).keys()])('masks a secret split across two chunks at %i', (at) => {
    const registry = new SecretRegistry();
    registry.add(SECRET);
    const masker = new SecretStreamMasker(registry);
    const text = `start ${SECRET} end\n`;
    const split = 'start '.length + at;
    const out = masker.push(text.slice(0, split)) + masker.push(text.slice(split)) + masker.end();
    expect(out).toBe(`start ${MASK} end\n`);
  });

  test('passes other text through in order and holds nothing back at a line end', () => {
    const masker = new SecretStreamMasker(new SecretRegistry());
    expect(masker.push('a')).toBe('a');
    const registry = new SecretRegistry();
    registry.add(SECRET);
    const holding = new SecretStreamMasker(registry);
    expect(holding.push('progress Wm')).toBe('progress ');
    expect(holding.push('x\n')).toBe('Wmx\n');
    expect(holding.end()).toBe('');
  });
});

describe('what a run registers', () => {
  afterEach(() => knownSecrets.clear());

  test('the password of a URL (as written and decoded) and the user:pass a Basic header encodes', () => {
    registerUrlSecrets(`http://oncall:${encodeURIComponent(SECRET)}@10.0.0.7:6060/debug/pprof`);
    for (const [name, encoded] of Object.entries(encodings(SECRET))) expect(redactSecrets(`x ${encoded} y`), name).toBe(`x ${MASK} y`);
  });

  test('a header value, its bearer token, and a Basic header’s password', () => {
    registerHeaderSecret('Authorization: Bearer tok-1234567');
    registerHeaderSecret(`Proxy-Authorization: Basic ${Buffer.from(`svc:${SECRET}`).toString('base64')}`);
    expect(redactSecrets('got tok-1234567 back')).toBe(`got ${MASK} back`);
    expect(redactSecrets(`echo ${SECRET}`)).toBe(`echo ${MASK}`);
  });

  test('secret-named params whatever they hold, and credentials inside any param', () => {
    registerParamSecrets({
      apiToken: 'plain-looking-value',
      prometheusUrl: 'https://prom:s3cr3t-pw@prom:9090',
      service: 'checkout',
      cache_key: 'ordinary-key',
      // An alert label is the alerting system's data, whatever its name.
      'label.token_bucket': 'default-bucket',
    });
    expect(redactSecrets('plain-looking-value s3cr3t-pw checkout ordinary-key default-bucket')).toBe(
      `${MASK} ${MASK} checkout ordinary-key default-bucket`,
    );
  });

  test('redactCut masks what a cut left of a known secret', () => {
    registerParamSecrets({ token: SECRET });
    expect(redactCut(`tail of stderr: ${SECRET.slice(0, 5)}`, { end: true })).toBe(`tail of stderr: ${MASK}`);
  });
});
