// Baseline copy of scenario validation before the scale rework (second semantic pass over the
// whole realized scenario, per-object path arrays and messages, repeated address parsing), kept
// only so bench/validation-stages.ts and test/topology/validate-incremental-equal.test.ts can
// compare old and new. Do not use elsewhere.
// AKO emulation: the Avi objects AKO creates for a cluster's Services (type LoadBalancer → one L4
// VS per Service, one pool per port) and Ingresses (shared L7 parents chosen by FNV-1a of the
// host, or one dedicated VS per host), with AKO's names, pool members by serviceType and FQDNs
// by autoFQDN (avi-reference.md §6).
import { formatIp } from '../../src/topology/ip.js';
import { entriesOf, nameMap, ownEntry, type AkoSpec, type K8sServiceSpec, type PoolMemberSpec, type PoolSpec, type VirtualServiceSpec } from '../../src/topology/scenario.js';
import type { RealizeContext } from './validate-realize-context.js';
import type { RealizedCluster, RealizedPod } from './validate-realize-kubernetes.js';

export interface AkoObjects {
  readonly virtualServices: Record<string, VirtualServiceSpec>;
  readonly pools: Record<string, PoolSpec>;
  /**
   * VS name → the Kubernetes object it was created for ("tkgi-cluster-1: Service yelb/yelb-ui"),
   * its path, and where each VS field came from (AKO settings are reported on `ako.*`).
   */
  readonly createdFor: Map<string, { why: string; path: readonly (string | number)[]; fieldPaths: VsFieldPaths }>;
}

/** Where the user wrote the values of a created virtual service's fields. */
export interface VsFieldPaths {
  readonly tier1?: readonly (string | number)[];
  readonly seGroup?: readonly (string | number)[];
  readonly vipAddress?: readonly (string | number)[];
  readonly vipNetwork?: readonly (string | number)[];
}

const SHARD_SIZE = { LARGE: 8, MEDIUM: 4, SMALL: 1, DEDICATED: 0 } as const;

/** FNV-1a, 32 bit, over the UTF-8 bytes (Go's hash/fnv New32a, which AKO uses to pick a shard). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** AKO's shard index for a host: FNV-1a(host) & (N − 1). */
export function shardOf(host: string, shards: number): number {
  return (fnv1a32(host) & (shards - 1)) >>> 0;
}

/** The FQDN AKO registers for an L4 Service, or null when autoFQDN is disabled. */
export function l4Fqdn(ako: AkoSpec, ns: string, svc: string, domain: string | undefined): string | null {
  const mode = ako.autoFQDN ?? 'default';
  if (mode === 'disabled' || domain === undefined) return null;
  return mode === 'flat' ? `${svc}-${ns}.${domain}` : `${svc}.${ns}.${domain}`;
}

function matches(pod: RealizedPod, ns: string, selector: Record<string, string>): boolean {
  return pod.namespace === ns && Object.entries(selector).every(([k, v]) => Object.hasOwn(pod.labels, k) && pod.labels[k] === v);
}

/**
 * Endpoints of a selector, found through an index of pods by namespace and one label (the
 * selector's first), so matching all Services stays linear in the pods, not Services × pods.
 */
function podIndex(pods: readonly RealizedPod[]): (ns: string, selector: Record<string, string>) => RealizedPod[] {
  const byLabel = new Map<string, RealizedPod[]>();
  const byNs = new Map<string, RealizedPod[]>();
  const push = (m: Map<string, RealizedPod[]>, key: string, p: RealizedPod) => {
    const l = m.get(key);
    if (l) l.push(p);
    else m.set(key, [p]);
  };
  for (const p of pods) {
    push(byNs, p.namespace, p);
    for (const [k, v] of Object.entries(p.labels)) push(byLabel, JSON.stringify([p.namespace, k, v]), p);
  }
  return (ns, selector) => {
    const first = Object.entries(selector)[0];
    const candidates = (first ? byLabel.get(JSON.stringify([ns, first[0], first[1]])) : byNs.get(ns)) ?? [];
    return candidates.filter((p) => matches(p, ns, selector));
  };
}

