/**
 * The server's rules for note options: what a registered writer may ask for, what an anonymous
 * writer gets, and which EACPs (extra access controls) Arca enforces.
 *
 * - Registered writers (TSV1 `uid:` set): `id_string` as sent; `max_views` as sent, `-1`
 *   (unlimited) when absent or `0`; an expiration only when `expires` is true, and then it must
 *   be a valid RFC 3339 time in the future.
 * - Anonymous writers (`uid:` empty) cannot set premium options: `id_string` is dropped (the
 *   answer carries `""`), `max_views` is always {@linkcode ANONYMOUS_MAX_VIEWS}, and the note
 *   expires after at most {@linkcode ANONYMOUS_MAX_LIFETIME_SECONDS} (sooner if asked). They
 *   cannot set an EACP (refused with 403 rather than silently dropping a protection).
 * - EACPs: only `tozid_eacp` (`{"realm_name": "..."}`) is enforced; any other kind is refused
 *   with 400, since storing a protection the server does not check would mislead the writer.
 *
 * @module
 */
import { parseTimestamp } from "../protocol/timestamps.ts";
import type { ParsedNoteWrite } from "../protocol/notes.ts";
import { HttpError } from "./_http_error.ts";

/** Views of an anonymous note (one read, then it is burned). */
export const ANONYMOUS_MAX_VIEWS = 1;
/** Longest life of an anonymous note: 24 hours. */
export const ANONYMOUS_MAX_LIFETIME_SECONDS = 24 * 60 * 60;

/** The options a note is stored with. */
export interface ResolvedNoteOptions {
  /** The name, or `null`. */
  idString: string | null;
  /** Reads allowed, `-1` unlimited. */
  maxViews: number;
  /** Expiry in microseconds, or `null` for never. */
  expiration: number | null;
  /** The EACP, or `null`. */
  eacp: Record<string, unknown> | null;
}

/**
 * Applies the rules above to a validated write body.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveNoteOptions } from "./_note_rules.ts";
 * const now = 1_800_000_000_000_000;
 * const options = resolveNoteOptions({
 *   id_string: "n", max_views: 5, expires: false, expiration: null, eacp: null,
 * }, true, now);
 * assert.equal(options.idString, null);
 * assert.equal(options.maxViews, 1);
 * ```
 */
export function resolveNoteOptions(
  body: Pick<ParsedNoteWrite, "id_string" | "max_views" | "expires" | "expiration" | "eacp">,
  anonymous: boolean,
  nowMicros: number,
): ResolvedNoteOptions {
  const requested = body.expires ? requestedExpiration(body.expiration, nowMicros) : null;
  const eacp = checkEacp(body.eacp);
  if (!anonymous) {
    return {
      idString: body.id_string,
      maxViews: body.max_views ?? -1,
      expiration: requested,
      eacp,
    };
  }
  if (eacp !== null) {
    throw new HttpError(403, "Anonymous writers cannot protect a note with an EACP");
  }
  const latest = nowMicros + ANONYMOUS_MAX_LIFETIME_SECONDS * 1_000_000;
  return {
    idString: null,
    maxViews: ANONYMOUS_MAX_VIEWS,
    expiration: requested === null ? latest : Math.min(requested, latest),
    eacp: null,
  };
}

function requestedExpiration(text: string | null, nowMicros: number): number {
  if (text === null) throw new HttpError(400, "expiration is required when expires is true");
  let micros: number;
  try {
    micros = parseTimestamp(text);
  } catch {
    throw new HttpError(400, `expiration "${text}" is not an RFC 3339 time`);
  }
  if (micros <= nowMicros) throw new HttpError(400, `expiration "${text}" is in the past`);
  return micros;
}

function checkEacp(eacp: Record<string, unknown> | null): Record<string, unknown> | null {
  if (eacp === null) return null;
  for (const kind of Object.keys(eacp)) {
    if (kind !== "tozid_eacp") throw new HttpError(400, `EACP "${kind}" is not supported`);
  }
  const tozid = eacp.tozid_eacp;
  const realm = (tozid as { realm_name?: unknown } | null)?.realm_name;
  if (typeof tozid !== "object" || tozid === null || typeof realm !== "string" || realm === "") {
    throw new HttpError(400, "tozid_eacp must be an object with a non-empty realm_name");
  }
  return { tozid_eacp: { realm_name: realm } };
}

/**
 * The realm a TozID EACP names, or `undefined` when the note has none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tozidRealm } from "./_note_rules.ts";
 * assert.equal(tozidRealm({ tozid_eacp: { realm_name: "Acme" } }), "Acme");
 * ```
 */
export function tozidRealm(eacp: Record<string, unknown> | null): string | undefined {
  const realm = (eacp?.tozid_eacp as { realm_name?: unknown } | undefined)?.realm_name;
  return typeof realm === "string" ? realm : undefined;
}
