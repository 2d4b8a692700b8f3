/**
 * The CLI entry: parses arguments with commander and runs one command. This is the
 * only place that turns errors into exit codes (conventions.md). Command modules are
 * imported lazily so `gotriage --help` and `gotriage list` do not load xstate, the
 * analyzers or the report engine.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { ExitCode } from '../core/errors.js';
import { STEPS } from '../core/model.js';
import { PPROF_KINDS } from '../core/pprof-endpoints.js';
import { flushStandardWriters, stderrWriter, stdoutWriter } from '../core/terminal-writer.js';
import { registerFlagSecrets } from './flag-secrets.js';
import { reportError } from './report-error.js';
import type { Options } from './options.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `--top [n]`'s optional value. commander takes the next word as the value, so in
 * `analyze --top cpu.pb.gz` the file would vanish into it: say so instead of
 * reporting a missing FILE.
 */
const rowCount = (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError(
      '--top takes a number of rows ≥ 1; put FILE first (analyze FILE --top) or the number right after --top (--top 20)',
    );
  }
  return Number(value);
};

/** A command: takes its parsed options (global ones merged in), resolves to an exit code. */
export type CommandFn = (opts: Record<string, unknown>) => Promise<number>;
type Run = (load: () => Promise<CommandFn>, opts: Record<string, unknown>) => Promise<void>;

