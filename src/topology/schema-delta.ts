// What of an edited scenario the JSON Schema must check again. An edit (an immer snapshot)
// shares every object it did not touch with the scenario before it; when that one passed the
// schema, so does each shared object (a schema check is local: a value's errors depend on the
// value alone). The document returned holds the edited scenario with every map (segments,
// tier1s, virtual services, …) cut down to its new or replaced entries, and the fixed objects on
// the way copied with their keys: Ajv then reports exactly the edited scenario's errors, at the
// same paths, in the same order, without walking 100,000 unchanged virtual services.
// test/topology/schema-delta.test.ts holds it to the whole check, edit by edit.

import { changedNames, defineOwn } from './scenario.js';

type Schema = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The keywords of a map (type, propertyNames, additionalProperties) and of a fixed object (properties, required), and annotations. */
const CUTTABLE = new Set(['$schema', '$id', '$comment', 'definitions', 'type', 'description', 'title', 'propertyNames', 'additionalProperties', 'properties', 'required']);

/**
 * `next` cut down for the schema check, given `previous`: a scenario that passed the schema and
 * shares the objects the edit left alone. `schema` is the scenario's (draft-07, local `$ref`s).
 */
export function schemaDelta(schema: Schema, next: unknown, previous: unknown): unknown {
  const definitions = (schema.definitions ?? {}) as Readonly<Record<string, Schema>>;
  const resolve = (s: Schema): Schema => {
    let at = s;
    // Local references only (#/definitions/name), as the scenario schema writes them.
    for (let hops = 0; typeof at.$ref === 'string' && hops < 8; hops++) {
      const ref = at.$ref as string;
      const target = ref.startsWith('#/definitions/') ? definitions[ref.slice('#/definitions/'.length)] : undefined;
      if (target === undefined) return {};
      at = target;
    }
    return at;
  };
  const prune = (raw: Schema, value: unknown, before: unknown): unknown => {
    if (!isObject(value) || !isObject(before)) return value;
    const s = resolve(raw);
    // Only objects whose every keyword is one of these are cut (another keyword, such as a count
    // of entries, could read what is cut away): anything else is checked whole.
    if (s.type !== 'object' || !Object.keys(s).every((k) => CUTTABLE.has(k))) return value;
    const properties = s.properties as Readonly<Record<string, Schema>> | undefined;
    const entry = s.additionalProperties;
    if (properties === undefined && isObject(entry)) {
      // A map: its entries are checked each on its own (no count or cross-entry keyword); the
      // ones that are the previous objects passed already. Their keys did too (propertyNames).
      const out: Record<string, unknown> = {};
      if (value === before) return out;
      for (const key of changedNames(value, before)) {
        const v = value[key];
        defineOwn(out, key, Object.hasOwn(before, key) ? prune(entry, v, before[key]) : v);
      }
      return out;
    }
    if (properties === undefined) return value;
    // A fixed object: the same keys (required and unknown-key errors read them), each value cut down.
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const sub = Object.hasOwn(properties, key) ? properties[key] : undefined;
      defineOwn(out, key, sub !== undefined && Object.hasOwn(before, key) ? prune(sub, value[key], before[key]) : value[key]);
    }
    return out;
  };
  return prune(schema, next, previous);
}
