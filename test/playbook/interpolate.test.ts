import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { usageError } from '../helpers/errors.ts';
import { redactSecrets } from '../../src/core/redact.ts';
import { knownSecrets } from '../../src/core/secret-registry.ts';
import { fillArgs, fillEnv, fillText, fillValue, placeholdersIn } from '../../src/playbook/interpolate.ts';

/** What a real child process receives as argv (no shell in between, like the runner). */
function argvSeenByChild(args: string[]): string[] {
  const out = execFileSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...args], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

const HOSTILE = ['"; curl x|sh #', '$(id)', '`id`', 'a && b', '*', 'two words', "it's", 'a\nb', '{{secret}}'];

describe('fillArgs', () => {
  it('keeps every hostile value inside one argument, and a real process receives it literally', () => {
    const all: string[] = [];
    for (const value of HOSTILE) {
      const args = fillArgs(['test', '-run={{pattern}}', '{{pkg}}'], { pattern: value, pkg: `./x${value}` }, 'action race-tests');
      expect(args).toEqual(['test', `-run=${value}`, `./x${value}`]);
      all.push(...args);
    }
    // One child for all values keeps the suite fast; the argv must arrive entry for entry.
    expect(argvSeenByChild(all)).toEqual(all);
  });

  it('fills several placeholders inside one argument', () => {
    expect(
      fillArgs(['{{pprofBase}}/{{profile}}?debug=2'], { pprofBase: 'http://127.0.0.1:6060/debug/pprof', profile: 'goroutine' }, 'w'),
    ).toEqual(['http://127.0.0.1:6060/debug/pprof/goroutine?debug=2']);
  });

  it('is single pass: a value containing {{secret}} stays literal even when secret has a value', () => {
    const values = { summary: 'leak in {{secret}} handler', secret: 'hunter2' };
    expect(fillArgs(['--message={{summary}}'], values, 'w')).toEqual(['--message=leak in {{secret}} handler']);
  });

  it('rejects a value that starts with - where it would begin an argument (read as a flag)', () => {
    const error = usageError(() => fillArgs(['tool', 'pprof', '{{target}}'], { target: '-http=0.0.0.0:80' }, 'gather action cpu'));
    expect(error.message).toContain('gather action cpu');
    expect(error.message).toContain('{{target}}');
    expect(error.message).toContain('-http=0.0.0.0:80');
    expect(error.message).toContain('--target');
    expect(error.exitCode).toBe(2);
  });

  it('rejects --output=… from a declared param and names the --param flag', () => {
    const error = usageError(() => fillArgs(['{{out}}'], { out: '--output=/etc/x' }, 'analyze action vet'));
    expect(error.message).toContain('{{out}}');
    expect(error.message).toContain('--param out=');
  });

  it('accepts a - inside a flag the playbook wrote itself, and after a literal --', () => {
    expect(fillArgs(['-run={{pattern}}'], { pattern: '-Test' }, 'w')).toEqual(['-run=-Test']);
    expect(fillArgs(['exec', './app', '--', '{{arg}}'], { arg: '-v' }, 'w')).toEqual(['exec', './app', '--', '-v']);
  });

  it('does not let credentials of a rejected value reach the error', () => {
    const error = usageError(() => fillArgs(['{{pprofBase}}'], { pprofBase: '-http://admin:s3cret@host/?token=abc' }, 'w'));
    expect(error.message).not.toContain('s3cret');
    expect(error.message).not.toContain('abc');
  });

  it('rejects a NUL byte in a value before anything could run', () => {
    const error = usageError(() => fillArgs(['-run={{pattern}}'], { pattern: 'a\0b' }, 'gather action race-tests'));
    expect(error.message).toContain('gather action race-tests');
    expect(error.message).toContain('{{pattern}}');
    expect(error.message).toContain('NUL');
  });

  it('names the unknown placeholder, where it is used and what would supply it', () => {
    const error = usageError(() => fillArgs(['test', '{{packages}}'], { pattern: 'x' }, 'gather action race-tests'));
    expect(error.message).toContain('{{packages}}');
    expect(error.message).toContain('gather action race-tests');
    expect(error.message).toContain('--param packages=');
  });

  it('does not find inherited object properties as values', () => {
    expect(() => fillArgs(['{{constructor}}'], {}, 'w')).toThrow(/unknown placeholder \{\{constructor\}\}/);
  });

  it('leaves text that is not a placeholder alone and keeps the argument count', () => {
    const args = ['{{ not valid }}', '{x}', '', '{{pattern}}'];
    expect(fillArgs(args, { pattern: '' }, 'w')).toEqual(['{{ not valid }}', '{x}', '', '']);
  });
});