function buildProgram(run: Run): Command {
  const program = new Command('gotriage')
    .description('Guided, resumable incident triage for Go services: alert → gather → analyze → hypothesize → fix → postmortem.')
    .option('--db <file>', 'database file (default: $GOTRIAGE_DB, else $XDG_DATA_HOME/gotriage/gotriage.db)')
    .option('-v, --verbose', 'more detail on stderr')
    .exitOverride()
    // commander echoes what the user typed (`unknown option '…'`): it goes through the writers too.
    .configureOutput({ writeOut: (text) => stdoutWriter().write(text), writeErr: (text) => stderrWriter().write(text) })
    .showHelpAfterError('(run gotriage --help for usage)');

  const sessionFlags = (cmd: Command) =>
    cmd
      .option('--answers <file>', 'answers file (YAML or JSON) for non-interactive runs')
      .option('--answer <key=value>', 'answer one question, e.g. fix.summary="…" (repeatable)', collect)
      .option('--non-interactive', 'never prompt; a missing answer is an error')
      .option('--target <url>', 'base URL of a service instance (repeatable)', collect)
      .option('--targets-file <file>', 'more targets: one URL per line, # comments')
      .option('--header <header>', "request header for every target, e.g. 'Authorization: Bearer …' (repeatable; never stored)", collect)
      .option('--concurrency <n>', 'profile requests in flight at once across all targets (default 8)')
      .option('--target-deadline <duration>', 'overall deadline per target, e.g. 90s (default: from the playbook)')
      .option('--until <step>', `stop (saved) before this step: ${STEPS.join(', ')}`)
      .option('--out <dir>', 'directory for the postmortem', 'postmortems')
      .option('--json', 'print the result as JSON');

  sessionFlags(
    program
      .command('start')
      .description('start a triage session for an incident')
      .option('--playbook <name|file>', 'built-in playbook name or YAML file', 'go-service')
      .option('--alert <file>', 'the alert: Alertmanager webhook JSON, or a text/Markdown report')
      .option('--service-dir <dir>', 'the service source directory (for go test, go build)')
      .option('--pprof-base <path>', 'where the service mounts net/http/pprof', '/debug/pprof')
      .option('--service <name>', 'service name (default: from the alert, else the directory name)')
      .option('--title <text>', 'incident title (default: from the alert)')
      .addOption(new Option('--severity <level>', 'incident severity').choices(['info', 'low', 'medium', 'high', 'critical']))
      .option('--param <key=value>', 'set a playbook parameter (repeatable)', collect)
      .option('--skip <step=reason>', 'skip a step, recording why (repeatable)', collect)
      .option('--max-rounds <n>', 'back-edge rounds before giving up', '3'),
  ).action((opts: Options) => run(() => import('./commands/start.js').then((m) => m.startCommand), opts));

  sessionFlags(
    program
      .command('resume <id>')
      .description('resume a saved session where it stopped')
      .option('--rerun', 're-run an interrupted step without asking')
      .option('--no-rerun', 'skip an interrupted step without asking'),
  ).action((id: string, opts: Options) => run(() => import('./commands/resume.js').then((m) => m.resumeCommand), { ...opts, id }));

  program
    .command('list')
    .description('list incidents, newest first')
    .option('--json', 'print JSON')
    .action((opts: Options) => run(() => import('./commands/list.js').then((m) => m.listCommand), opts));

  program
    .command('show <id>')
    .description('show an incident: steps, timeline, evidence, findings, hypotheses')
    .option('--json', 'print JSON')
    .action((id: string, opts: Options) => run(() => import('./commands/show.js').then((m) => m.showCommand), { ...opts, id }));

  program
    .command('report <id>')
    .description('render the postmortem again')
    .option('--out <dir>', 'directory for the postmortem', 'postmortems')
    .action((id: string, opts: Options) => run(() => import('./commands/report.js').then((m) => m.reportCommand), { ...opts, id }));

  program
    .command('doctor')
    .description('check the tools gotriage uses (go, dlv, dot, git) and what is lost without each')
    .option('--json', 'print JSON')
    .action((opts: Options) => run(() => import('./commands/doctor.js').then((m) => m.doctorCommand), opts));

  program
    .command('demo')
    .description('run a whole triage against the bundled demo Go service and write its postmortem')
    .option('--out <dir>', 'directory for the postmortem', 'postmortems')
    .option('--json', 'print the result as JSON')
    .action((opts: Options) => run(() => import('./commands/demo.js').then((m) => m.demoCommand), opts));

  program
    .command('collect')
    .description('fetch pprof profiles from every target at once into a directory (no session, no database)')
    .option('--target <url>', 'base URL of a service instance (repeatable)', collect)
    .option('--pprof-base <path>', 'where the service mounts net/http/pprof', '/debug/pprof')
    .option('--profiles <list>', `comma list: ${PPROF_KINDS.join(',')} (default: all)`)
    .option('--seconds <n>', 'CPU profile and trace window in seconds', '5')
    .option('--concurrency <n>', 'requests in flight at once (1 = one target and one profile at a time)')
    .option('--timeout <duration>', 'deadline per request on top of the window, e.g. 30s')
    .option('--out <dir>', 'output directory (default: ./collect-<time>Z)')
    .option('--json', 'print the results as JSON')
    .action((opts: Options) => run(() => import('./commands/collect.js').then((m) => m.collectCommand), opts));

  program
    .command('analyze <files...>')
    .description('recognise files by content and print their findings, without a session (- reads standard input)')
    .option('--json', 'print the findings as JSON')
    .option('--top [n]', "print each profile's `go tool pprof -top` table instead of findings, the first n rows (default: all)", rowCount)
    .option('--cum', 'with --top: sort by cumulative value, like pprof -cum')
    .option(
      '--sample-index <name|n>',
      'with --top: the sample type to read, like pprof -sample_index (alloc_space, inuse_space, contentions, delay…)',
    )
    .action((files: string[], opts: Options) =>
      run(() => import('./commands/analyze.js').then((m) => m.analyzeCommand), { ...opts, files }),
    );

  program
    .command('playbook')
    .description('work with playbooks')
    .command('validate <file>')
    .description('check a playbook file; errors name file:line:col')
    .action((file: string, opts: Options) =>
      run(() => import('./commands/playbook-validate.js').then((m) => m.validateCommand), { ...opts, file }),
    );

  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = ExitCode.ok;
  const program = buildProgram(async (load, opts) => {
    const merged = { ...program.opts(), ...opts };
    registerFlagSecrets(merged);
    const command = await load();
    code = await command(merged);
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    return reportError(error);
  } finally {
    flushStandardWriters();
  }
}
