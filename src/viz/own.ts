// Name lookups in maps that come from user files: own properties only, so a scenario, lab,
// segment or gateway named `__proto__` or `constructor` is a name like any other, never a
// property of Object.prototype.

/** The value of `map[key]` when `key` is an own property, else undefined. */
export function own<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}
