/** Fixtures of the users tests: cheap key-file KDF costs and a plain (non-user) client. */
import type { SuiteName } from "../lib/crypto/suite.ts";
import { Client } from "../lib/sdk/client.ts";

/** Cheap KDF costs so the suite stays fast (the option is also the minimum accepted). */
export const CHEAP_KDF = { opslimit: 1, memlimit: 8192, iterations: 1000 };

/** A plain (non-user) client with signing keys. */
export async function plainClient(url: string, token: string, suite: SuiteName): Promise<Client> {
  const registration = await Client.register(token, "plain", await Client.generateKeypair(suite), {
    apiUrl: url,
    signingKeys: await Client.generateSigningKeypair(suite),
  });
  return new Client(registration.config);
}
