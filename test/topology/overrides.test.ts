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
      '--set: : expected path=value (e.g. tier1s.The-Tier-1.advertise=[TIER1_CONNECTED]), got "no-equals-sign"',
    ]);
    expect(problems(() => applyOverrides(loaded, { set: ['tier1s.The-Tier-1.tier0=t0-main'] }))).toEqual([
      '--set tier1s.The-Tier-1.tier0=t0-main: tier1s.The-Tier-1.tier0: no Tier-0 named "t0-main"',
    ]);
    expect(problems(() => applyOverrides(loaded, { fail: ['edge-9'] }))[0]).toMatch(/^--fail: failed\[0\]: nothing named "edge-9" can fail/);
    expect(problems(() => applyOverrides(loaded, { set: ['tier1s.__proto__.x=1'] }))[0]).toMatch(/__proto__/);
  });
});
