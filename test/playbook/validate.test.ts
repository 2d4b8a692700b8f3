import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PlaybookError } from '../../src/core/errors.ts';
import { RUNTIME_PARAMS, validatePlaybookFile } from '../../src/playbook/validate.ts';

const tmp = mkdtempSync(join(tmpdir(), 'gotriage-validate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const HEAD = 'apiVersion: gotriage/v1\nname: checks\ntitle: Cross-checks\n';

/** Writes HEAD + body (lines 1-3 are the head, so the body starts on line 4). */
function writePlaybook(name: string, body: string): string {
  const path = join(tmp, name);
  writeFileSync(path, HEAD + body);
  return path;
}

function validationError(path: string): PlaybookError {
  try {
    validatePlaybookFile(path);
  } catch (error) {
    expect(error).toBeInstanceOf(PlaybookError);
    return error as PlaybookError;
  }
  throw new Error(`${path} validated, but it should have been rejected`);
}

describe('validatePlaybookFile', () => {
  it('accepts the valid fixture with no warnings', () => {
    const file = resolve(__dirname, '../fixtures/playbooks/valid.yaml');
    const result = validatePlaybookFile(file);
    expect(result.path).toBe(file);
    expect(result.playbook.steps.fix.recheck).toEqual(['goroutines']);
    expect(result.warnings).toEqual([]);
    // The same content the loader returns, so callers read the file once.
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.source).toContain('name: leak-hunt');
  });

  it('still reports load errors with their position', () => {
    const error = validationError(resolve(__dirname, '../fixtures/playbooks/misspelled-key.yaml'));
    expect([error.line, error.col]).toEqual([14, 9]);
  });

  it('rejects a duplicate action id at the second one', () => {
    const path = writePlaybook(
      'dup-id.yaml',
      'steps:\n  gather:\n    actions:\n      - { id: heap, kind: pprof, profile: heap }\n      - { id: heap, kind: pprof, profile: allocs }\n',
    );
    const error = validationError(path);
    expect([error.line, error.col]).toEqual([8, 15]);
    expect(error.path).toBe('steps.gather.actions[1].id');
    expect(error.message).toContain("duplicate id 'heap'");
  });

  it('rejects a recheck that names no gather action, suggesting the closest', () => {
    const path = writePlaybook(
      'recheck.yaml',
      'steps:\n  gather:\n    actions:\n      - { id: goroutines, kind: pprof, profile: goroutine }\n  fix:\n    recheck: [goroutine]\n',
    );
    const error = validationError(path);
    expect([error.line, error.col]).toEqual([9, 15]);
    expect(error.message).toContain("recheck names 'goroutine', which is not a gather action (did you mean 'goroutines'?)");
  });

  it('requires an interval when more than one sample is taken', () => {
    const path = writePlaybook(
      'samples.yaml',
      'steps:\n  gather:\n    actions:\n      - id: goroutines\n        kind: pprof\n        profile: goroutine\n        samples: 3\n',
    );
    const error = validationError(path);
    expect([error.line, error.col]).toEqual([10, 18]);
    expect(error.message).toContain('samples: 3 needs an interval');
  });

  it('rejects an undeclared placeholder in args and suggests the declared one', () => {
    const path = writePlaybook(
      'placeholder.yaml',
      'params:\n  testPattern: TestX\nsteps:\n  gather:\n    actions:\n      - id: race\n        kind: command\n        tool: go\n        args: [test, "-run={{testPatern}}"]\n',
    );
    const error = validationError(path);
    expect([error.line, error.col]).toEqual([12, 22]);
    expect(error.path).toBe('steps.gather.actions[0].args[1]');
    expect(error.message).toContain('unknown placeholder {{testPatern}}: did you mean {{testPattern}}?');
  });

  it('accepts runtime params, declared params and answers given before the action runs', () => {
    const args = [...RUNTIME_PARAMS.map((name) => `{{${name}}}x`), '{{pkg}}', '{{alert.summary}}', '{{gather.scope}}'];
    const path = writePlaybook(
      'known.yaml',
      'params:\n  pkg: ./...\nsteps:\n  alert:\n    prompts: [{ key: summary, message: What? }]\n  gather:\n    prompts: [{ key: scope, message: Which? }]\n' +
        `    actions:\n      - id: t\n        kind: command\n        tool: go\n        args: ${JSON.stringify(args)}\n`,
    );
    // Known, so no error; {{target}} alone draws the warning that a URL may carry credentials (validate-secrets.test.ts).
    expect(validatePlaybookFile(path).warnings).toEqual([expect.stringMatching(/args\[\d+\]: \{\{target\}\} can hold a secret/)]);
  });

  it('rejects an answer used before its step asks for it', () => {
    const path = writePlaybook(
      'late-answer.yaml',
      'steps:\n  gather:\n    actions:\n      - { id: t, kind: command, tool: git, args: [show, "{{fix.commit}}"] }\n  fix:\n    prompts: [{ key: commit, message: Which commit? }]\n',
    );
    const error = validationError(path);
    expect([error.line, error.col]).toEqual([7, 57]);
    expect(error.message).toContain('{{fix.commit}} is answered in step fix, which comes after this gather action runs');
  });

  it('rejects seconds together with debug on a delta profile (net/http/pprof answers 400)', () => {
    const path = writePlaybook(
      'delta.yaml',
      'steps:\n  gather:\n    actions:\n      - { id: heap, kind: pprof, profile: heap, seconds: 10, debug: "1" }\n',
    );
    const error = validationError(path);
    expect([error.line, error.col]).toEqual([7, 69]);
    expect(error.message).toContain('refuses seconds together with debug=1');
  });

  it('rejects a timeout that ends before the capture window', () => {
    const path = writePlaybook(
      'timeout.yaml',
      'steps:\n  gather:\n    actions:\n      - { id: cpu, kind: pprof, profile: profile, timeout: 10s }\n',
    );
    const error = validationError(path);
    expect([error.line, error.col]).toEqual([7, 60]);
    expect(error.message).toContain('timeout 10s ends before the 30s capture does');
  });

  it('rejects a postmortem template outside templates/', () => {
    const path = writePlaybook('template.yaml', 'steps:\n  postmortem:\n    template: ../../etc/passwd\n');
    expect(validationError(path).message).toContain("template '../../etc/passwd' must be a file name inside templates/");
  });

  it('rejects a select prompt without choices', () => {
    const path = writePlaybook('select.yaml', 'steps:\n  alert:\n    prompts:\n      - { key: sev, type: select, message: Severity? }\n');
    const error = validationError(path);
    expect([error.line, error.col]).toEqual([7, 27]);
    expect(error.message).toContain('has no choices');
  });

  it('lists every problem, each at its own position', () => {
    const path = writePlaybook(
      'many.yaml',
      'steps:\n  gather:\n    actions:\n      - { id: a, kind: pprof, profile: goroutine, samples: 2 }\n  fix:\n    recheck: [b]\n',
    );
    const error = validationError(path);
    expect([error.line, error.col]).toEqual([7, 60]);
    expect(error.message).toContain(`${path}:9:15: steps.fix.recheck[0]: recheck names 'b'`);
  });

  it('warns, with a position, when a race parser would see a non-zero exit as a tool failure', () => {
    const path = writePlaybook(
      'race.yaml',
      'steps:\n  gather:\n    actions:\n      - id: race\n        kind: command\n        tool: go\n        args: [test, -race, ./...]\n        parse: race\n',
    );
    const { warnings } = validatePlaybookFile(path);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${path}:7:9: steps.gather.actions[0].okExitCodes:`);
    expect(warnings[0]).toContain('add that code to okExitCodes');
  });

  it('warns about {{…}} text that is not a placeholder and would pass literally', () => {
    const path = writePlaybook(
      'malformed.yaml',
      'steps:\n  analyze:\n    actions:\n      - { id: v, kind: command, tool: go, args: [vet, "{{ two words }}"] }\n',
    );
    const { warnings } = validatePlaybookFile(path);
    expect(warnings).toEqual([
      expect.stringContaining(`${path}:7:55: steps.analyze.actions[0].args[1]: {{ two words }} is not a placeholder`),
    ]);
  });
});
