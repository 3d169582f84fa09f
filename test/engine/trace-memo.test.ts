// The walker's shared-suffix memo (src/engine/walk/packet-walk.ts) against the walker before it
// (bench/old/trace.ts): on every bundled scenario, on generated fabrics and on an ECMP lab with
// loops, TTL expiry and truncation, a sample of flows gives the same paths — every row's hop
// columns, each path's disposition and final header, in the same order — and the same replies.
// SR subtrees replayed at twin SRs (component, node and next hops remapped) are counted: the
// cases that must exercise them check that they did, those where they must not happen that they did not.
// The walker's flattened copies of the small LPM tables answer as lpmLookup at every interval boundary.
import { describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROW_NAT, WHY_PROXY_ARP, Walker, lookupTwin, walkerLookup } from '../../src/engine/walk/packet-walk.js';
import { lpmLookup } from '../../src/engine/fib/lpm.js';
import { Walker as OldWalker } from '../../bench/old/trace.js';
import type { CompiledNetwork } from '../../src/engine/fib/compile.js';
import { Twin } from '../../src/engine/twin.js';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { loadScenarioText } from '../../src/topology/load.js';
import { generateSize, GENERATED } from '../../src/topology/generate.js';
import { parseIp } from '../../src/topology/ip.js';

/** The columns and header both walkers expose. */
interface Columns {
  rowType: Uint8Array;
  rowObs: Uint8Array;
  rowWhy: Uint8Array;
  rowNode: Int32Array;
  rowRef: Int32Array;
  rowNh: Int32Array;
  rowSeq: Int32Array;
  rowFrom: Uint32Array;
  rowTo: Uint32Array;
  rowPortFrom: Uint16Array;
  rowPortTo: Uint16Array;
  currentSrc: number;
  currentDst: number;
  currentDport: number;
  currentSport: number;
  truncated: boolean;
}
type Sink = { path(w: never, length: number, disposition: number): void };
interface AnyWalker extends Columns {
  trace(src: number, dst: number, sink: Sink, proto?: number, dport?: number): number;
  traceReply(src: number, dst: number, sink: Sink, proto: number, dport: number, forward: never, length: number, srcIp?: number, sport?: number): number;
}

/** One path as text: disposition, final header, then every row (addresses and ports where the walk writes them). */
function describePath(w: Columns, length: number, disposition: number): string {
  const rows: string[] = [];
  for (let i = 0; i < length; i++) {
    let r = `${w.rowType[i]}/${w.rowObs[i]}/${w.rowWhy[i]} n${w.rowNode[i]} r${w.rowRef[i]} h${w.rowNh[i]} s${w.rowSeq[i]}`;
    if (w.rowType[i] === ROW_NAT) r += ` ${w.rowFrom[i]}>${w.rowTo[i]} :${w.rowPortFrom[i]}>${w.rowPortTo[i]}`;
    else if (w.rowWhy[i] === WHY_PROXY_ARP) r += ` arp ${w.rowFrom[i]}`;
    rows.push(r);
  }
  return `${disposition} ${w.currentSrc}>${w.currentDst}:${w.currentSport}>${w.currentDport} | ${rows.join(' | ')}`;
}

/** Every path of a trace (and of the reply of each delivered path), then the path count and truncation. */
function run(forward: AnyWalker, reply: AnyWalker, src: number, dst: number, proto: number, dport: number): string[] {
  const out: string[] = [];
  const replySink: Sink = { path: (w, l, d) => out.push(`  reply ${describePath(w as Columns, l, d)}`) };
  const sink: Sink = {
    path: (w, l, d) => {
      const f = w as Columns;
      out.push(describePath(f, l, d));
      if (d !== 0 || f.rowType[l - 1] !== 0) return;
      const n = reply.traceReply(f.rowRef[l - 1], f.currentSrc, replySink, proto, 49152, w, l, 0, f.currentDport);
      out.push(`  replies ${n} ${reply.truncated}`);
    },
  };
  const n = forward.trace(src, dst, sink, proto, dport);
  out.push(`paths ${n} ${forward.truncated}`);
  return out;
}

/** Flows: endpoint → endpoint (sampled), → VIPs, → outside addresses; ICMP, TCP/80 and TCP/443. */
function flows(twin: Twin, max: number): [number, number, number, number][] {
  const eps = twin.compiled.net.endpoints;
  const dsts = [...eps.map((e) => e.ip), ...(twin.realized.avi?.virtualServices.map((v) => v.vip) ?? []), parseIp('8.8.8.8')!, parseIp('10.99.1.1')!];
  const out: [number, number, number, number][] = [];
  const total = eps.length * dsts.length;
  const step = Math.max(1, Math.floor(total / max));
  for (let k = 0; k < total; k += step) {
    const src = eps[k % eps.length].id;
    const dst = dsts[Math.floor(k / eps.length)];
    const [proto, dport] = [[0, 0], [6, 80], [6, 443], [1, 0]][k % 4];
    out.push([src, dst, proto, dport]);
  }
  return out;
}

