import { describe, expect, it } from 'vitest';
import { listBuiltinPlaybooks } from '../../src/playbook/resolve.ts';
import { validatePlaybookFile } from '../../src/playbook/validate.ts';

// Every playbook shipped in playbooks/ must load and pass the cross-checks: a broken one
// would only show up when an engineer starts an incident with it.
const builtins = listBuiltinPlaybooks();

describe('built-in playbooks', () => {
  it('ships at least the default playbook, go-service', () => {
    expect(builtins.map((entry) => entry.name)).toContain('go-service');
  });

  it.each(builtins)('$name loads, validates without warnings, and is named like its file', ({ name, path }) => {
    const result = validatePlaybookFile(path);
    expect(result.warnings).toEqual([]);
    // `--playbook go-service` must give the playbook whose name is go-service.
    expect(result.playbook.name).toBe(name);
  });
});
