/** Real-HTTP fixtures for SDK and CLI tests: a server on a random loopback port, clients. */
import type { SuiteName } from "../lib/crypto/suite.ts";
import { Client } from "../lib/sdk/client.ts";
import { type RunningServer, startServer } from "../lib/server/start_server.ts";
import { openTestStore } from "./_test_store.ts";

/** The registration token every test server accepts (reusable). */
export const TEST_REGISTRATION_TOKEN = "sdk-test-registration-token";
/** The admin token every test server accepts. */
export const TEST_ADMIN_TOKEN = "sdk-test-admin-token";

/** A running test server. */
export interface HttpTestServer {
  url: string;
  server: RunningServer;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 and a free port, with an in-memory store. */
export async function startHttpServer(): Promise<HttpTestServer> {
  const store = await openTestStore();
  const server = await startServer({
    store,
    port: 0,
    hostname: "127.0.0.1",
    registrationToken: TEST_REGISTRATION_TOKEN,
    adminToken: TEST_ADMIN_TOKEN,
    print: () => {},
  });
  return {
    url: server.url,
    server,
    async close() {
      await server.shutdown();
      await store.close();
    },
  };
}

/** Registers a client (with signing keys) in `suite` and returns it. */
export async function registerTestClient(
  url: string,
  name: string,
  suite: SuiteName = "Sodium",
): Promise<Client> {
  const keys = await Client.generateKeypair(suite);
  const signingKeys = await Client.generateSigningKeypair(suite);
  const registration = await Client.register(TEST_REGISTRATION_TOKEN, name, keys, {
    apiUrl: url,
    signingKeys,
  });
  return new Client(registration.config);
}

/** Runs `body` with a fresh server, closing it afterwards. */
export async function withServer(body: (server: HttpTestServer) => Promise<void>): Promise<void> {
  const server = await startHttpServer();
  try {
    await body(server);
  } finally {
    await server.close();
  }
}