describe('fillText', () => {
  it('fills known placeholders, with or without spaces inside the braces', () => {
    expect(fillText('{{finding.func}} leaks in {{ service }}', { 'finding.func': 'main.worker', service: 'api' })).toBe(
      'main.worker leaks in api',
    );
  });

  it('leaves unknown placeholders as written', () => {
    expect(fillText('{{finding.func}} and {{unknown}}', { 'finding.func': 'main.f' })).toBe('main.f and {{unknown}}');
  });

  it('is single pass: a value that looks like a placeholder is not expanded again', () => {
    expect(fillText('alert: {{alert.summary}}', { 'alert.summary': 'token is {{secret}}', secret: 'hunter2' })).toBe(
      'alert: token is {{secret}}',
    );
  });
});

describe('placeholdersIn', () => {
  it('lists each name once, in order of first use', () => {
    expect(placeholdersIn('{{b}}-{{a.x}}-{{b}}')).toEqual(['b', 'a.x']);
  });
});

describe('secrets and command arguments', () => {
  afterEach(() => knownSecrets.clear());

  it.each([
    ['a secret-named placeholder', ['--token={{apiToken}}'], { apiToken: 'abc123456' }],
    ['URL credentials', ['{{target}}'], { target: 'http://u:pw-123456@10.0.0.7:6060' }],
    ['a token query parameter', ['{{url}}'], { url: 'https://h/x?access_token=abc' }],
    ['a plain name in a secret flag', ['--password={{p}}'], { p: 'hunter2' }],
    ['the value after a bare secret flag', ['-token', '{{v}}'], { v: 'abc123456' }],
    ['a value the run knows is secret', ['{{note}}'], { note: 'header was s3cr3t-hdr' }],
  ])('refuses %s, saying to use env:', (_what, args, values) => {
    knownSecrets.add('s3cr3t-hdr');
    const error = usageError(() => fillArgs(['tool', ...args], values, 'action t'));
    expect(error.message).toMatch(/would put a secret on the tool's command line/);
    expect(error.hint).toMatch(/^pass it through the action's env: instead, e\.g\. env: \{ [A-Z_]+: "\{\{\w+\}\}" \}/);
    for (const value of Object.values(values)) expect(`${error.message} ${error.hint}`).not.toContain(value);
  });

  it('lets through what is not a secret: a plain target, a path to a secret file, an empty secret param', () => {
    expect(
      fillArgs(
        ['{{target}}', '--token-file={{tokenFile}}', '{{token}}'],
        { target: 'http://10.0.0.7:6060', tokenFile: '/run/t', token: '' },
        'a',
      ),
    ).toEqual(['http://10.0.0.7:6060', '--token-file=/run/t', '']);
  });

  it('fillValue and fillEnv take secrets (a URL gotriage fetches, an environment); env secrets become known', () => {
    expect(fillValue('{{prometheusUrl}}', { prometheusUrl: 'https://u:pw-123456@prom:9090' }, 'a')).toBe('https://u:pw-123456@prom:9090');
    const env = fillEnv(
      { API_TOKEN: '{{token}}', FROM_NAME: 'x-{{plain}}', PLAIN: '{{plain}}' },
      { token: 'env-secret-1', plain: 'nothing-secret' },
      'a',
    );
    expect(env).toEqual({ API_TOKEN: 'env-secret-1', FROM_NAME: 'x-nothing-secret', PLAIN: 'nothing-secret' });
    expect(redactSecrets('tool echoed env-secret-1 and nothing-secret')).toBe('tool echoed *** and nothing-secret');
  });
});
