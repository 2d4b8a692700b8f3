import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PlaybookError, UsageError } from '../../src/core/errors.ts';
import { loadPlaybook, MAX_PLAYBOOK_BYTES } from '../../src/playbook/loader.ts';

const fixture = (name: string) => resolve(__dirname, '../fixtures/playbooks', name);
const tmp = mkdtempSync(join(tmpdir(), 'gotriage-loader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes a playbook into the temp dir and returns its path. */
function writePlaybook(name: string, text: string | Buffer): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

/** Loads a file that must fail, and returns the PlaybookError. */
function loadError(path: string): PlaybookError {
  try {
    loadPlaybook(path);
  } catch (error) {
    expect(error).toBeInstanceOf(PlaybookError);
    return error as PlaybookError;
  }
  throw new Error(`${path} loaded, but it should have been rejected`);
}

describe('loadPlaybook: a valid playbook', () => {
  it('returns the parsed playbook, absolute path, sha256 of the bytes and the source', () => {
    const loaded = loadPlaybook(fixture('valid.yaml'));
    const bytes = readFileSync(fixture('valid.yaml'));
    expect(loaded.path).toBe(fixture('valid.yaml'));
    expect(loaded.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(loaded.source).toBe(bytes.toString('utf8'));
    expect(loaded.playbook.name).toBe('leak-hunt');
    // Quoted "1.20" stays the text 1.20, not the number 1.2.
    expect(loaded.playbook.params.goVersion).toBe('1.20');
    expect(loaded.playbook.steps.gather.actions.map((a) => a.id)).toEqual(['goroutines', 'cpu', 'race-test']);
    // Defaults from the schema are filled for steps the file leaves out.
    expect(loaded.playbook.steps.analyze.actions[0]).toMatchObject({ tool: 'go', args: ['vet', './...'], okExitCodes: [0], parse: 'none' });
  });

  it('resolves a relative path against the working directory', () => {
    const relative = join('test', 'fixtures', 'playbooks', 'valid.yaml');
    expect(loadPlaybook(relative).path).toBe(resolve(relative));
  });

  it('accepts a UTF-8 byte-order mark without shifting columns', () => {
    const text = readFileSync(fixture('misspelled-key.yaml'), 'utf8');
    const error = loadError(writePlaybook('bom.yaml', '\uFEFF' + text));
    expect([error.line, error.col]).toEqual([14, 9]);
  });
});

describe('loadPlaybook: bad inputs from bad-inputs.md, with exact positions', () => {
  it('unclosed bracket: points where yaml notices the flow sequence never closed', () => {
    const error = loadError(fixture('unclosed-bracket.yaml'));
    expect(error.file).toBe(fixture('unclosed-bracket.yaml'));
    // `args: [vet, ./...` opens on line 10; the next key at 11:9 is where the sequence must have ended.
    expect([error.line, error.col]).toEqual([11, 9]);
    expect(error.message).toContain(`${fixture('unclosed-bracket.yaml')}:11:9:`);
    expect(error.message).toMatch(/end with a \]/);
    expect(error.exitCode).toBe(2);
  });

  it('tab indentation: points at the tab', () => {
    const error = loadError(fixture('tab-indent.yaml'));
    expect([error.line, error.col]).toEqual([6, 1]);
    expect(error.message).toMatch(/Tabs are not allowed as indentation/);
  });

  it('duplicate key: points at the second occurrence', () => {
    const error = loadError(fixture('duplicate-key.yaml'));
    expect([error.line, error.col]).toEqual([11, 9]);
    expect(error.message).toMatch(/must be unique/);
    expect(error.message).toContain('profile: allocs');
  });

  it('misspelled key: points at the key and suggests the right one', () => {
    const error = loadError(fixture('misspelled-key.yaml'));
    expect([error.line, error.col]).toEqual([14, 9]);
    expect(error.path).toBe('steps.gather.actions[1].timout');
    expect(error.message).toContain("unknown key 'timout' (did you mean 'timeout'?)");
  });

  it('a number where a string is meant: shows what was written and how to quote it', () => {
    const error = loadError(fixture('number-for-string.yaml'));
    expect([error.line, error.col]).toEqual([5, 7]);
    expect(error.path).toBe('params.go');
    expect(error.message).toContain('expected a string, but 1.20 is read as the number 1.2 — quote it: "1.20"');
  });

  it('a number inside an argument list: points at the element', () => {
    const error = loadError(fixture('number-in-args.yaml'));
    expect([error.line, error.col]).toEqual([10, 40]);
    expect(error.path).toBe('steps.analyze.actions[0].args[3]');
    expect(error.message).toContain('quote it: "10"');
  });

  it('a file over the size limit: refused at 1:1 naming the limit, before parsing', () => {
    const filler = '# padding\n'.repeat(MAX_PLAYBOOK_BYTES / 10 + 1);
    const error = loadError(writePlaybook('huge.yaml', `apiVersion: gotriage/v1\n${filler}`));
    expect([error.line, error.col]).toEqual([1, 1]);
    expect(error.message).toContain('256 KiB');
  });

  it('a file exactly at the size limit is still read', () => {
    const head = 'apiVersion: gotriage/v1\nname: big\ntitle: Big\nsteps: {}\n';
    const text = head + '#'.repeat(MAX_PLAYBOOK_BYTES - head.length);
    expect(loadPlaybook(writePlaybook('limit.yaml', text)).playbook.name).toBe('big');
  });

  it('an empty (comment-only) file', () => {
    const error = loadError(fixture('empty.yaml'));
    expect([error.line, error.col]).toEqual([1, 1]);
    expect(error.message).toMatch(/playbook is empty/);
  });

  it('a document that is a list, not a mapping', () => {
    const error = loadError(fixture('not-a-mapping.yaml'));
    expect([error.line, error.col]).toEqual([1, 1]);
    expect(error.message).toMatch(/is a list/);
  });

  it('two documents in one file: points at the second', () => {
    const error = loadError(fixture('two-documents.yaml'));
    expect([error.line, error.col]).toEqual([5, 1]);
    expect(error.message).toMatch(/second one starts here/);
  });

  it('bytes that are not UTF-8: points at the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('apiVersion: gotriage/v1\ntitle: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const error = loadError(writePlaybook('latin1.yaml', bytes));
    expect([error.line, error.col]).toEqual([2, 11]);
    expect(error.message).toMatch(/not valid UTF-8/);
  });

  it('a missing required key points at the object that lacks it', () => {
    const path = writePlaybook(
      'no-title.yaml',
      'apiVersion: gotriage/v1\nname: x\nsteps:\n  gather:\n    actions:\n      - id: a\n        profile: heap\n',
    );
    const error = loadError(path);
    expect(error.message).toContain("missing required key 'title'");
    const second = error.message.split('\n').find((line) => line.includes("missing required key 'kind'"));
    expect(second).toContain(`${path}:6:9:`);
  });

  it('an unknown profile suggests the closest endpoint', () => {
    const path = writePlaybook(
      'enum.yaml',
      'apiVersion: gotriage/v1\nname: x\ntitle: x\nsteps:\n  gather:\n    actions:\n      - id: a\n        kind: pprof\n        profile: goroutines\n',
    );
    const error = loadError(path);
    expect([error.line, error.col]).toEqual([9, 18]);
    expect(error.message).toContain("did you mean 'goroutine'?");
  });

  it('every schema problem is listed, each with its own position', () => {
    const path = writePlaybook('many.yaml', 'apiVersion: gotriage/v2\nname: x\ntitle: x\nsteps:\n  gater: {}\n');
    const error = loadError(path);
    expect([error.line, error.col]).toEqual([1, 13]);
    expect(error.message).toContain("must be 'gotriage/v1'");
    expect(error.message).toContain(`${path}:5:3: steps.gater: unknown key 'gater' (did you mean 'gather'?)`);
  });
});

describe('loadPlaybook: hostile content', () => {
  it('refuses alias expansion bombs instead of building a huge object', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const error = loadError(writePlaybook('bomb.yaml', levels.join('\n') + '\n'));
    expect([error.line, error.col]).toEqual([1, 1]);
    expect(error.message).toMatch(/alias/i);
  });

  it('does not repeat credentials from the playbook in an error', () => {
    // The source line is quoted under the message, and a wrong value is described: both redacted.
    const unknownKey = loadError(
      writePlaybook(
        'secret-key.yaml',
        'apiVersion: gotriage/v1\nname: x\ntitle: x\nsteps: {}\nbase: https://admin:hunter2@prod.example/debug/pprof\n',
      ),
    );
    expect([unknownKey.line, unknownKey.col]).toEqual([5, 1]);
    expect(unknownKey.message).toContain('https://***@prod.example/debug/pprof');
    expect(unknownKey.message).not.toContain('hunter2');
    const wrongValue = loadError(
      writePlaybook('secret-value.yaml', 'apiVersion: https://prod.example/?token=abc123\nname: x\ntitle: x\nsteps: {}\n'),
    );
    expect(wrongValue.message).toContain("must be 'gotriage/v1'");
    expect(wrongValue.message).not.toContain('abc123');
  });
});

describe('loadPlaybook: files that cannot be read', () => {
  it('a missing file is a usage error naming the path', () => {
    const missing = join(tmp, 'nope.yaml');
    expect(() => loadPlaybook(missing)).toThrow(UsageError);
    expect(() => loadPlaybook(missing)).toThrow(`playbook ${missing} not found`);
  });

  it('a directory is a usage error', () => {
    expect(() => loadPlaybook(tmp)).toThrow(/is not a file/);
  });
});
