// How two expanded models differ, for an update: null when their shape differs (nodes,
// components, interfaces, domains, end hosts or gateways were added, removed or renumbered: the
// later stages cannot line their work up by id and the update rebuilds them), otherwise the
// components whose state changed (an SR's HA role, an interface going down or answering ARP).
// End hosts going up or down change no table (the FIB's ARP tables see them). Field by field over the id-indexed arrays: linear in the
// model's size, no text built.
import type { Component, Domain, Endpoint, GatewayInfo, Interface, Network, Node } from './types.js';

export interface ModelDelta {
  /** Components whose own state or one of whose interfaces' state changed. */
  readonly changedComponents: ReadonlySet<number>;
  /** End hosts that went down or came up, in id order. */
  readonly changedEndpoints: readonly number[];
  /**
   * The model has other domains and interfaces than the previous one after the ones both have,
   * which keep their ids (segments added after the others, or the last ones removed: model/grow.ts);
   * arrays per domain or interface are made again, never reused as they are.
   */
  readonly reshaped?: boolean;
}

/**
 * Walks two lists of the same length position by position, skipping the very same objects: false
 * as soon as a pair has another shape, else `changed` is told of each other pair.
 */
function eachChanged<T>(a: readonly T[], b: readonly T[], sameShape: (x: T, y: T) => boolean, changed: (x: T, y: T, i: number) => unknown): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (!sameShape(x, y)) return false;
    changed(x, y, i);
  }
  return true;
}

export function modelDelta(a: Network, b: Network): ModelDelta | null {
  if (a === b) return { changedComponents: new Set(), changedEndpoints: [] };
  const s = a.settings;
  const t = b.settings;
  if (s.ttl !== t.ttl || s.maxEcmp !== t.maxEcmp || s.maxPaths !== t.maxPaths) return null;
  if (!sameList(a.nodes, b.nodes, sameNode) || !sameList(a.domains, b.domains, sameDomain)) return null;
  if (a.components.length !== b.components.length || a.interfaces.length !== b.interfaces.length || a.endpoints.length !== b.endpoints.length) return null;
  const changed = new Set<number>();
  const changedEndpoints: number[] = [];
  const shapeKept =
    eachChanged(a.components, b.components, sameComponentShape, (x, y, i) => x.ha !== y.ha && changed.add(i)) &&
    eachChanged(a.interfaces, b.interfaces, sameInterfaceShape, (x, y) => (x.down !== y.down || x.answersArp !== y.answersArp) && changed.add(x.component)) &&
    eachChanged(a.endpoints, b.endpoints, sameEndpointShape, (x, y, i) => x.down !== y.down && changedEndpoints.push(i));
  if (!shapeKept) return null;
  if (a.gateways.size !== b.gateways.size) return null;
  const names = [...a.gateways.keys()];
  const other = [...b.gateways.keys()];
  for (let i = 0; i < names.length; i++) {
    if (names[i] !== other[i] || !sameGateway(a.gateways.get(names[i])!, b.gateways.get(names[i])!)) return null;
  }
  return { changedComponents: changed, changedEndpoints };
}

function sameList<T>(x: readonly T[], y: readonly T[], same: (a: T, b: T) => boolean): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!same(x[i], y[i])) return false;
  return true;
}

const sameNode = (x: Node, y: Node) => x.name === y.name && x.kind === y.kind && x.tep === y.tep;

const sameDomain = (x: Domain, y: Domain) =>
  x.name === y.name && x.kind === y.kind && x.segment === y.segment && (x.prefix === y.prefix || (x.prefix !== null && y.prefix !== null && x.prefix.addr === y.prefix.addr && x.prefix.len === y.prefix.len));

function sameComponentShape(x: Component, y: Component): boolean {
  if (x.type !== y.type || x.name !== y.name || x.node !== y.node || x.interfaces.length !== y.interfaces.length) return false;
  for (let k = 0; k < x.interfaces.length; k++) if (x.interfaces[k] !== y.interfaces[k]) return false;
  return true;
}

const sameInterfaceShape = (x: Interface, y: Interface) =>
  x.component === y.component && x.name === y.name && x.kind === y.kind && x.ip === y.ip && x.len === y.len && x.domain === y.domain && x.external === y.external;

const sameEndpointShape = (x: Endpoint, y: Endpoint) =>
  x.kind === y.kind && x.name === y.name && x.ip === y.ip && x.len === y.len && x.domain === y.domain && x.node === y.node && x.gateway === y.gateway;

function sameGateway(x: GatewayInfo, y: GatewayInfo): boolean {
  if (x.tier !== y.tier || x.haMode !== y.haMode || x.dr !== y.dr || x.tier0 !== y.tier0 || x.srs.length !== y.srs.length) return false;
  for (let k = 0; k < x.srs.length; k++) if (x.srs[k] !== y.srs[k]) return false;
  const l = x.routerLink;
  const m = y.routerLink;
  return l === m || (!!l && !!m && l.t0Ip === m.t0Ip && l.t1Ip === m.t1Ip && l.domain === m.domain);
}

/**
 * Whether `b` is `a` reshaped by segments added after the others or the last ones removed
 * (model/grow.ts): the same nodes, components (by id: type and name) and end hosts, and the
 * domains and interfaces both have the very same objects. Tables of the same components then
 * line up by id (what the route diff needs), though the models differ in shape.
 */
export function reshapedFrom(a: Network, b: Network): boolean {
  if (a.nodes.length !== b.nodes.length || a.components.length !== b.components.length || a.endpoints.length !== b.endpoints.length) return false;
  for (let i = 0; i < a.components.length; i++) if (a.components[i].type !== b.components[i].type || a.components[i].name !== b.components[i].name) return false;
  for (let i = 0; i < a.endpoints.length; i++) if (a.endpoints[i] !== b.endpoints[i]) return false;
  for (let i = 0, n = Math.min(a.interfaces.length, b.interfaces.length); i < n; i++) if (a.interfaces[i] !== b.interfaces[i]) return false;
  for (let i = 0, n = Math.min(a.domains.length, b.domains.length); i < n; i++) if (a.domains[i] !== b.domains[i]) return false;
  return true;
}
