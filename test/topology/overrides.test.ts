// What-if edits (src/topology/overrides.ts): --set assignments and --fail names applied as immer
// patches to the frozen snapshot, validated again, with problems naming the option.
import { describe, expect, it } from 'vitest';
import { applyPatches } from 'immer';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { applyOverrides, parsePath } from '../../src/topology/overrides.js';
import { ScenarioError } from '../../src/topology/errors.js';

const loaded = loadScenarioFile('scenarios/reference-lab.yaml');

function problems(f: () => unknown) {
  try {
    f();
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('parsePath', () => {
  it('reads dotted names, indexes and quoted names', () => {
    expect(parsePath('tier1s.The-Tier-1.advertise')).toEqual(['tier1s', 'The-Tier-1', 'advertise']);
    expect(parsePath('tier0s.t0-lhr.uplinks[1].ip')).toEqual(['tier0s', 't0-lhr', 'uplinks', 1, 'ip']);
    expect(parsePath('segments["odd.name"].gateway')).toEqual(['segments', 'odd.name', 'gateway']);
    expect(parsePath('')).toBeNull();
    expect(parsePath('.a')).toBeNull();
    expect(parsePath('a..b')).toBeNull();
  });
});

describe('applyOverrides', () => {
  it('sets a value (YAML), leaves the loaded snapshot untouched and returns invertible patches', () => {
    const v = applyOverrides(loaded, { set: ['tier1s.The-Tier-1.advertise=[TIER1_STATIC_ROUTES]'] });
    expect(v.scenario.tier1s!['The-Tier-1'].advertise).toEqual(['TIER1_STATIC_ROUTES']);
    expect(loaded.scenario.tier1s!['The-Tier-1'].advertise).toEqual(['TIER1_CONNECTED', 'TIER1_STATIC_ROUTES', 'TIER1_LB_VIP']);
    expect(Object.isFrozen(v.scenario)).toBe(true);
    expect(applyPatches(v.scenario, v.inversePatches)).toEqual(loaded.scenario);
    expect(applyPatches(loaded.scenario, v.patches)).toEqual(v.scenario);
  });

  it('null removes a key; --fail adds to failed without duplicates', () => {
    const v = applyOverrides(loaded, { set: ['physicalRouters.tor-01.staticRoutes=null'], fail: ['edge-01', 'edge-01'] });
    expect(v.scenario.physicalRouters!['tor-01'].staticRoutes).toBeUndefined();
    expect(v.scenario.failed).toEqual(['edge-01']);
  });

  it('reports malformed assignments and invalid results, naming the option', () => {
    expect(problems(() => applyOverrides(loaded, { set: ['no-equals-sign'] }))).toEqual([
      '--set no-equals-sign: : expected PATH=VALUE (e.g. tier1s.The-Tier-1.advertise=[TIER1_CONNECTED])',
    ]);
    expect(problems(() => applyOverrides(loaded, { set: ['tier1s.The-Tier-1.tier0=t0-main'] }))).toEqual([
      '--set tier1s.The-Tier-1.tier0=t0-main: tier1s.The-Tier-1.tier0: no Tier-0 named "t0-main"',
    ]);
    expect(problems(() => applyOverrides(loaded, { fail: ['edge-9'] }))[0]).toMatch(/^--fail: failed\[0\]: nothing named "edge-9" can fail/);
    expect(problems(() => applyOverrides(loaded, { set: ['tier1s.__proto__.x=1'] }))[0]).toMatch(/__proto__/);
  });
});

describe('applyOverrides: malformed edits are one problem naming the option', () => {
  const tor = 'physicalRouters.tor-01.staticRoutes';
  const routes = loaded.scenario.physicalRouters!['tor-01'].staticRoutes!;

  // Regression: a hole of N items gave N "must be a map (got undefined undefined)" problems blamed
  // on the file ([100000] took 45 s, [1000000] never finished).
  it('an index past the end of a list is one problem; the index equal to the length appends', () => {
    const n = routes.length;
    const t = performance.now();
    expect(problems(() => applyOverrides(loaded, { set: [`${tor}[1000000]={ network: 10.0.0.0/8, nextHop: 10.146.10.11 }`] }))).toEqual([
      `--set ${tor}[1000000]={ network: 10.0.0.0/8, nextHop: 10.146.10.11 }: ${tor}: the list has ${n} item${n === 1 ? '' : 's'}: [1000000] is past its end ([${n}] appends an item)`,
    ]);
    expect(performance.now() - t).toBeLessThan(2000);
    const v = applyOverrides(loaded, { set: [`${tor}[${n}]=${JSON.stringify(routes[0])}`] });
    expect(v.scenario.physicalRouters!['tor-01'].staticRoutes).toEqual([...routes, routes[0]]);
    expect(problems(() => applyOverrides(loaded, { set: [`${tor}[${n + 3}]=null`] }))).toEqual([
      `--set ${tor}[${n + 3}]=null: ${tor}: the list has ${n} item${n === 1 ? '' : 's'}: there is no [${n + 3}] to remove`,
    ]);
  });

  // Regression: a name segment on a list threw an Immer error (an "internal error" in the CLI).
  it('a name on a list, an index on a map and a path through a scalar are problems', () => {
    expect(problems(() => applyOverrides(loaded, { set: ['tier1s.The-Tier-1.advertise.x=1'] }))).toEqual([
      '--set tier1s.The-Tier-1.advertise.x=1: tier1s.The-Tier-1.advertise: is a list: select an item by index ([0]), not by name (.x)',
    ]);
    expect(problems(() => applyOverrides(loaded, { set: ['tier1s[0]=1'] }))).toEqual([
      '--set tier1s[0]=1: tier1s: is a map: select an entry by name (.name or ["name"]), not by index ([0])',
    ]);
    expect(problems(() => applyOverrides(loaded, { set: ['tier1s.The-Tier-1.tier0.x=1'] }))).toEqual([
      '--set tier1s.The-Tier-1.tier0.x=1: tier1s.The-Tier-1.tier0: is string "t0-lhr", not a map or a list: there is nothing inside it to set',
    ]);
  });

  // Regression: `&a [*a]` reached JSON.stringify ("Converting circular structure to JSON").
  it('a value is parsed like a file: recursive aliases, too deep nesting and duplicate keys are problems', () => {
    expect(problems(() => applyOverrides(loaded, { set: ['tier1s.The-Tier-1.advertise=&a [*a]'] }))).toEqual([
      '--set tier1s.The-Tier-1.advertise=&a [*a]: tier1s.The-Tier-1.advertise[0]: recursive alias *a: the value it names contains this alias, so it would never end',
    ]);
    const deep = `name=${'['.repeat(500)}${']'.repeat(500)}`;
    expect(problems(() => applyOverrides(loaded, { set: [deep] }))).toEqual([`--set ${deep}: name: nesting is too deep: more than 128 levels of maps and lists`]);
    expect(problems(() => applyOverrides(loaded, { set: ['name={a: 1, a: 2}'] }))).toEqual(['--set name={a: 1, a: 2}: name: duplicate name "a": Map keys must be unique']);
    expect(problems(() => applyOverrides(loaded, { set: ['name=[a'] }))[0]).toMatch(/^--set name=\[a: name: value is not valid YAML: /);
  });

  it('problems the edits cause elsewhere are blamed on the options, not the file (which was valid)', () => {
    const found = problems(() => applyOverrides(loaded, { set: ['tier0s.t0-lhr=null'] }));
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) expect(p).toMatch(/^--set tier0s\.t0-lhr=null: tier1s\.[^:]+\.tier0: no Tier-0 named "t0-lhr"/);
    const both = problems(() => applyOverrides(loaded, { set: ['tier0s.t0-lhr=null', 'name=x'], fail: ['edge-01'] }));
    expect(both[0]).toMatch(/^--set tier0s\.t0-lhr=null --set name=x --fail edge-01: tier1s\./);
  });
});
