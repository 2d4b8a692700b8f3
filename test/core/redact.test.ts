import { describe, expect, test } from 'vitest';
import { redactArgv, redactSecrets, redactUrl } from '../../src/core/redact.ts';

/** Each case: input, the secrets that must vanish, and the exact redacted text. */
const TEXT_CASES: { text: string; secrets: string[]; redacted: string }[] = [
  {
    text: 'GET https://oncall:hunter2@api.example.com:6060/debug/pprof/heap?seconds=5&token=tok123 failed: 401',
    secrets: ['oncall', 'hunter2', 'tok123'],
    redacted: 'GET https://***@api.example.com:6060/debug/pprof/heap?seconds=5&token=*** failed: 401',
  },
  {
    // A raw '@' in the password: the userinfo ends at the LAST '@' of the authority.
    text: 'dial http://admin:p@ss@10.0.0.7/ refused',
    secrets: ['admin', 'p@ss', 'ss@'],
    redacted: 'dial http://***@10.0.0.7/ refused',
  },
  {
    text: 'see (https://bucket.s3.amazonaws.com/dump?X-Amz-Credential=AKIA1&X-Amz-Signature=deadbeef&X-Amz-Expires=60).',
    secrets: ['AKIA1', 'deadbeef'],
    redacted: 'see (https://bucket.s3.amazonaws.com/dump?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Expires=60).',
  },
  {
    text: 'postgres://app:dbpw@db:5432/triage?sslmode=disable&api_key=k1&apikey=k2&sig=s3',
    secrets: ['dbpw', 'k1', 'k2', 's3'],
    redacted: 'postgres://***@db:5432/triage?sslmode=disable&api_key=***&apikey=***&sig=***',
  },
  {
    text: 'callback https://app.example/cb#access_token=frag-secret&state=xyz',
    secrets: ['frag-secret'],
    redacted: 'callback https://app.example/cb#access_token=***&state=xyz',
  },
  {
    text: 'request headers:\nAuthorization: Basic dXNlcjpwYXNz\nAccept: */*',
    secrets: ['dXNlcjpwYXNz'],
    redacted: 'request headers:\nAuthorization: ***\nAccept: */*',
  },
  {
    text: 'Set-Cookie: session=abc123; Path=/; HttpOnly\nCookie: sid=s1; theme=dark',
    secrets: ['abc123', 's1'],
    redacted: 'Set-Cookie: ***\nCookie: ***',
  },
  {
    text: '{"authorization": "Bearer ey.J.x", "cookie": "sid=9", "status": 401}',
    secrets: ['ey.J.x', 'sid=9'],
    redacted: '{"authorization": "***", "cookie": "***", "status": 401}',
  },
  {
    text: `curl -H "Authorization: Bearer abc.def.ghi" -H 'X-Api-Key: k-42' http://svc:6060/`,
    secrets: ['abc.def.ghi', 'k-42'],
    redacted: `curl -H "Authorization: ***" -H 'X-Api-Key: ***' http://svc:6060/`,
  },
  {
    text: 'upstream said: invalid Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
    secrets: ['eyJhbGciOiJIUzI1NiJ9'],
    redacted: 'upstream said: invalid Bearer ***',
  },
  {
    text: 'env: password=hunter2 GITHUB_TOKEN=ghp_abc client_secret="s p a c e" PWD=/home/me USER=bob',
    secrets: ['hunter2', 'ghp_abc', 's p a c e'],
    redacted: 'env: password=*** GITHUB_TOKEN=*** client_secret="***" PWD=/home/me USER=bob',
  },
  {
    // A secret with a quote inside: masked whole, not up to the quote, as written and as JSON.
    text: 'started tool --token=Ab"Wm4x and ["tool","--password=Ab\\"Wm4x"] api_key=q"r"s end',
    secrets: ['Wm4x', 'r"s'],
    redacted: 'started tool --token=*** and ["tool","--password=***"] api_key=*** end',
  },
  {
    text: 'config: {"api_token": "t0k", "db_password": \'pw\'}',
    secrets: ['t0k', "'pw'"],
    redacted: 'config: {"api_token": "***", "db_password": \'***\'}',
  },
];

