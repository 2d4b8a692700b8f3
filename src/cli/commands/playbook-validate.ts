/** `gotriage playbook validate FILE`: exit 0 and say so, or a PlaybookError (file:line:col, exit 2). */
import { validatePlaybookFile } from '../../playbook/validate.js';
import { str, type Options } from '../options.js';

export async function validateCommand(opts: Options): Promise<number> {
  const { playbook, path, warnings } = validatePlaybookFile(str(opts, 'file')!);
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  const steps = playbook.steps;
  process.stdout.write(
    `${path}: ok — ${playbook.name}: ${steps.gather.actions.length} gather action(s), ${steps.hypothesize.hypotheses.length} hypothesis template(s)\n`,
  );
  return 0;
}
