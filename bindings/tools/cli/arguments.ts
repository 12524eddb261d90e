// Reading a command line with node:util's parseArgs, as the command line and the benchmark
// scripts both do: negative numbers as option values, and parseArgs's refusals on one line.

/**
 * `--qty -0.1`: a negative number after an option that takes a value is its value, not an
 * option (parseArgs would call it ambiguous). Arguments after `--` are left as they are.
 */
export function joinNegativeValues(args: string[], takesValue: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (let k = 0; k < args.length; k++) {
    if (args[k] === "--") return out.concat(args.slice(k));
    const name = /^--([^=]+)$/.exec(args[k])?.[1];
    if (name !== undefined && takesValue(name) && k + 1 < args.length && /^-\.?\d/.test(args[k + 1])) {
      out.push(`--${name}=${args[++k]}`);
    } else {
      out.push(args[k]);
    }
  }
  return out;
}

/**
 * parseArgs's refusal as one line. Its word for an unknown option goes on to explain `--`, which
 * is no help to a typo: the option is named instead, with `help`, where the options are listed.
 */
export function parseArgsRefusal(error: unknown, help: string): string {
  const message = (error as Error).message;
  const unknown = /^Unknown option '(.*?)'(?:\. |$)/.exec(message);
  return unknown !== null ? `unknown option ${unknown[1]}: ${help} lists its options` : message.replace(/\s*\n\s*/g, " ");
}
