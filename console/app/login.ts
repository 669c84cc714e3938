/**
 * The two ways into the console, both entirely in the page:
 *
 * - an identity (realm, username, password): the SDK's identity login derives the identity's
 *   keys from the password here and sends only signatures made with them;
 * - a credential file (E3DB's JSON): read from the file input with the File API, never uploaded.
 *
 * Either way the console talks to the server it was loaded from (the file's `api_url` is
 * replaced by this page's origin: the page may connect nowhere else).
 *
 * @module
 */
import { Config, DEFAULT_APP_NAME, identityLogin, type SuiteName } from "../../mod.ts";
import { byId, field } from "./dom.ts";
import { run } from "./messages.ts";
import { type ConsoleSession, consoleSession } from "./session.ts";

/**
 * Wires both login forms; `onLogin` receives the new session and answers the status to show
 * (it lists the records).
 */
export function setUpLogin(onLogin: (session: ConsoleSession) => Promise<string>): void {
  onSubmit("identity-login", "Deriving the identity's keys and logging in", loginWithIdentity);
  onSubmit("file-login", "Opening the credential file", loginWithFile);

  function onSubmit(
    formId: string,
    label: string,
    login: (form: HTMLFormElement) => Promise<ConsoleSession>,
  ): void {
    const form = byId(formId, HTMLFormElement);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void run(label, async () => {
        const session = await login(form);
        form.reset();
        return `Logged in as ${session.label}. ${await onLogin(session)}`;
      }, form.querySelector("button"));
    });
  }
}

async function loginWithIdentity(form: HTMLFormElement): Promise<ConsoleSession> {
  const realm = field(form, "realm");
  const username = field(form, "username");
  const password = new FormData(form).get("password");
  if (typeof password !== "string" || password === "") throw new Error("Enter the password");
  const suite = field(form, "suite") as SuiteName;
  const identity = await identityLogin(username, password, realm, DEFAULT_APP_NAME, {
    apiUrl: location.origin,
    suite,
  });
  return consoleSession(identity.client, `${username} @ ${identity.realm.name}`, location.origin);
}

async function loginWithFile(form: HTMLFormElement): Promise<ConsoleSession> {
  const file = form.querySelector("input[type=file]");
  const chosen = file instanceof HTMLInputElement ? file.files?.[0] : undefined;
  if (chosen === undefined) throw new Error("Choose a credential file");
  const json: unknown = JSON.parse(await chosen.text());
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new Error("A credential file is a JSON object");
  }
  const config = Config.fromObject({ ...json, api_url: location.origin });
  return consoleSession(
    config,
    `client ${config.clientId} (${config.cryptoSuite})`,
    location.origin,
  );
}
