/**
 * Record signatures in the SDK: signing on write and update with the client's signing key
 * (version 2, binding the record id and version the client chose), verifying `rec_sig` on read
 * against the writer's registered signing key, and refusing unsigned records from writers the
 * client's signature policy names.
 *
 * @module
 */
import { assertRecordSignature, signBoundRecord } from "../crypto/record_signature.ts";
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
  /** The record id (a version 2 signature binds it). */
  recordId: string;
  /** The record version (a version 2 signature binds it). */
  version: string;
}

function wireMeta(meta: SignedMeta) {
  return {
    writer_id: meta.writerId,
    user_id: meta.userId,
    type: meta.type,
    plain: meta.plain,
    record_id: meta.recordId,
    version: meta.version,
  };
}

/**
 * Signs a record's metadata (with the id and version it will have) and plaintext data with the
 * client's signing key, as a version 2 signature.
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
  return await signBoundRecord(
    context.signingSuite,
    wireMeta(meta),
    data,
    context.signingKeys.privateKey,
  );
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
  const own = context.signingKeys === undefined
    ? undefined
    : { suite: context.signingSuite, key: context.signingKeys.publicKey };
  const signer = meta.writerId === context.clientId
    ? own
    : await context.directory.anySigningKey(meta.writerId);
  if (signer === undefined) {
    throw new IntegrityError(
      `Record of type "${meta.type}" is signed, but its writer "${meta.writerId}" has no signing key`,
    );
  }
  await assertRecordSignature(signer.suite, wireMeta(meta), data, signature, signer.key);
}

/**
 * Checks a decrypted record's signature: verifies it when present (see
 * {@linkcode verifyRecordData}); when absent, throws {@linkcode IntegrityError} if the client's
 * signature policy requires signatures from the record's writer. File records carry no
 * signature (their bytes have their own checksum) and are not required to.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await checkRecordSignature(context, record.meta, record.data, record.signature);
 * ```
 */
export async function checkRecordSignature(
  context: ClientContext,
  meta: SignedMeta & { fileMeta?: unknown },
  data: Record<string, string>,
  signature: string | undefined,
): Promise<void> {
  if (signature !== undefined) {
    await verifyRecordData(context, meta, data, signature);
  } else if (meta.fileMeta === undefined && context.requiresSignature(meta.writerId)) {
    throw new IntegrityError(
      `Record "${meta.recordId}" of type "${meta.type}" is not signed, and this client requires ` +
        `signatures from its writer "${meta.writerId}" (see the requireSignatures option)`,
    );
  }
}