/** SR subtrees the new walkers of the last compareWalkers call replayed at twin SRs: forward traces, replies. */
let twinReplays = 0;
let twinReplaysReply = 0;

/** Compares old and new on the flows; returns how many paths were compared (and sets twinReplays). */
function compareWalkers(c: CompiledNetwork, list: [number, number, number, number][]): number {
  const oldF = new OldWalker(c) as unknown as AnyWalker;
  const oldR = new OldWalker(c) as unknown as AnyWalker;
  const nf = new Walker(c);
  const nr = new Walker(c);
  const newF = nf as unknown as AnyWalker;
  const newR = nr as unknown as AnyWalker;
  let paths = 0;
  for (const [src, dst, proto, dport] of list) {
    const want = run(oldF, oldR, src, dst, proto, dport);
    const got = run(newF, newR, src, dst, proto, dport);
    if (got.join('\n') !== want.join('\n')) expect({ src, dst, proto, dport, paths: got }).toEqual({ src, dst, proto, dport, paths: want });
    paths += want.length;
  }
  twinReplays = nf.twinReplays;
  twinReplaysReply = nr.twinReplays;
  return paths;
}

function scenarioFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? scenarioFiles(p) : f.endsWith('.yaml') ? [p] : [];
    });
}

const SCENARIOS = fileURLToPath(new URL('../../scenarios', import.meta.url));