/** Evidence that must come through untouched: redaction may not damage what tools printed. */
const UNCHANGED = [
  'http://localhost:6060/debug/pprof/profile?seconds=30',
  'http://127.0.0.1:6060/debug/pprof/goroutine?debug=2#top',
  'panic: runtime error: index out of range [5] with length 3',
  'main.go:12: tokenizer: unexpected EOF',
  'goroutine 7 [chan receive, 3 minutes]:\nmain.worker(0xc000010000)\n\t/src/app/main.go:42 +0x5d',
  'go: downloading golang.org/x/sys v0.20.0',
  'mailto:oncall@example.com and user@host are not URLs with credentials',
  // A check that failed is not a credential: "signature" names a secret only in key=value form.
  'TLS certificate of https://10.0.0.7:6060/debug/pprof/heap is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE: self-signed or from an unknown CA)',
  'x509: invalid signature: parent certificate cannot sign this kind of certificate',
  // Where a secret is kept is not the secret: passing it by file is what gotriage asks for.
  'GITHUB_TOKEN_FILE=/run/secrets/gh --password-file=/etc/pw',
  // A placeholder is not a value: messages about a playbook stay readable.
  '{{token}} in the argument "--token={{token}}": use env: { TOKEN: "{{token}}" }',
];

describe('redactSecrets', () => {
  test.each(TEXT_CASES)('hides the secrets in $text', ({ text, secrets, redacted }) => {
    const out = redactSecrets(text);
    for (const secret of secrets) expect(out).not.toContain(secret);
    expect(out).toBe(redacted);
  });

  test.each(TEXT_CASES.map((c) => c.text))('is idempotent on %s', (text) => {
    const once = redactSecrets(text);
    expect(redactSecrets(once)).toBe(once);
  });

  test.each(UNCHANGED)('leaves ordinary tool output alone: %s', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('redactUrl', () => {
  test('drops userinfo and masks secret query values, keeping everything else byte for byte', () => {
    expect(redactUrl('https://u:p@Host.Example:8443/a%20b/?Token=T&page=2&key=K')).toBe(
      'https://***@Host.Example:8443/a%20b/?Token=***&page=2&key=***',
    );
  });

  test('masks percent-encoded secret names and a user without password', () => {
    expect(redactUrl('http://deploy@h/x?access%5Ftoken=abc&password=&q=1')).toBe('http://***@h/x?access%5Ftoken=***&password=***&q=1');
  });

  test('is idempotent and leaves non-URLs alone', () => {
    const once = redactUrl('https://a:b@h/?sig=1');
    expect(redactUrl(once)).toBe(once);
    expect(redactUrl('localhost:6060')).toBe('localhost:6060');
  });
});

describe('redactArgv', () => {
  test('masks URLs, header values, --flag=value and the value after a bare secret flag', () => {
    const argv = [
      'go',
      'tool',
      'pprof',
      '-http=',
      'https://x:y@h/debug/pprof/heap?token=t',
      '--password',
      'pw1',
      '-token',
      'tk2',
      '--api-key=k3',
      '--token=Ab"Wm4 x',
      '--token-file=/run/t',
      '-seconds',
      '30',
    ];
    const shown = redactArgv(argv);
    expect(shown).toEqual([
      'go',
      'tool',
      'pprof',
      '-http=',
      'https://***@h/debug/pprof/heap?token=***',
      '--password',
      '***',
      '-token',
      '***',
      '--api-key=***',
      '--token=***',
      '--token-file=/run/t',
      '-seconds',
      '30',
    ]);
    expect(redactArgv(shown)).toEqual(shown);
    expect(argv[6]).toBe('pw1'); // the input is not mutated
  });
});
