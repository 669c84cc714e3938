/**
 * Reading input the CLI must not take from the command line: passwords (from standard input with
 * `--password-stdin`, else a prompt that does not echo) and note data piped on standard input.
 *
 * @module
 */
import { UsageError } from "./_errors.ts";
import type { CliIo } from "./io.ts";

/**
 * All of standard input as text (the io's `stdin` when it has one, else the process's).
 *
 * @example
 * ```ts ignore
 * // Reads standard input.
 * const text = await readStdin(io);
 * ```
 */
export async function readStdin(io: CliIo): Promise<string> {
  if (io.stdin !== undefined) return await io.stdin();
  return await new Response(Deno.stdin.readable).text();
}

/**
 * A password: the first line of standard input with `fromStdin`, else typed at a terminal
 * without echo. Never from an argument or the environment.
 *
 * @example
 * ```ts ignore
 * // Reads a password typed at a terminal.
 * const password = await readPassword(io, flags.passwordStdin === true, "Password: ");
 * ```
 */
export async function readPassword(io: CliIo, fromStdin: boolean, prompt: string): Promise<string> {
  let password: string;
  if (fromStdin) {
    password = (await readStdin(io)).split(/\r?\n/, 1)[0] ?? "";
  } else if (io.stdin === undefined && Deno.stdin.isTerminal()) {
    password = await promptHidden(io, prompt);
  } else {
    throw new UsageError("Give the password on standard input with --password-stdin");
  }
  if (password === "") throw new UsageError("The password must not be empty");
  return password;
}

/**
 * Several secrets in order: with `fromStdin`, one per line of standard input (the first
 * `prompts.length` lines); else each typed at a terminal without echo after its prompt. Never
 * from an argument or the environment. Empty secrets are refused.
 *
 * @example
 * ```ts ignore
 * // Reads two secrets typed at a terminal.
 * const [password, passphrase] = await readSecrets(io, false, ["Password: ", "Passphrase: "]);
 * ```
 */
export async function readSecrets(
  io: CliIo,
  fromStdin: boolean,
  prompts: readonly string[],
): Promise<string[]> {
  let secrets: string[];
  if (fromStdin) {
    secrets = (await readStdin(io)).split(/\r?\n/).slice(0, prompts.length);
  } else if (io.stdin === undefined && Deno.stdin.isTerminal()) {
    secrets = [];
    for (const prompt of prompts) secrets.push(await promptHidden(io, prompt));
  } else {
    throw new UsageError("Give the secrets on standard input, one per line, with --secrets-stdin");
  }
  prompts.forEach((prompt, index) => {
    if ((secrets[index] ?? "") === "") {
      throw new UsageError(`${prompt.replace(/:\s*$/, "")} must not be empty`);
    }
  });
  return secrets;
}

/** Reads one line from the terminal with echo off. */
async function promptHidden(io: CliIo, prompt: string): Promise<string> {
  io.err(prompt);
  Deno.stdin.setRaw(true);
  const bytes: number[] = [];
  const buffer = new Uint8Array(1);
  try {
    while (true) {
      const read = await Deno.stdin.read(buffer);
      const byte = buffer[0]!;
      if (read === null || byte === 0x0d || byte === 0x0a) break;
      if (byte === 0x03) throw new UsageError("Cancelled");
      if (byte === 0x7f || byte === 0x08) bytes.pop();
      else bytes.push(byte);
    }
  } finally {
    Deno.stdin.setRaw(false);
    io.err("\n");
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
