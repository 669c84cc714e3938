/**
 * Which address a request comes from, for the per-address limits (login throttle, replay-cache
 * budgets, anonymous notes).
 *
 * - The peer is the TCP peer, from the connection info `Deno.serve` and `deno serve` hand the app
 *   (Hono's `env`). Without connection info (in-process `app.request`) the peer is `local`.
 * - When the peer is a trusted proxy (`ARCA_TRUSTED_PROXIES`), `X-Forwarded-For` is read from the
 *   right: each entry was appended by the hop to its right, so entries are skipped while they
 *   are trusted proxies themselves, and the first one that is not is the client. When every entry
 *   is a trusted proxy, the left-most one is taken. An entry that is not an IP address stops the
 *   walk, and the last trusted hop is taken. A peer that is not trusted is the client, whatever
 *   its headers say.
 * - IPv6 addresses are counted by their /64 prefix (one host usually holds a whole /64), and an
 *   IPv4-mapped IPv6 address counts as its IPv4 address.
 *
 * @module
 */
import type { Context } from "hono";
import { ValidationError } from "../errors.ts";

/** A parsed address or CIDR block: its family, bits as a big integer, and prefix length. */
interface Block {
  v6: boolean;
  bits: bigint;
  prefix: number;
}

/** Reads a request's client address (see the module documentation). */
export type AddressOf = (c: Context) => string;

/**
 * Parses the trusted proxies: IP addresses or CIDR blocks (`10.0.0.0/8`, `2001:db8::/32`).
 * Throws {@linkcode ValidationError} naming the bad entry.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addressReader } from "./_client_address.ts";
 * const addressOf = addressReader(["10.0.0.0/8"]);
 * assert.equal(typeof addressOf, "function");
 * assert.throws(() => addressReader(["10.0.0.0/33"]));
 * ```
 */
export function addressReader(trustedProxies: readonly string[] = []): AddressOf {
  const trusted = trustedProxies.map(parseBlock);
  const isTrusted = (address: Block | undefined) =>
    address !== undefined && trusted.some((block) => contains(block, address));
  return (c) => {
    const peerText = peerAddress(c);
    const peer = peerText === undefined ? undefined : parseAddress(peerText);
    if (peer === undefined) return peerText ?? "local";
    if (!isTrusted(peer)) return addressKey(peer);
    const forwarded = (c.req.header("x-forwarded-for") ?? "").split(",").map((s) => s.trim())
      .filter((s) => s !== "");
    let client = peer;
    for (let i = forwarded.length - 1; i >= 0; i--) {
      const hop = parseAddress(forwarded[i]!);
      if (hop === undefined) break;
      client = hop;
      if (!isTrusted(hop)) break;
    }
    return addressKey(client);
  };
}

function peerAddress(c: Context): string | undefined {
  const info = c.env as { remoteAddr?: { hostname?: unknown } } | undefined;
  const hostname = info?.remoteAddr?.hostname;
  return typeof hostname === "string" ? hostname : undefined;
}

function parseBlock(text: string): Block {
  const [addressText, prefixText, extra] = text.trim().split("/");
  const address = parseAddress(addressText ?? "");
  const max = address?.v6 ? 128 : 32;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (
    address === undefined || extra !== undefined ||
    (prefixText !== undefined && !/^\d+$/.test(prefixText)) || prefix > max
  ) {
    throw new ValidationError(`Trusted proxy "${text}" is not an IP address or CIDR block`);
  }
  return { ...address, prefix };
}

function contains(block: Block, address: Block): boolean {
  if (block.v6 !== address.v6) return false;
  const shift = BigInt((block.v6 ? 128 : 32) - block.prefix);
  return (block.bits >> shift) === (address.bits >> shift);
}

/** The counting key of an address: IPv4 as is, IPv6 by its /64 prefix. */
function addressKey(address: Block): string {
  if (!address.v6) {
    return [24, 16, 8, 0].map((shift) => Number((address.bits >> BigInt(shift)) & 255n)).join(".");
  }
  const groups = [112, 96, 80, 64].map((shift) =>
    ((address.bits >> BigInt(shift)) & 0xffffn).toString(16)
  );
  return `${groups.join(":")}::/64`;
}

/** Parses an IPv4 or IPv6 address (an IPv4-mapped IPv6 address becomes IPv4). */
function parseAddress(text: string): Block | undefined {
  const unbracketed = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const v4 = parseIpv4(unbracketed);
  if (v4 !== undefined) return { v6: false, bits: v4, prefix: 32 };
  const v6 = parseIpv6(unbracketed.split("%")[0]!);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { v6: false, bits: v6 & 0xffffffffn, prefix: 32 };
  return { v6: true, bits: v6, prefix: 128 };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    return undefined;
  }
  return parts.reduce((bits, part) => (bits << 8n) | BigInt(Number(part)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === "") return [];
    const groups: number[] = [];
    for (const piece of part.split(":")) {
      const v4 = piece.includes(".") ? parseIpv4(piece) : undefined;
      if (v4 !== undefined) groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) groups.push(parseInt(piece, 16));
      else return undefined;
    }
    return groups;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.reduce((bits, group) => (bits << 16n) | BigInt(group), 0n);
}
