// The nakama-rejoin command line. Commands:
//   check-config <config.yml> [more.yml …]   validate the module's settings as the server would
import { checkConfigFiles } from './check-config';

const USAGE = 'usage: nakama-rejoin check-config <config.yml> [more.yml …]';

function main(argv: string[]): number {
  const [command, ...files] = argv;
  if (command !== 'check-config' || files.length === 0) {
    console.error(USAGE);
    return 2;
  }
  let result;
  try {
    result = checkConfigFiles(files);
  } catch (err) {
    console.error(`cannot read the configuration: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  for (const line of result.lines) (result.ok ? console.log : console.error)(line);
  console.log(result.ok ? `ok: ${files.join(', ')}` : `invalid: ${files.join(', ')}`);
  return result.ok ? 0 : 1;
}

process.exit(main(process.argv.slice(2)));
