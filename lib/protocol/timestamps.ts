/**
 * E3DB timestamps: UTC, exactly six fractional digits, `Z` (`2026-11-23T09:21:13.377801Z`).
 * Python's SDK refuses timestamps without a fraction, so Arca always writes all six digits.
 * Internally times are integer microseconds since the Unix epoch.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";

/** Microseconds since 1970-01-01T00:00:00Z, an integer. */
export type Microseconds = number;

/** Largest representable time: `Number.MAX_SAFE_INTEGER` microseconds (in the year 2255). */
const MAX_MICROS = Number.MAX_SAFE_INTEGER;

/**
 * Formats a `Date` or integer microseconds since the epoch as an E3DB timestamp.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTimestamp } from "./timestamps.ts";
 * assert.equal(formatTimestamp(1_000_000_000_123_456), "2001-09-09T01:46:40.123456Z");
 * assert.equal(formatTimestamp(new Date(0)), "1970-01-01T00:00:00.000000Z");
 * ```
 */
export function formatTimestamp(value: Date | Microseconds): string {
  const micros = value instanceof Date ? dateToMicros(value) : value;
  if (!Number.isSafeInteger(micros) || micros < 0 || micros > MAX_MICROS) {
    throw new ValidationError(
      `Timestamp must be whole microseconds from 1970 to 2255, got ${String(value)}`,
    );
  }
  const millis = Math.floor(micros / 1000);
  const extra = micros - millis * 1000;
  const iso = new Date(millis).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return `${iso.slice(0, 23)}${String(extra).padStart(3, "0")}Z`;
}

function dateToMicros(date: Date): Microseconds {
  const millis = date.getTime();
  if (Number.isNaN(millis)) throw new ValidationError("Timestamp is an invalid Date");
  return millis * 1000;
}

const TIMESTAMP_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an RFC 3339 timestamp (any fraction, `Z` or an offset; also Python's
 * `YYYY-MM-DD HH:MM:SS.ffffff`, read as UTC) into microseconds since the epoch. Digits past the
 * sixth are truncated.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTimestamp } from "./timestamps.ts";
 * assert.equal(parseTimestamp("2001-09-09T01:46:40.123456Z"), 1000000000123456);
 * assert.equal(parseTimestamp("2001-09-09T03:46:40+02:00"), 1000000000000000);
 * ```
 */
export function parseTimestamp(text: string): Microseconds {
  if (typeof text !== "string") throw new ValidationError("Timestamp must be a string");
  const match = TIMESTAMP_PATTERN.exec(text.trim());
  if (!match) throw new ValidationError(`Timestamp "${text}" is not RFC 3339`);
  const [, year, month, day, hour, minute, second, fraction = "", zone = "Z"] = match;
  const millis = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  const check = new Date(millis);
  if (
    Number.isNaN(millis) || check.getUTCDate() !== Number(day) ||
    check.getUTCMonth() !== Number(month) - 1 || Number(hour) > 23 || Number(minute) > 59 ||
    Number(second) > 59
  ) {
    throw new ValidationError(`Timestamp "${text}" is not a real date and time`);
  }
  const micros = millis * 1000 + Number(fraction.slice(0, 6).padEnd(6, "0"));
  return micros - zoneOffsetMicros(zone);
}

function zoneOffsetMicros(zone: string): Microseconds {
  if (zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  return sign * (hours * 60 + minutes) * 60_000_000;
}
