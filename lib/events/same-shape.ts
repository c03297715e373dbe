import type { z } from "zod";

/** Keys of `A` that `B` lacks and keys of `B` that `A` lacks; `never` when both have the same keys. */
export type ShapeKeyDifference<A, B> = Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>;

/**
 * `A` when it has exactly the keys of `B` (their types may differ), else `never`: a value typed with it
 * compiles only while the two shapes keep the same fields.
 */
export type WithKeysOf<A, B> = [ShapeKeyDifference<A, B>] extends [never] ? A : never;

/**
 * `true` when `A` and `B` have the same keys and each is assignable to the other. Plain assignability
 * is not enough: an object type with an extra key is still assignable to one without it, so a field
 * added on one side only would compile and then be stripped or missing at run time.
 */
export type IsSameShape<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [ShapeKeyDifference<A, B>] extends [never]
      ? true
      : false
    : false
  : false;

/**
 * Ties a zod schema to the plain type it validates (the types of `lib/kpi`, which may not import zod):
 * `tieSchema<FactBar>()(z.strictObject({ … }))` compiles only when the schema's output has exactly
 * the fields of `FactBar`, with the same types. On a mismatch tsc reports a missing second argument
 * whose type names the differing keys.
 */
export function tieSchema<T>() {
  return <S extends z.ZodType<T>>(
    schema: S,
    ..._mismatch: IsSameShape<z.output<S>, T> extends true
      ? []
      : [keysThatDiffer: ShapeKeyDifference<z.output<S>, T>, orTypesThatDiffer: "schema and type differ"]
  ): S => schema;
}
