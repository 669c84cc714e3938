/**
 * Binding a response's zod schema to its protocol type: the compiler refuses a schema whose
 * output is not exactly that type, so the two cannot drift apart.
 *
 * @module
 */
import type { z } from "zod";

/** `S` when its output and `T` are assignable both ways, else `never`. */
type Exactly<S extends z.ZodType, T> = [z.output<S>] extends [T]
  ? [T] extends [z.output<S>] ? S : never
  : never;

/**
 * Returns a function that passes a schema through unchanged, and refuses to compile unless the
 * schema's output is exactly `T` (a missing, extra or differently typed field is an error).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { exactSchema } from "./_exact_schema.ts";
 * interface Point {
 *   x: number;
 * }
 * const pointSchema = exactSchema<Point>()(z.object({ x: z.number() }));
 * assert.deepEqual(pointSchema.parse({ x: 1 }), { x: 1 });
 * ```
 */
export function exactSchema<T>(): <S extends z.ZodType>(schema: S & Exactly<S, T>) => S {
  return (schema) => schema;
}
