// Deep equality of scenario data (plain JSON values: objects, arrays, strings, numbers, booleans,
// null), short-circuited on identity. Immer's structural sharing makes an edited scenario share
// every object the edit did not touch, so comparing a gateway's spec before and after an edit
// costs nothing unless the edit (or a controller's re-realization) rebuilt it.
import { keysOfMap } from '../../topology/scenario.js';

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  // Names of frozen maps listed once (keysOfMap): a 44,000-segment map compared after an edit
  // added a segment is listed once, not at every comparison.
  const ka = keysOfMap(a);
  const kb = keysOfMap(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i];
    if (k !== kb[i] || !sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * Two objects with every field the same (sameValue) but the `skipped` ones: what a stage that
 * does not read those fields sees of them (a field absent on one side and undefined on the
 * other counts as the same).
 */
export function sameValueExcept(a: object, b: object, skipped: ReadonlySet<string>): boolean {
  if (a === b) return true;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k of Object.keys(x)) if (!skipped.has(k) && !sameValue(x[k], y[k])) return false;
  for (const k of Object.keys(y)) if (!skipped.has(k) && !Object.hasOwn(x, k) && y[k] !== undefined) return false;
  return true;
}

/** The same strings in the same order (topology's, for the engine's comparisons). */
export { sameStrings } from '../../topology/scenario.js';
