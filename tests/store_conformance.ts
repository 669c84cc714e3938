/**
 * The Store conformance suite: every backend must pass it. A backend's test file calls
 * `storeConformance("SQLite", () => openSqliteStore(":memory:"))`; it registers one `Deno.test`
 * per behaviour, each on a fresh store from the factory. One section per resource lives in
 * `store_conformance/`; a new resource adds its section here.
 */
import { accessKeyConformance } from "./store_conformance/access_keys.ts";
import { accountConformance } from "./store_conformance/accounts.ts";
import { bearerTokenConformance } from "./store_conformance/bearer_tokens.ts";
import { clientConformance } from "./store_conformance/clients.ts";
import { clientLifecycleConformance } from "./store_conformance/client_lifecycle.ts";
import { containerConformance } from "./store_conformance/containers.ts";
import { eventConformance } from "./store_conformance/events.ts";
import { concurrencyConformance } from "./store_conformance/concurrency.ts";
import { coreConformance } from "./store_conformance/core.ts";
import { fileConformance } from "./store_conformance/files.ts";
import { identityConformance } from "./store_conformance/identity.ts";
import { loginFailureConformance } from "./store_conformance/login_failures.ts";
import { noteConformance } from "./store_conformance/notes.ts";
import { policyConformance } from "./store_conformance/policies.ts";
import { recordConformance } from "./store_conformance/records.ts";
import { stampedRecordConformance } from "./store_conformance/stamped_records.ts";
import { registrationTokenConformance } from "./store_conformance/registration_tokens.ts";
import { replayNonceConformance } from "./store_conformance/replay_nonces.ts";
import { revocationConformance } from "./store_conformance/revocations.ts";
import { searchConformance } from "./store_conformance/search.ts";
import { usageConformance } from "./store_conformance/usage.ts";
import { userConformance } from "./store_conformance/users.ts";
import { type StoreFactory, storeTest } from "./store_conformance/_fixtures.ts";

export type { StoreFactory };

/** Options of {@linkcode storeConformance}. */
export interface ConformanceOptions {
  /** Register the tests ignored (e.g. no database server to run them on). */
  ignore?: boolean;
}

/** Registers every section of the conformance suite for `backend`, opening stores with `open`. */
export function storeConformance(
  backend: string,
  open: StoreFactory,
  options: ConformanceOptions = {},
): void {
  const test = storeTest(backend, open, options.ignore ?? false);
  coreConformance(test);
  accountConformance(test);
  registrationTokenConformance(test);
  clientConformance(test);
  bearerTokenConformance(test);
  recordConformance(test);
  stampedRecordConformance(test);
  searchConformance(test);
  accessKeyConformance(test);
  policyConformance(test);
  noteConformance(test);
  fileConformance(test);
  identityConformance(test);
  usageConformance(test);
  userConformance(test);
  clientLifecycleConformance(test);
  concurrencyConformance(test);
  replayNonceConformance(test);
  loginFailureConformance(test);
  revocationConformance(test);
  containerConformance(test);
  eventConformance(test);
}
