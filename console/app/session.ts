/**
 * The console's logged-in state: the storage client (records, sharing, notes) and an SDK
 * `Session` over it (containers and live events). It lives in this page's memory only: the
 * private keys are never stored and never sent; reloading the page logs out.
 *
 * @module
 */
import { type AppSettings, Client, type Config, Session } from "../../mod.ts";

/** What the console works with once logged in. */
export interface ConsoleSession {
  /** The storage client (records, sharing, notes). */
  client: Client;
  /** Containers and events over the same client. */
  session: Session;
  /** How the user logged in, for the header. */
  label: string;
}

/** The application name the console announces to the containers API (`Arca-App-Name`). */
export const CONSOLE_APP_NAME = "arca-console";

/** A console session over a client made from `config`, or over an existing `client`. */
export function consoleSession(
  source: Config | Client,
  label: string,
  serverUrl: string,
): ConsoleSession {
  const client = source instanceof Client ? source : new Client(source);
  return { client, session: containersSession(client, serverUrl), label };
}

/**
 * An SDK `Session` over `client` for its containers and events: provider `server` (nothing is
 * cached or written locally), no registration token (the console never registers users).
 */
export function containersSession(client: Client, serverUrl: string): Session {
  const settings: AppSettings = {
    apiKey: "",
    serverUrl,
    appName: CONSOLE_APP_NAME,
    rootDir: ".",
    provider: "server",
    suite: client.config.cryptoSuite,
    keyFileKdf: undefined,
    validators: undefined,
    fetch: undefined,
    now: () => Date.now(),
  };
  return new Session(settings, client, "");
}
