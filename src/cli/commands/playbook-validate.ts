/** `gotriage playbook validate FILE`: exit 0 and say so, or a PlaybookError (file:line:col, exit 2). */
import { Styled, stderrWriter, stdoutWriter } from '../../core/terminal-writer.js';
import { validatePlaybookFile } from '../../playbook/validate.js';
import { str, type Options } from '../options.js';

export async function validateCommand(opts: Options): Promise<number> {
  const { playbook, path, warnings } = validatePlaybookFile(str(opts, 'file')!);
  for (const warning of warnings) stderrWriter().line(new Styled('33', 'warning: '), warning);
  const steps = playbook.steps;
  stdoutWriter().line(
    `${path}: ok — ${playbook.name}: ${steps.gather.actions.length} gather action(s), ${steps.hypothesize.hypotheses.length} hypothesis template(s)`,
  );
  return 0;
}