export function realizeAko(ctx: RealizeContext, clusters: readonly RealizedCluster[]): AkoObjects {
  const out: AkoObjects = { virtualServices: nameMap(), pools: nameMap(), createdFor: new Map() };
  for (const cluster of clusters) {
    const ako = cluster.spec.ako;
    if (!ako) continue;
    const base = ['kubernetes', cluster.name];
    const prefix = `${ako.clusterName}--`;
    const serviceType = ako.serviceType ?? 'ClusterIP';
    const cni = ako.cniPlugin ?? cluster.spec.cni;
    if (serviceType === 'NodePortLocal' && cni !== 'antrea') ctx.problem([...base, 'ako', 'serviceType'], 'NodePortLocal needs the Antrea CNI (cniPlugin: antrea)');
    const domain = ako.defaultDomain ?? ctx.input.avi?.dnsDomains?.[0];
    const endpointsOf = podIndex(cluster.pods);
    const akoPaths: VsFieldPaths = { tier1: [...base, 'ako', 'nsxtT1LR'], seGroup: [...base, 'ako', 'seGroup'], vipNetwork: [...base, 'ako', 'vipNetwork'] };

    /** Pool members for a Service port, by serviceType. */
    const members = (path: readonly (string | number)[], ns: string, svc: K8sServiceSpec, port: number): PoolMemberSpec[] => {
      const sp = svc.ports.find((p) => p.port === port);
      if (!sp) {
        ctx.problem(path, `the Service has no port ${port}`);
        return [];
      }
      const endpoints = endpointsOf(ns, svc.selector);
      if (serviceType === 'NodePort') {
        if (sp.nodePort === undefined) {
          ctx.problem(path, `serviceType NodePort needs a nodePort on port ${port}`);
          return [];
        }
        return cluster.workers.flatMap((n) => {
          const ip = cluster.nodeIps.get(n);
          return ip === undefined ? [] : [{ ip: formatIp(ip), port: sp.nodePort }];
        });
      }
      if (serviceType === 'NodePortLocal') return endpoints.map((p) => ({ ip: formatIp(p.nodeIp), port: p.nplPort }));
      const out: PoolMemberSpec[] = [];
      for (const p of endpoints) {
        if (p.ip === null && cluster.spec.cni === 'ncp') continue; // no pod subnet left: reported on podIpBlock
        if (p.ip === null) ctx.problem(path, `pod ${JSON.stringify(`${p.namespace}/${p.name}`)} has no address NSX can reach (Antrea pods are invisible to NSX): use serviceType NodePortLocal or NodePort`);
        else out.push({ ip: formatIp(p.ip), port: sp.targetPort ?? sp.port });
      }
      return out;
    };
    const add = (path: readonly (string | number)[], vsName: string, vs: VirtualServiceSpec, why: string, fieldPaths: VsFieldPaths) => {
      if (ownEntry(ctx.input.avi?.virtualServices, vsName) || ownEntry(out.virtualServices, vsName)) {
        ctx.problem(path, `AKO would create virtual service ${JSON.stringify(vsName)}, which already exists`);
        return;
      }
      out.virtualServices[vsName] = vs;
      out.createdFor.set(vsName, { why: `${cluster.name}: ${why}`, path, fieldPaths });
    };
    const addPool = (path: readonly (string | number)[], name: string, pool: PoolSpec) => {
      if (ownEntry(ctx.input.avi?.pools, name) || ownEntry(out.pools, name)) ctx.problem(path, `AKO would create pool ${JSON.stringify(name)}, which already exists`);
      else out.pools[name] = pool;
    };
    const vip = (address?: string) => (address !== undefined ? { address } : { network: ako.vipNetwork });

    // L4: one VS (and VsVip) per Service of type LoadBalancer, one pool per port.
    for (const [key, svc] of entriesOf(cluster.spec.services)) {
      if ((svc.type ?? 'ClusterIP') !== 'LoadBalancer') continue;
      const path = [...base, 'services', key];
      const [ns, name] = splitKey(key);
      const vsName = `${prefix}${ns}-${name}`;
      const services = svc.ports.map((p) => {
        const protocol = p.protocol ?? 'TCP';
        const pool = `${vsName}-${protocol}-${p.port}`;
        addPool(path, pool, { members: members(path, ns, svc, p.port) });
        return { port: p.port, protocol, pool };
      });
      const fqdn = l4Fqdn(ako, ns, name, domain);
      const fieldPaths = svc.loadBalancerIP !== undefined ? { ...akoPaths, vipAddress: [...path, 'loadBalancerIP'] } : akoPaths;
      add(path, vsName, { tier1: ako.nsxtT1LR, seGroup: ako.seGroup, vip: vip(svc.loadBalancerIP), services, ...(fqdn ? { fqdns: [fqdn] } : {}) }, `Service ${key}`, fieldPaths);
    }

    // L7: Ingress hosts on shared parents (or dedicated VSes), pools per host/path.
    const shards = SHARD_SIZE[ako.shardVSSize ?? 'LARGE'];
    const parents = new Map<string, { vs: VirtualServiceSpec; hosts: Set<string>; routes: { host: string; path: string; pool: string }[]; why: Set<string> }>();
    for (const [key, ing] of entriesOf(cluster.spec.ingresses)) {
      const [ns, ingName] = splitKey(key);
      ing.rules.forEach((rule, ri) => {
        const vsName = shards === 0 ? `${prefix}${rule.host}-L7-dedicated` : `${prefix}Shared-L7-${shardOf(rule.host, shards)}`;
        let parent = parents.get(vsName);
        if (!parent) {
          parent = { vs: { tier1: ako.nsxtT1LR, seGroup: ako.seGroup, vip: vip(), services: [{ port: 80 }, { port: 443 }] }, hosts: new Set(), routes: [], why: new Set() };
          parents.set(vsName, parent);
        }
        parent.hosts.add(rule.host);
        parent.why.add(`Ingress ${key}`);
        rule.paths.forEach((p, pi) => {
          const path = [...base, 'ingresses', key, 'rules', ri, 'paths', pi];
          const svc = ownEntry(cluster.spec.services, `${ns}/${p.service}`);
          if (!svc) {
            ctx.problem([...path, 'service'], `no Service ${JSON.stringify(`${ns}/${p.service}`)} in cluster ${JSON.stringify(cluster.name)}`);
            return;
          }
          const urlPath = p.path ?? '/';
          const pool = `${prefix}${rule.host}${urlPath.replaceAll('/', '_')}-${ns}-${ingName}-${p.service}`;
          addPool(path, pool, { members: members(path, ns, svc, p.port) });
          parent.routes.push({ host: rule.host, path: urlPath, pool });
        });
      });
    }
    for (const [vsName, p] of parents) {
      add([...base, 'ingresses'], vsName, { ...p.vs, httpRoutes: p.routes, fqdns: [...p.hosts] }, [...p.why].join(', '), akoPaths);
    }
  }
  return out;
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return i < 0 ? ['default', key] : [key.slice(0, i), key.slice(i + 1)];
}
