/**
 * Asking before something that cannot be undone: a `[y/N]` question on the terminal, or the
 * first line of standard input when it is not one.
 *
 * @module
 */
import { UsageError } from "./_errors.ts";
import type { CliIo } from "./io.ts";
import { readStdin } from "./_secret_input.ts";

/**
 * Asks `question`; anything but `y`/`yes` aborts with a {@linkcode UsageError} carrying
 * `refusal` (by default: nothing deleted).
 *
 * @example
 * ```ts ignore
 * // Asks on the terminal.
 * await confirmOrAbort(io, "Delete client x and all its data? This cannot be undone. [y/N]");
 * ```
 */
export async function confirmOrAbort(
  io: CliIo,
  question: string,
  refusal = "Not confirmed: nothing deleted (pass --yes to skip the question)",
): Promise<void> {
  let answer: string | null;
  if (io.stdin === undefined && Deno.stdin.isTerminal()) {
    answer = prompt(question);
  } else {
    io.err(`${question}\n`);
    answer = (await readStdin(io)).split("\n")[0] ?? "";
  }
  if (!/^\s*y(es)?\s*$/i.test(answer ?? "")) {
    throw new UsageError(refusal);
  }
}