describe('shared-suffix memo: same paths as the walker without it', () => {
  for (const file of scenarioFiles(SCENARIOS)) {
    it(`bundled ${file.slice(SCENARIOS.length + 1)}`, () => {
      const twin = new Twin(loadScenarioFile(file).scenario);
      expect(compareWalkers(twin.compiled, flows(twin, 1500))).toBeGreaterThan(0);
    });
  }

  it('generated S fabric (BGP, 8 ToRs × 8 SRs, VIPs): client → VIP gives 16 paths, replayed Tier-1 DR suffixes', () => {
    const twin = new Twin(generateSize('S', { tier1s: 6 }));
    const c = twin.compiled;
    const client = c.net.endpointByName.get(GENERATED.client)!;
    const vips = twin.realized.avi!.virtualServices.filter((v) => v.state === 'UP').map((v) => v.vip);
    const list: [number, number, number, number][] = vips.map((vip) => [client, vip, 6, 80]);
    compareWalkers(c, list);
    // Each client → VIP trace walks one Tier-0 SR and replays its subtree at the seven others;
    // so does each of its 16 replies (SE → client, over the eight SRs again).
    expect(twinReplays).toBe(7 * list.length);
    expect(twinReplaysReply).toBe(16 * 7 * list.length);
    compareWalkers(c, flows(twin, 1500));
    expect(twinReplays).toBeGreaterThan(0);
    let paths = 0;
    new Walker(c).trace(client, vips[0], { path: () => paths++ }, 6, 80);
    expect(paths).toBe(16);
    // The eight Tier-0 SRs are looked up in the first one's table: the comparisons went through it.
    const srs = c.net.gateways.get('t0')!.srs;
    expect(srs.map((sr) => lookupTwin(c, sr))).toEqual(srs.map(() => srs[0]));
  });

  it('generated fabric without BGP, centralized Tier-1s and NAT-free ECMP', () => {
    const twin = new Twin(generateSize('S', { tier1s: 12, bgp: false, seed: 7 }));
    compareWalkers(twin.compiled, flows(twin, 2000));
  });

  it('flattened small LPM tables: the same entry as lpmLookup at every interval start, one below and one above', () => {
    for (const twin of [new Twin(generateSize('L', { tier1s: 24, bgp: false })), new Twin(generateSize('S', { tier1s: 6 })), new Twin(loadScenarioFile(join(SCENARIOS, 'reference-lab.yaml')).scenario)]) {
      const c = twin.compiled;
      let checked = 0;
      for (let comp = 0; comp < c.fib.length; comp++) {
        const t = c.fib[comp];
        for (let i = 0; i < t.size; i++) {
          for (const ip of [t.starts[i], t.starts[i] - 1, t.starts[i] + 1, 0xffffffff]) {
            const a = ip >>> 0;
            if (walkerLookup(c, comp, a) !== lpmLookup(t, a)) expect({ comp, ip: a, got: walkerLookup(c, comp, a) }).toEqual({ comp, ip: a, got: lpmLookup(t, a) });
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(100);
    }
  });

  it('L-shaped fabric (the benchmark shape): client → VIP and workload → VIP, SR subtrees replayed at twins', () => {
    const twin = new Twin(generateSize('L', { tier1s: 24, bgp: false }));
    const c = twin.compiled;
    const client = c.net.endpointByName.get(GENERATED.client)!;
    const vss = twin.realized.avi!.virtualServices;
    const workloads = c.net.endpoints.filter((e) => e.kind === 'WORKLOAD');
    const list: [number, number, number, number][] = [];
    let up = 0;
    for (let i = 0; i < vss.length; i += 3) {
      list.push([client, vss[i].vip, 6, GENERATED.vsPort], [workloads[(i * 7) % workloads.length].id, vss[i].vip, 6, GENERATED.vsPort]);
      if (vss[i].state === 'UP') up++;
    }
    compareWalkers(c, list);
    // Client → VIP of a virtual service that is up: one Tier-0 SR walked, its subtree replayed at
    // the seven others (six when the Tier-1 has an SR on one of their edges: that SR walks its own).
    expect(twinReplays).toBeGreaterThanOrEqual(6 * up);
    expect(twinReplays).toBeGreaterThan(6.5 * up);
  });
});

// An ECMP lab: the ToR reaches 10.1/16 and 10.89/16 over both Tier-0 SRs; the Tier-0 sends 10.89/16
// back to the ToR (a loop below the fan-out); TTL and maxPaths variants cut walks inside replays.
const LAB = `transportNodes:
  esx-01: { type: host, tep: 10.0.20.11 }
  esx-02: { type: host, tep: 10.0.20.12 }
  edge-01: { type: edge, tep: 10.0.20.21 }
  edge-02: { type: edge, tep: 10.0.20.22 }
edgeClusters:
  ec: { members: [edge-01, edge-02] }
tier0s:
  t0:
    edgeCluster: ec
    uplinks:
      - { edge: edge-01, segment: up, ip: 10.0.10.11/24 }
      - { edge: edge-02, segment: up, ip: 10.0.10.12/24 }
    staticRoutes:
      - { name: default, network: 0.0.0.0/0, nextHops: [10.0.10.1] }
      - { name: null-66, network: 10.66.0.0/16, nextHops: [{ blackhole: true }] }
      - { name: arp-77, network: 10.77.0.0/16, nextHops: [10.0.10.99] }
tier1s:
  t1d: { tier0: t0, advertise: [TIER1_CONNECTED] }
  t1c: { tier0: t0, edgeCluster: ec, advertise: [TIER1_CONNECTED] }
segments:
  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }
  s1: { tier1: t1d, gateway: 10.1.1.1/24 }
  s2: { tier1: t1c, gateway: 10.1.2.1/24 }
workloads:
  vm1: { host: esx-01, segment: s1, ip: 10.1.1.10 }
  vm3: { host: esx-02, segment: s1, ip: 10.1.1.12 }
  app: { host: esx-02, segment: s2, ip: 10.1.2.10 }
physicalRouters:
  tor:
    interfaces:
      - { name: vlan10, ip: 10.0.10.1/24, segment: up }
      - { name: lan, ip: 172.16.0.1/24 }
      - { name: wan, ip: 192.0.2.1/30, external: true }
    staticRoutes:
      - { name: nsx, network: 10.1.0.0/16, nextHops: [10.0.10.11, 10.0.10.12] }
      - { name: loop-89, network: 10.89.0.0/16, nextHops: [10.0.10.11, 10.0.10.12] }
      - { name: to-client, network: 10.44.0.0/16, nextHops: [172.16.0.10] }
      - { name: internet, network: 0.0.0.0/0, nextHops: [192.0.2.2] }
physicalHosts:
  client: { ip: 172.16.0.10/24, gateway: 172.16.0.1 }
`;

// Variants of the lab: edge-02's uplink on a VLAN and subnet of its own (SR tables not alike), on a
// VLAN of its own in the same subnet (alike tables, some next hops on another domain: read as
// edge-02's own), edge-02 failed (its SR down).
const LAB_VLAN = LAB.replace('{ edge: edge-02, segment: up, ip: 10.0.10.12/24 }', '{ edge: edge-02, segment: up2, ip: 10.0.10.12/24 }')
  .replace('  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }\n', '  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }\n  up2: { type: vlan, vlan: 11, subnet: 10.0.10.0/24 }\n');
const LAB_SPLIT = LAB.replace('{ edge: edge-02, segment: up, ip: 10.0.10.12/24 }', '{ edge: edge-02, segment: up2, ip: 10.0.11.12/24 }')
  .replace('nextHops: [10.0.10.1] }', 'nextHops: [10.0.10.1, 10.0.11.1] }')
  .replace('  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }\n', '  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }\n  up2: { type: vlan, vlan: 11, subnet: 10.0.11.0/24 }\n')
  .replace('      - { name: vlan10, ip: 10.0.10.1/24, segment: up }\n', '      - { name: vlan10, ip: 10.0.10.1/24, segment: up }\n      - { name: vlan11, ip: 10.0.11.1/24, segment: up2 }\n')
  .replace('nextHops: [10.0.10.11, 10.0.10.12] }', 'nextHops: [10.0.10.11, 10.0.11.12] }');

// The ToR sends edge-02's own uplink address over both SRs: edge-01's SR forwards it to edge-02's,
// which owns it (walking edge-02's SR is not replaying edge-01's subtree there).
const LAB_OWN = LAB.replace("      - { name: to-client,", "      - { name: sr2, network: 10.0.10.12/32, nextHops: [10.0.10.11, 10.0.10.12] }\n      - { name: to-client,");

describe('shared-suffix memo on an ECMP lab', () => {
  const dsts = ['10.1.1.10', '10.1.1.12', '10.1.2.10', '10.1.1.99', '10.89.0.1', '10.66.0.1', '10.77.0.1', '10.1.1.1', '8.8.8.8', '172.16.0.10', '10.0.10.12', '10.0.11.12', '10.0.10.11'];
  for (const settings of ['', 'settings:\n  ttl: 3\n', 'settings:\n  ttl: 4\n', 'settings:\n  ttl: 5\n', 'settings:\n  maxPaths: 1\n', 'settings:\n  maxPaths: 3\n', 'settings:\n  maxPaths: 5\n']) {
    it(`every source to every destination${settings ? ` with ${settings.trim().replace(/\s+/g, ' ')}` : ''}`, () => {
      const twin = new Twin(loadScenarioText(LAB + settings).scenario);
      const c = twin.compiled;
      const list: [number, number, number, number][] = [];
      for (const e of c.net.endpoints) for (const d of dsts) for (const [p, port] of [[0, 0], [6, 80]]) list.push([e.id, parseIp(d)!, p, port]);
      compareWalkers(c, list);
      // Truncated traces stop inside replays at the twin SR too.
      expect(twinReplays).toBeGreaterThan(0);
    });
  }

  // replayed: whether SR subtrees are replayed at the twin SR.
  for (const [name, text, twins, replayed] of [
    ['alike SRs (one table looked up for both)', LAB, true, true],
    ['SR uplinks on different VLANs and subnets (not alike)', LAB_SPLIT, false, false],
    ['SR uplinks on different VLANs of one subnet (alike, next hops apart)', LAB_VLAN, true, true],
    ['edge-02 failed', `${LAB}failed: [edge-02]\n`, null, false],
    ['one SR owns an address the ToR sends over both', LAB_OWN, true, true],
  ] as const) {
    it(`SR tables: ${name}`, () => {
      const twin = new Twin(loadScenarioText(text).scenario);
      const c = twin.compiled;
      const [a, b] = c.net.gateways.get('t0')!.srs;
      if (twins !== null) expect(lookupTwin(c, b)).toBe(twins ? a : b);
      const list: [number, number, number, number][] = [];
      for (const e of c.net.endpoints) for (const d of dsts) for (const [p, port] of [[0, 0], [6, 80]]) list.push([e.id, parseIp(d)!, p, port]);
      expect(compareWalkers(c, list)).toBeGreaterThan(0);
      if (replayed) expect(twinReplays).toBeGreaterThan(0);
      else expect(twinReplays + twinReplaysReply).toBe(0);
    });
  }

  it('the client reaches both hosts over both SRs: 2 paths per workload, the Tier-0/Tier-1 DR suffix on each edge', () => {
    const twin = new Twin(loadScenarioText(LAB).scenario);
    const r = twin.trace({ from: 'client', to: '10.1.1.12' });
    expect(r.paths.map((p) => p.hops.map((h) => `${h.node} ${h.component}`).join(', '))).toEqual([
      'client client, tor tor, tor up, edge-01 t0, edge-01 t1d, edge-01 s1, edge-01 GENEVE, esx-02 GENEVE, esx-02 vm3',
      'client client, tor tor, tor up, edge-02 t0, edge-02 t1d, edge-02 s1, edge-02 GENEVE, esx-02 GENEVE, esx-02 vm3',
    ]);
    const loop = twin.trace({ from: 'client', to: '10.89.0.1' });
    expect(loop.paths.map((p) => p.disposition)).toEqual(['LOOP', 'LOOP']);
  });
});
