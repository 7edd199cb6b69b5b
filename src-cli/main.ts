// The `checkbox-detector` command line: `detect` and `eval`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_FAILED, EXIT_USAGE, processIo, reportError, UsageError, type Io } from './common.js';
import { detectCommand } from './detect-command.js';
import { evalCommand } from './eval-command.js';

const USAGE = `Usage: checkbox-detector <command> [options]

Commands:
  detect <files or folders...>   find checkboxes and their states
  eval <dataset>                 score the model on a YOLO-format dataset

Run 'checkbox-detector <command> --help' for a command's options.
`;

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'detect') return await detectCommand(rest, io);
    if (command === 'eval') return await evalCommand(rest, io);
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      io.stdout(USAGE);
      return command === undefined ? EXIT_USAGE : 0;
    }
    throw new UsageError(`unknown command '${command}'`);
  } catch (err) {
    // parseArgs reports unknown options with a TypeError carrying an ERR_PARSE_ARGS_* code.
    const code = (err as { code?: string }).code ?? '';
    if (err instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      const help =
        command === 'detect' || command === 'eval'
          ? `checkbox-detector ${command} --help`
          : 'checkbox-detector --help';
      io.stderr(`error: ${(err as Error).message} (see '${help}')\n`);
      return EXIT_USAGE;
    }
    reportError(io, command ?? 'checkbox-detector', err);
    return EXIT_FAILED;
  }
}

/** Entry point of the process: a closed stdout pipe (`| head`) ends the run quietly. */
export async function runCli(): Promise<void> {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  process.exitCode = await run(process.argv.slice(2));
}

const invokedDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) await runCli();
