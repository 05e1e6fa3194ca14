/**
 * Schemas built on first use, not at module load.
 *
 * Temporal's workflow sandbox runs every module of the workflow bundle again for each workflow it starts
 * or rebuilds from history (only the compiled code is shared), so a schema defined at module scope is
 * built once per workflow whether that workflow uses it or not. Legal intake's modules define about 350
 * of them (statuses, tool results, the REST body), most of which workflow code never parses with: built
 * at load they cost about a fifth of a workflow's CPU on the workflow thread (bench/README.md). Defined
 * with `lazySchema`, a schema is built the first time anything reads it (a parse, `.shape`, `.options`,
 * a method such as `.nullable()`, another schema's parse that reaches it), once per module instance.
 */
import { z } from 'zod';

/**
 * `build()`'s schema, built when first used. The value stands in for the schema everywhere (it is typed
 * as it, so call sites, composition and `z.infer<typeof X>` stay as they were): `instanceof`, `in`,
 * `.shape`, `.extend(...)`, `z.toJSONSchema` and the OpenAI helpers see the built schema. Nothing at
 * module scope may read it (`X.options`, `X.extend(...)`, `X.describe(...)`): that builds it at load;
 * compose inside another `lazySchema` instead.
 */
export function lazySchema<T extends z.ZodType>(build: () => T): T {
  let built: T | undefined;
  const schema = (): T => {
    if (built === undefined) {
      built = build();
      // Metadata (`.describe()`, `.meta()`) is kept in a registry keyed by the schema object; this value
      // is another object, so it gets the built schema's metadata too, or JSON Schema would lose it.
      const meta = z.globalRegistry.get(built);
      if (meta !== undefined) z.globalRegistry.add(stand, meta);
    }
    return built;
  };
  // Zod's methods close over the schema that defines them, so a schema derived from this value with a
  // method (`.nullable()`, `.extend()`) refers to the built schema, not to this value. A registry that
  // names this value (OpenAPI components) names it where it is used as is, not inside such a derivation.
  const stand = new Proxy({} as T, {
    get: (_, key) => Reflect.get(schema(), key),
    set: (_, key, value) => Reflect.set(schema(), key, value),
    has: (_, key) => Reflect.has(schema(), key),
    ownKeys: () => Reflect.ownKeys(schema()),
    getOwnPropertyDescriptor(_, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(schema(), key);
      // A proxy may not report a property its (empty) target lacks as non-configurable.
      return descriptor && { ...descriptor, configurable: true };
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(schema(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(schema(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
  });
  return stand;
}
