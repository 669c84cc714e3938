/**
 * The error classes Arca throws. Every failure the SDK reports is an {@linkcode ArcaError};
 * callers catch the subclasses they care about.
 *
 * @module
 */

/**
 * The base class of every error Arca throws on purpose.
 *
 * @example Catching any Arca failure
 * ```ts
 * import { ArcaError } from "@arca/arca";
 * import assert from "node:assert/strict";
 * try {
 *   throw new ArcaError("Something failed");
 * } catch (error) {
 *   assert.ok(error instanceof ArcaError);
 *   assert.equal(error.message, "Something failed");
 * }
 * ```
 */
export class ArcaError extends Error {
  /** The HTTP status that caused this error, when a server answered. */
  readonly status: number | undefined;

  /**
   * Creates an error with a message and, when a server answered, its status.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ArcaError } from "@arca/arca";
   * const error = new ArcaError("Server said no", { status: 418 });
   * assert.equal(error.status, 418);
   * ```
   */
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status;
  }
}

/**
 * A MAC, signature or checksum did not verify. Never ignored: nothing is returned past it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IntegrityError } from "@arca/arca";
 * const error = new IntegrityError("Field \"name\" failed authentication");
 * assert.equal(error instanceof Error, true);
 * ```
 */
export class IntegrityError extends ArcaError {}

/**
 * An input was malformed: a wrong type, a bad encoding, a value out of range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ArcaError, ValidationError } from "@arca/arca";
 * const error = new ValidationError("Nonce must be 24 bytes, got 23");
 * assert.ok(error instanceof ArcaError);
 * assert.equal(error.name, "ValidationError");
 * ```
 */
export class ValidationError extends ArcaError {}

/**
 * The thing asked for does not exist (HTTP 404).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NotFoundError } from "@arca/arca";
 * const error = new NotFoundError("Record \"x\" not found", { status: 404 });
 * assert.equal(error.status, 404);
 * ```
 */
export class NotFoundError extends ArcaError {}

/**
 * A version conflict or duplicate (HTTP 409).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConflictError } from "@arca/arca";
 * const error = new ConflictError("Record version is stale", { status: 409 });
 * assert.equal(error.name, "ConflictError");
 * ```
 */
export class ConflictError extends ArcaError {}

/**
 * The caller is not authenticated (HTTP 401).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnauthorizedError } from "@arca/arca";
 * const error = new UnauthorizedError("Bad API key", { status: 401 });
 * assert.equal(error.status, 401);
 * ```
 */
export class UnauthorizedError extends ArcaError {}

/**
 * The caller is authenticated but not allowed (HTTP 403).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ForbiddenError } from "@arca/arca";
 * const error = new ForbiddenError("Not shared with you", { status: 403 });
 * assert.equal(error.message, "Not shared with you");
 * ```
 */
export class ForbiddenError extends ArcaError {}

/**
 * Too many attempts: the server throttled the caller (HTTP 429). `retryAfterSeconds` is the
 * server's `Retry-After`, when it sent one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ArcaError, RateLimitError } from "@arca/arca";
 * const error = new RateLimitError("Too many attempts", { status: 429, retryAfterSeconds: 60 });
 * assert.ok(error instanceof ArcaError);
 * assert.equal(error.retryAfterSeconds, 60);
 * ```
 */
export class RateLimitError extends ArcaError {
  /** Seconds the server asked the caller to wait, when it said. */
  readonly retryAfterSeconds: number | undefined;

  /**
   * Creates a throttling error.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { RateLimitError } from "@arca/arca";
   * assert.equal(new RateLimitError("Slow down").retryAfterSeconds, undefined);
   * ```
   */
  constructor(
    message: string,
    options: { status?: number; cause?: unknown; retryAfterSeconds?: number | undefined } = {},
  ) {
    super(message, options);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
