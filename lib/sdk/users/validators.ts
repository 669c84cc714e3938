/**
 * Credential validators: the rules a password, a passphrase and a reminder must pass before a
 * user is created or changes credentials. By default a password and a passphrase need at least
 * 8 characters from 3 of the 4 classes lower case, upper case, digit and special; a reminder may
 * be anything. Each rule can be replaced globally ({@linkcode setValidators}), per application
 * (the `validators` option of `Arca.initialize`) or per call. A rejected credential is a
 * {@linkcode ValidationError} naming the rule, thrown before anything is sent.
 *
 * @module
 */
import { ValidationError } from "../../errors.ts";

/** A validator: `true` accepts the credential. */
export type CredentialValidator = (value: string) => boolean;

/** Validators by credential; a missing one falls back to the next level (call, app, global). */
export interface Validators {
  /** Checks a new password. */
  password?: CredentialValidator | undefined;
  /** Checks a new passphrase. */
  passphrase?: CredentialValidator | undefined;
  /** Checks a new reminder. */
  reminder?: CredentialValidator | undefined;
}

/** The credentials a validator set checks. */
export type CredentialKind = keyof Validators;

/** The default rule for passwords and passphrases, in words (error messages quote it). */
export const DEFAULT_CREDENTIAL_RULE =
  "at least 8 characters from 3 of the 4 classes lower case, upper case, digit, special";

/** The minimum length of the default rule. */
export const MIN_CREDENTIAL_LENGTH = 8;

/** How many of the four character classes the default rule needs. */
export const MIN_CHARACTER_CLASSES = 3;

const CLASSES: readonly RegExp[] = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}]/u];

/** The globally replaced validators ({@linkcode setValidators}). */
let globalValidators: Validators = {};

function meetsDefaultRule(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const classes = CLASSES.filter((pattern) => pattern.test(value)).length;
  return [...value].length >= MIN_CREDENTIAL_LENGTH && classes >= MIN_CHARACTER_CLASSES;
}

/**
 * The default password rule: at least 8 characters from 3 of the 4 classes lower case, upper
 * case, digit and special (anything that is neither a letter nor a digit, a space included).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPasswordValid } from "@arca/arca";
 * assert.equal(isPasswordValid("Tr0ub4dor"), true);
 * assert.equal(isPasswordValid("troubadour"), false); // one class only
 * assert.equal(isPasswordValid("Ab1!"), false); // too short
 * ```
 */
export function isPasswordValid(password: string): boolean {
  return meetsDefaultRule(password);
}

/**
 * The default passphrase rule, the same as the password's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPassphraseValid } from "@arca/arca";
 * assert.equal(isPassphraseValid("correct Horse battery"), true);
 * assert.equal(isPassphraseValid("correct horse battery"), false); // lower case only
 * ```
 */
export function isPassphraseValid(passphrase: string): boolean {
  return meetsDefaultRule(passphrase);
}

/**
 * The default reminder rule: any string is accepted (the reminder is public, so keep secrets
 * out of it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isReminderValid } from "@arca/arca";
 * assert.equal(isReminderValid(""), true);
 * ```
 */
export function isReminderValid(reminder: string): boolean {
  return typeof reminder === "string";
}

const DEFAULTS: Record<CredentialKind, CredentialValidator> = {
  password: isPasswordValid,
  passphrase: isPassphraseValid,
  reminder: isReminderValid,
};

function checkValidatorSet(validators: unknown, what: string): Validators {
  if (validators === undefined) return {};
  if (validators === null || typeof validators !== "object" || Array.isArray(validators)) {
    throw new ValidationError(`${what} must be an object { password?, passphrase?, reminder? }`);
  }
  const set = validators as Record<string, unknown>;
  for (const key of Object.keys(set)) {
    if (!(key in DEFAULTS)) {
      throw new ValidationError(`${what} has an unknown key "${key}"`);
    }
    if (set[key] !== undefined && typeof set[key] !== "function") {
      throw new ValidationError(`${what} "${key}" must be a function (value) => boolean`);
    }
  }
  return set as Validators;
}

/**
 * Replaces the global validators, used by every application from now on (a missing key means
 * the default rule); `setValidators()` restores the defaults. Returns the previous set, so
 * `setValidators(previous)` undoes the change.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { setValidators } from "@arca/arca";
 * const previous = setValidators({ reminder: (text) => text.length <= 40 });
 * // ... create users ...
 * setValidators(previous);
 * assert.deepEqual(previous, {});
 * ```
 */
export function setValidators(validators?: Validators): Validators {
  const checked = checkValidatorSet(validators, "Validators");
  const previous = globalValidators;
  globalValidators = { ...checked };
  return previous;
}

/**
 * Checks `value` with the first validator of `kind` found per call, then per application, then
 * globally, then by default; {@linkcode ValidationError} naming the rule when it refuses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ValidationError } from "@arca/arca";
 * import { requireValidCredential } from "./validators.ts";
 * assert.throws(
 *   () => requireValidCredential("password", "short", []),
 *   (error) => error instanceof ValidationError && /default password rule/.test(error.message),
 * );
 * requireValidCredential("password", "short", [{ password: (value) => value.length > 3 }]);
 * ```
 */
export function requireValidCredential(
  kind: CredentialKind,
  value: unknown,
  levels: readonly (Validators | undefined)[],
): void {
  const label = kind[0]!.toUpperCase() + kind.slice(1);
  if (typeof value !== "string") {
    throw new ValidationError(`${label} must be a string, got ${typeof value}`);
  }
  const checkedLevels = levels.map((level, index) =>
    checkValidatorSet(level, index === 0 ? "Validators" : "Application validators")
  );
  const custom = [...checkedLevels, globalValidators].map((level) => level[kind])
    .find((validator) => validator !== undefined);
  const validator = custom ?? DEFAULTS[kind];
  let accepted: unknown;
  try {
    accepted = validator(value);
  } catch (error) {
    throw new ValidationError(`${label} validator ${ruleName(validator, kind)} threw`, {
      cause: error,
    });
  }
  if (accepted === true) return;
  if (custom === undefined) {
    throw new ValidationError(
      `${label} rejected by the default ${kind} rule: ${DEFAULT_CREDENTIAL_RULE}`,
    );
  }
  throw new ValidationError(`${label} rejected by the validator ${ruleName(validator, kind)}`);
}

function ruleName(validator: CredentialValidator, kind: CredentialKind): string {
  const name = validator.name.trim();
  return name === "" || name === kind ? `(custom ${kind} validator)` : `"${name}"`;
}

/**
 * Checks a password, a passphrase and a reminder together (the order the errors follow).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requireValidCredentials } from "./validators.ts";
 * assert.throws(() => requireValidCredentials("Tr0ub4dor!", "weak", "", []), /Passphrase/);
 * ```
 */
export function requireValidCredentials(
  password: unknown,
  passphrase: unknown,
  reminder: unknown,
  levels: readonly (Validators | undefined)[],
): void {
  requireValidCredential("password", password, levels);
  requireValidCredential("passphrase", passphrase, levels);
  if (reminder !== undefined) requireValidCredential("reminder", reminder, levels);
}
