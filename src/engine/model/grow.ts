// The model after segments were added after the others, or the last ones removed (and nothing
// else the model is made of changed), from the previous model: expand.ts numbers segment domains
// after every other domain and downlinks after every other interface, both in segment order, so
// such an edit appends (or cuts off) a domain per segment and a downlink per segment with a
// gateway address, and every other id stays what it was. The Tier-1 or Tier-0 DRs given (or
// losing) a downlink are what changed (model/delta ModelDelta, `reshaped`); the result is the
// model expand() makes of the edited scenario, object for object (test/engine/model-grow.test.ts).
import { networkOf, parseIfAddr, parsePrefix } from '../../topology/ip.js';
import { keysOfMap, sharedHead, type Scenario, type SegmentSpec } from '../../topology/scenario.js';
import type { ModelDelta } from './delta.js';
import type { ExpandedNetwork } from './expand.js';
import type { Component, Domain, Interface } from './types.js';

/**
 * The model of `s` from `prev` (the model of `was`) when one's segments are the other's, the very
 * same entries in the same order, followed by more (segments added after the others, or the last
 * ones removed), and the caller made sure nothing else the model reads changed (model/inputs
 * sameModelInputs with `exceptSegments`); else null. Removed segments must hold nothing but their
 * downlink (no end host, uplink or router interface: those would have changed too).
 */
export function withSegmentsAtEnd(prev: ExpandedNetwork, was: Scenario, s: Scenario): { network: ExpandedNetwork; delta: ModelDelta } | null {
  const a = was.segments;
  const b = s.segments;
  if (!a || !b || a === b) return null;
  const shared = sharedHead(a, b);
  if (shared < 0) return null;
  const before = keysOfMap(a);
  const after = keysOfMap(b);
  return after.length > shared ? appended(prev, b, after, shared) : removed(prev, before.length - shared);
}

/** `prev` with the segments names[from…] of map `b` appended: a domain each, a downlink each on the DR of its gateway. */
function appended(prev: ExpandedNetwork, b: Readonly<Record<string, SegmentSpec>>, names: readonly string[], from: number): { network: ExpandedNetwork; delta: ModelDelta } {
  // The new domains and downlinks, then the previous lists with them (one copy each, at its final size).
  const addedDomains: Domain[] = [];
  const addedInterfaces: Interface[] = [];
  const components: Component[] = prev.components.slice();
  const changedComponents = new Set<number>();
  for (let i = from; i < names.length; i++) {
    const name = names[i];
    const seg = b[name];
    const gwAddr = parseIfAddr(seg.gateway);
    const prefix = gwAddr ? networkOf(gwAddr) : parsePrefix(seg.subnet);
    const domain = prev.domains.length + addedDomains.length;
    addedDomains.push({ id: domain, name, kind: seg.type === 'vlan' ? 'vlan' : 'overlay', prefix, segment: name });
    // Its downlink, as expand() makes it: on the DR of the gateway it names, with its gateway address.
    const gw = seg.tier0 !== undefined ? prev.gateways.get(seg.tier0) : seg.tier1 !== undefined ? prev.gateways.get(seg.tier1) : undefined;
    if (gw === undefined || gwAddr === null || gw.tier !== (seg.tier0 !== undefined ? 0 : 1)) continue;
    const id = prev.interfaces.length + addedInterfaces.length;
    const dr = components[gw.dr];
    addedInterfaces.push({ id, component: gw.dr, name: `downlink-${name}`, kind: 'downlink', ip: gwAddr.ip, len: gwAddr.len, domain, external: false, down: dr.ha !== 'active', answersArp: true });
    components[gw.dr] = { ...dr, interfaces: [...dr.interfaces, id] };
    changedComponents.add(gw.dr);
  }
  return reshaped(prev, components, prev.interfaces.concat(addedInterfaces), prev.domains.concat(addedDomains), changedComponents);
}

/** `prev` without its last `n` segments (the last `n` domains, and the downlinks on them, which are the last interfaces), or null when anything else is on them. */
function removed(prev: ExpandedNetwork, n: number): { network: ExpandedNetwork; delta: ModelDelta } | null {
  const keep = prev.domains.length - n;
  if (keep < 0 || prev.domains.slice(keep).some((d) => d.segment === undefined)) return null;
  let cut = prev.interfaces.length;
  while (cut > 0 && prev.interfaces[cut - 1].domain >= keep) cut--;
  for (let i = cut; i < prev.interfaces.length; i++) if (prev.interfaces[i].kind !== 'downlink') return null;
  for (let i = 0; i < cut; i++) if (prev.interfaces[i].domain >= keep) return null;
  for (const ep of prev.endpoints) if (ep.domain >= keep) return null;
  const components: Component[] = prev.components.slice();
  const changedComponents = new Set<number>();
  for (let i = cut; i < prev.interfaces.length; i++) changedComponents.add(prev.interfaces[i].component);
  for (const c of changedComponents) components[c] = { ...components[c], interfaces: components[c].interfaces.filter((i) => i < cut) };
  return reshaped(prev, components, prev.interfaces.slice(0, cut), prev.domains.slice(0, keep), changedComponents);
}

function reshaped(prev: ExpandedNetwork, components: readonly Component[], interfaces: readonly Interface[], domains: readonly Domain[], changedComponents: ReadonlySet<number>): { network: ExpandedNetwork; delta: ModelDelta } {
  // A node list of its own: values made per model shape (model/shape-memo) are made again for it.
  const network: ExpandedNetwork = { ...prev, nodes: prev.nodes.slice(), components, interfaces, domains };
  origins.set(network.nodes, { prev: new WeakRef(prev), interfaces: Math.min(prev.interfaces.length, interfaces.length), domains: Math.min(prev.domains.length, domains.length) });
  return { network, delta: { changedComponents, changedEndpoints: [], reshaped: true } };
}

/** What a reshaped model was made from: the previous model (held weakly) and how many of its interfaces and domains it has, the very same objects. */
export interface ReshapedOrigin {
  readonly prev: ExpandedNetwork;
  readonly interfaces: number;
  readonly domains: number;
}

const origins = new WeakMap<readonly unknown[], { readonly prev: WeakRef<ExpandedNetwork>; readonly interfaces: number; readonly domains: number }>();

/** The model `net` was reshaped from (segments added or removed at the end), while that one is alive; else undefined. */
export function reshapedOrigin(net: { readonly nodes: readonly unknown[] }): ReshapedOrigin | undefined {
  const o = origins.get(net.nodes);
  const prev = o?.prev.deref();
  return o !== undefined && prev !== undefined ? { prev, interfaces: o.interfaces, domains: o.domains } : undefined;
}
