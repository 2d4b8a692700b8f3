/**
 * Targets files and --header values: what is accepted, and errors that name the line
 * without printing a credential.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTargetsFile, parseHeaderFlag, parseHeaderFlags } from '../../src/collect/targets.ts';
import { usageError } from '../helpers/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'gotriage-targets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeTargets(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadTargetsFile', () => {
  it('reads one URL per line, skipping comments and blank lines, credentials included', () => {
    const path = writeTargets(
      'ok.txt',
      [
        '# checkout, eu-west',
        '',
        'http://10.0.0.7:6060',
        '  https://admin:hunter2@10.0.0.8:6060/internal  # behind auth',
        '\thttp://[::1]:6061',
        '',
      ].join('\r\n'),
    );
    expect(loadTargetsFile(path)).toEqual(['http://10.0.0.7:6060', 'https://admin:hunter2@10.0.0.8:6060/internal', 'http://[::1]:6061']);
  });

  it.each([
    ['not a URL', 'http://10.0.0.7:6060\nadmin:hunter2@10.0.0.8:6060\n', 2, /not a URL: it must start with http:\/\/ or https:\/\//],
    ['a bad port', 'http://admin:hunter2@10.0.0.8:99999\n', 1, /not a URL: http:\/\/\*\*\*@10\.0\.0\.8:99999/],
    [
      'a non-HTTP scheme',
      '# x\n\nftp://admin:hunter2@10.0.0.8/\n',
      3,
      /must be http:\/\/ or https:\/\/, got ftp:\/\/ \(ftp:\/\/\*\*\*@10\.0\.0\.8\/\)/,
    ],
    ['two URLs on a line', 'http://a:6060 http://admin:hunter2@b:6060\n', 1, /one URL per line/],
    ['a duplicate', 'http://a:6060\n\nhttp://a:6060\n', 3, /http:\/\/a:6060 is already listed on line 1/],
    ['a fragment', 'http://a:6060#canary\n', 1, /#fragment/],
  ])('names the line of %s without printing the password', (_what, text, line, pattern) => {
    const path = writeTargets(`bad-${line}.txt`, text);
    const error = usageError(() => loadTargetsFile(path));
    expect(error.message.startsWith(`${path}:${line}: `)).toBe(true);
    expect(error.message).toMatch(pattern);
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses a file with no targets and a missing file, naming the file', () => {
    const empty = writeTargets('empty.txt', '# nothing yet\n\n');
    expect(usageError(() => loadTargetsFile(empty)).message).toBe(
      `${empty}: no targets in the file (one URL per line; # starts a comment)`,
    );
    expect(usageError(() => loadTargetsFile(join(dir, 'missing.txt'))).message).toMatch(/^cannot read targets file .*missing\.txt: ENOENT/);
  });
});

describe('parseHeaderFlag', () => {
  it('splits at the first colon and keeps the value as given', () => {
    expect(parseHeaderFlag('Authorization: Bearer abc:def==')).toEqual({ name: 'Authorization', value: 'Bearer abc:def==' });
    expect(parseHeaderFlags(['X-Api-Key: k1', 'x-api-key: k2', 'Cookie: session=s'])).toEqual({ 'x-api-key': 'k2', cookie: 'session=s' });
  });

  it.each([
    ['Bearer s3cr3t', /needs a name and a value/],
    ['Bad Name: s3cr3t', /not a valid HTTP header name/],
    ['Host: evil.example', /cannot be set/],
    ['Authorization: Bearer s3cr3t\r\nX-Injected: 1', /line break or NUL/],
    ['Authorization:   ', /value is empty/],
  ])('refuses %j without echoing the value', (flag, pattern) => {
    const error = usageError(() => parseHeaderFlag(flag));
    expect(error.message).toMatch(pattern);
    expect(`${error.message} ${error.hint ?? ''}`).not.toContain('s3cr3t');
  });
});
