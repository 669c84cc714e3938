/**
 * Users benchmark (`deno task bench:users`): the cost of creating a user and of logging in with
 * the password (local key file) or the passphrase alone (server copy), against a server on
 * loopback (in this process, in-memory store), at the default key-file KDF costs.
 *
 * `kdf_ms` is one key-file KDF (Argon2id or PBKDF2-SHA384 at the cost in use). Creating a user
 * runs it twice (password and passphrase), a password login once, a passphrase login three
 * times (the proof, the rescue, the body). `*_other_ms` is everything but the KDF (keys,
 * registration, sealing, HTTP, the local file), measured directly: the same operations again at
 * the cheapest cost the format allows (Argon2id 1 pass and 8 KiB, or 1 PBKDF2 iteration), so a
 * busy machine's KDF noise does not leak into it. The last line is
 * `summary: kdf_ms=... create_ms=... login_password_ms=... login_passphrase_ms=...
 * create_other_ms=... login_password_other_ms=... login_passphrase_other_ms=... suite=...`
 * (medians, in milliseconds).
 *
 * `ARCA_CRYPTO_SUITE` picks the suite; `ARCA_BENCH_USERS_ROUNDS` the rounds (default 5);
 * `ARCA_KEY_FILE_KDF` (JSON, e.g. `{"opslimit":1,"memlimit":8192}`) the KDF cost.
 *
 * @module
 */
import {
  KEY_FILE_HEADER_BYTES,
  type KeyFileKdf,
  parseKeyFileHeader,
  passphraseProof,
} from "../lib/crypto/key_file.ts";
import { suiteNameFromEnv } from "../lib/crypto/suites.ts";
import { Arca } from "../lib/sdk/users/app.ts";
import { startServer } from "../lib/server/start_server.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";

const TOKEN = "users-bench-registration-token";
const ROUNDS = Number(Deno.env.get("ARCA_BENCH_USERS_ROUNDS") ?? "5");
const KDF_TEXT = Deno.env.get("ARCA_KEY_FILE_KDF");
const PASSWORD = "Tr0ub4dor&3";
const PASSPHRASE = "correct Horse battery 9";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed<T>(body: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await body();
  return [result, performance.now() - start];
}

/** The cheapest KDF the key file accepts: what is left of an operation is everything else. */
const NEGLIGIBLE_KDF = { opslimit: 1, memlimit: 8192, iterations: 1 };

interface Medians {
  kdf: number;
  create: number;
  loginPassword: number;
  loginPassphrase: number;
}

/** Creates users and logs them in at `keyFileKdf`; the medians over `rounds`. */
async function measure(
  serverUrl: string,
  keyFileKdf: KeyFileKdf | undefined,
  rounds: number,
  label: string,
): Promise<Medians> {
  const rootDir = await Deno.makeTempDir({ prefix: "arca-users-bench-" });
  const options = { serverUrl, suite, keyFileKdf };
  const app = await Arca.initialize(TOKEN, { ...options, rootDir });
  const samples: Record<keyof Medians, number[]> = {
    kdf: [],
    create: [],
    loginPassword: [],
    loginPassphrase: [],
  };
  try {
    // One warm-up round (suite loading, first connections), not counted.
    const warm = await app.users.create(PASSWORD, "", PASSPHRASE);
    await app.login(warm.userId, { password: PASSWORD });
    for (let round = 0; round < rounds; round++) {
      const [created, createMs] = await timed(() => app.users.create(PASSWORD, "", PASSPHRASE));
      const keyFile = await Deno.readFile(app.localKeyFilePath(created.userId)!);
      const header = parseKeyFileHeader(keyFile.subarray(0, KEY_FILE_HEADER_BYTES));
      const [, kdfMs] = await timed(() => passphraseProof(header, PASSPHRASE, keyFileKdf));
      const [, passwordMs] = await timed(() => app.login(created.userId, { password: PASSWORD }));
      const device = await Arca.initialize("", {
        ...options,
        rootDir: await Deno.makeTempDir({ dir: rootDir }),
      });
      const [, passphraseMs] = await timed(() =>
        device.login(created.userId, { passphrase: PASSPHRASE })
      );
      samples.kdf.push(kdfMs);
      samples.create.push(createMs);
      samples.loginPassword.push(passwordMs);
      samples.loginPassphrase.push(passphraseMs);
      console.log(
        `${label} round ${round + 1}: kdf ${kdfMs.toFixed(1)} ms, create ${
          createMs.toFixed(1)
        } ms, ` +
          `login(password) ${passwordMs.toFixed(1)} ms, ` +
          `login(passphrase) ${passphraseMs.toFixed(1)} ms`,
      );
    }
  } finally {
    await Deno.remove(rootDir, { recursive: true });
  }
  return {
    kdf: median(samples.kdf),
    create: median(samples.create),
    loginPassword: median(samples.loginPassword),
    loginPassphrase: median(samples.loginPassphrase),
  };
}

const suite = suiteNameFromEnv();
const store = await openSqliteStore(":memory:");
const server = await startServer({
  store,
  port: 0,
  hostname: "127.0.0.1",
  registrationToken: TOKEN,
  keyFileAttemptsPerUser: 1000,
  keyFileAttemptsPerAddress: 1000,
  print: () => {},
});
let full: Medians;
let other: Medians;
try {
  full = await measure(server.url, KDF_TEXT ? JSON.parse(KDF_TEXT) : undefined, ROUNDS, "kdf");
  other = await measure(server.url, NEGLIGIBLE_KDF, ROUNDS * 4, "no-kdf");
} finally {
  await server.shutdown();
  await store.close();
}

const fields = {
  kdf_ms: full.kdf,
  create_ms: full.create,
  login_password_ms: full.loginPassword,
  login_passphrase_ms: full.loginPassphrase,
  create_other_ms: other.create,
  login_password_other_ms: other.loginPassword,
  login_passphrase_other_ms: other.loginPassphrase,
  suite,
};
console.log(
  `summary: ${
    Object.entries(fields)
      .map(([key, value]) => `${key}=${typeof value === "number" ? value.toFixed(1) : value}`)
      .join(" ")
  }`,
);
