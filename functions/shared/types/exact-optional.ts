/**
 * A zod-inferred object type with `?: T` instead of `?: T | undefined` on its optional keys, so values fit the
 * generated OpenAPI types under `exactOptionalPropertyTypes`. (zod's own `.exactOptional()` would do the same, but
 * the OpenAPI generator then lists those keys as required.)
 */
type OptionalKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

export type ExactOptional<T> = { [K in Exclude<keyof T, OptionalKeys<T>>]: T[K] } & { [K in OptionalKeys<T>]?: Exclude<T[K], undefined> };

/** ExactOptional all the way down (records with index signatures are left as they are). */
export type DeepExactOptional<T> = T extends readonly (infer U)[]
  ? DeepExactOptional<U>[]
  : T extends object
    ? string extends keyof T
      ? T
      : ExactOptional<{ [K in keyof T]: DeepExactOptional<T[K]> }>
    : T;
