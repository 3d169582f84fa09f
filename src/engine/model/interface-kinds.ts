// A component's interfaces of one kind (their ids, in the component's order), listed once per
// interface list: a Tier-0 DR or SR has an interface per Tier-1 (thousands at size L), and an
// update asks for its uplinks or downlinks again. A model with other failures or with segments
// added at the end shares its components' interface lists with the model it came from, and an id
// names the same interface, of the same kind, in every model holding that list (what
// ribs/compute.ts routerLinks relies on too); only the interfaces' states differ.
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
