// A component's interfaces of one kind, or by the key of their subnet (their ids, in the
// component's order), listed once per interface list: a Tier-0 DR or SR has an interface per Tier-1 (thousands at size L), and an
// update asks for its uplinks or downlinks again. A model with other failures or with segments
// added at the end shares its components' interface lists with the model it came from, and an id
// names the same interface, of the same kind, in every model holding that list (what
// ribs/compute.ts routerLinks relies on too); only the interfaces' states differ.
import { maskOf } from '../../topology/ip.js';
import type { InterfaceKind, Network } from './types.js';

const byList = new WeakMap<readonly number[], Map<InterfaceKind, readonly number[]>>();

export function interfacesOfKind(net: Network, component: number, kind: InterfaceKind): readonly number[] {
  const list = net.components[component].interfaces;
  let kinds = byList.get(list);
  if (kinds === undefined) byList.set(list, (kinds = new Map()));
  let ids = kinds.get(kind);
  if (ids === undefined) kinds.set(kind, (ids = list.filter((i) => net.interfaces[i].kind === kind)));
  return ids;
}

/**
 * Per component interface list: its interfaces by the key (prefixKey) of their subnet, in list
 * order (what a patch of some prefixes reads instead of every interface: a Tier-0 SR has a
 * router link per Tier-1). Keyed by the list, as interfacesOfKind.
 */
const interfacesByKeyCache = new WeakMap<readonly number[], ReadonlyMap<number, readonly number[]>>();

export function interfacesByKey(net: Network, c: number): ReadonlyMap<number, readonly number[]> {
  const list = net.components[c].interfaces;
  let byKey = interfacesByKeyCache.get(list);
  if (byKey === undefined) {
    const out = new Map<number, number[]>();
    for (const i of list) {
      const k = subnetKey(net.interfaces[i]);
      const known = out.get(k);
      if (known) known.push(i);
      else out.set(k, [i]);
    }
    interfacesByKeyCache.set(list, (byKey = out));
  }
  return byKey;
}

/** The key (prefixKey) of an interface's subnet. */
export function subnetKey(itf: { readonly ip: number; readonly len: number }): number {
  return ((itf.ip & maskOf(itf.len)) >>> 0) * 64 + itf.len;
}
