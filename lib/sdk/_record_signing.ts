/**
 * Record signatures in the SDK: signing on write and update with the client's signing key, and
 * verifying `rec_sig` on read against the writer's registered signing key.
 *
 * @module
 */
import { assertRecordSignature, signRecord } from "../crypto/record_signature.ts";
import { IntegrityError, ValidationError } from "../errors.ts";
import type { ClientContext } from "./context.ts";

/** The clear metadata a record signature covers. */
export interface SignedMeta {
  /** The writer's id. */
  writerId: string;
  /** The user's id. */
  userId: string;
  /** The record type. */
  type: string;
  /** The clear metadata. */
  plain: Record<string, string>;
}

function wireMeta(meta: SignedMeta) {
  return { writer_id: meta.writerId, user_id: meta.userId, type: meta.type, plain: meta.plain };
}

/**
 * Signs a record's metadata and plaintext data with the client's signing key.
 *
 * @example
 * ```ts ignore
 * // Needs a registered client's context (see createClientContext).
 * const recSig = await signRecordData(context, meta, { name: "Jon" });
 * ```
 */
export async function signRecordData(
  context: ClientContext,
  meta: SignedMeta,
  data: Record<string, string>,
): Promise<string> {
  if (context.signingKeys === undefined) {
    throw new ValidationError("This client has no signing keys (a version 1 config)");
  }
  return await signRecord(context.suite, wireMeta(meta), data, context.signingKeys.privateKey);
}

/**
 * Verifies a record signature against the writer's signing key; throws
 * {@linkcode IntegrityError} when it does not verify or the writer has no signing key.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await verifyRecordData(context, record.meta, record.data, record.signature);
 * ```
 */
export async function verifyRecordData(
  context: ClientContext,
  meta: SignedMeta,
  data: Record<string, string>,
  signature: string,
): Promise<void> {
  const key = meta.writerId === context.clientId
    ? context.signingKeys?.publicKey
    : await context.directory.signingKey(meta.writerId);
  if (key === undefined) {
    throw new IntegrityError(
      `Record of type "${meta.type}" is signed, but its writer "${meta.writerId}" has no signing key`,
    );
  }
  await assertRecordSignature(context.suite, wireMeta(meta), data, signature, key);
}
