// Baseline copy of the packet walker (src/engine/walk/packet-walk.ts) before the shared-suffix memo: every
// ECMP branch walked to its end. Kept only so bench/traceflow-speed.ts can print old traces/s beside
// new and test/engine/trace-memo.test.ts can check the new walker's paths against it. Do not use elsewhere.
// The forwarding core's packet walk. A Walker owns preallocated hop columns (typed arrays) and
// walks a packet over the compiled network: DRs on the node where the packet is, Geneve tunnels
// between transport nodes, physical hops on VLANs, ECMP as depth-first branches in next-hop
// order, loops caught by an on-path mark per (component, node). Nothing is allocated per hop;
// each finished path is handed to a PathSink, which reads the columns.
import { lpmLookup } from '../../src/engine/fib/lpm.js';
import { NH_BLACKHOLE, NH_CONNECTED, NODE_PHYSICAL, type CompiledNetwork } from '../../src/engine/fib/compile.js';
import { MISSING } from '../../src/engine/fib/pair-hash.js';
import { FW_ALLOW, matchRule, type RuleSet } from '../../src/engine/fib/firewall.js';
import { NAT_DNAT, NAT_REFLEXIVE, NAT_SNAT, mapAddress, matchInbound, matchOutbound } from '../../src/engine/fib/nat.js';
import { LB_SERVES, serves } from '../../src/engine/fib/load-balancer.js';
import { proxyArpEntry } from '../../src/engine/fib/proxy-arp.js';

export const ROW_ENDPOINT = 0;
export const ROW_SEGMENT = 1;
export const ROW_ROUTER = 2;
export const ROW_TUNNEL_OUT = 3;
export const ROW_TUNNEL_IN = 4;
/** A firewall decision: rowRef = the gateway's SR component, or -1 for the distributed firewall; rowNh = rule index. */
export const ROW_FIREWALL = 5;
/** A translation: rowRef = the SR component, rowNh = rule index, rowFrom/rowTo = address before/after, rowPortFrom/rowPortTo = port before/after (0: unchanged). */
export const ROW_NAT = 6;

export const OBS_INJECTED = 0;
export const OBS_RECEIVED = 1;
export const OBS_FORWARDED = 2;
export const OBS_DELIVERED = 3;
export const OBS_DROPPED = 4;

export const DISP_DELIVERED = 0;
export const DISP_EXITS_NETWORK = 1;
export const DISP_NO_ROUTE = 2;
export const DISP_NULL_ROUTED = 3;
export const DISP_DENIED = 4;
export const DISP_ARP_FAILED = 5;
export const DISP_LOOP = 6;
export const DISP_NO_SERVICE = 7;
export { DISPOSITIONS, type Disposition } from '../../src/engine/walk/dispositions.js';

/** Why a row dropped or ended the packet (detail for materialization). */
export const WHY_NONE = 0;
export const WHY_NO_GATEWAY = 1;
export const WHY_NOT_A_ROUTER = 2;
export const WHY_TTL = 3;
export const WHY_REVISIT = 4;
/** A NAT row that reverses a forward translation (reply). */
export const WHY_REVERSE = 5;
/** An endpoint row: an SE received a packet for a VIP it carries (rowNh = the virtual service). */
export const WHY_VIP = 6;
/** A segment row: the receiver answered ARP by proxy (rowNh = proxy ARP entry, rowFrom = the address asked for). */
export const WHY_PROXY_ARP = 7;

export interface PathSink {
  /** Called once per finished path; rows [0, length) of the walker's columns describe it. */
  path(w: Walker, length: number, disposition: number): void;
}

export class Walker {
  readonly rowType: Uint8Array;
  readonly rowObs: Uint8Array;
  readonly rowWhy: Uint8Array;
  readonly rowNode: Int32Array;
  readonly rowRef: Int32Array;
  readonly rowNh: Int32Array;
  readonly rowSeq: Int32Array;
  readonly rowFrom: Uint32Array;
  readonly rowTo: Uint32Array;
  readonly rowPortFrom: Uint16Array;
  readonly rowPortTo: Uint16Array;
  private readonly onPath: Uint8Array;
  private readonly nodeCount: number;
  private dst = 0;
  private src = 0;
  /** Reply mode: stateful firewalls let it pass; NAT is reversed from the connection entries. */
  private reply = false;
  private connComp = new Int32Array(16);
  private connKind = new Uint8Array(16); // 0: reply dst back (un-SNAT), 1: reply src back (un-DNAT)
  private connMatch = new Uint32Array(16);
  private connTo = new Uint32Array(16);
  private connRule = new Int32Array(16);
  /** Un-DNAT of a port-translating rule: the reply's source port goes back to this (0: none). */
  private connPort = new Uint16Array(16);
  private connCount = 0;
  private proto = 0;
  private dport = 0;
  /** Source port (tracked for replies, whose source port a reversed DNAT restores). */
  private sport = 0;
  private sink: PathSink | null = null;
  /** Set just before l2(): the proxy ARP entry that answered for the target, else -1. */
  private proxy = -1;
  private proxyTarget = 0;
  private paths = 0;
  private maxPaths: number;
  /** True when the last trace stopped enumerating at settings.maxPaths. */
  truncated = false;
  /** HTTP host of the request (L7 virtual services pick pools by it); null = any. */
  host: string | null = null;

  /** The packet's header as it is now (inside a PathSink callback: as delivered). */
  get currentSrc(): number {
    return this.src;
  }
  get currentDst(): number {
    return this.dst;
  }
  get currentDport(): number {
    return this.dport;
  }
  get currentSport(): number {
    return this.sport;
  }

  /** The next hops' ARP owners and proxy entries as flat columns (the compiled network now holds them in chunks). */
  private readonly nhOwner: Int32Array;
  private readonly nhProxy: Int32Array;

  constructor(readonly c: CompiledNetwork) {
    this.nhOwner = c.nhOwner.toArray();
    this.nhProxy = c.nhProxy.toArray();
    const cap = c.net.settings.ttl * 8 + 16;
    this.rowType = new Uint8Array(cap);
    this.rowObs = new Uint8Array(cap);
    this.rowWhy = new Uint8Array(cap);
    this.rowNode = new Int32Array(cap);
    this.rowRef = new Int32Array(cap);
    this.rowNh = new Int32Array(cap);
    this.rowSeq = new Int32Array(cap);
    this.rowFrom = new Uint32Array(cap);
    this.rowTo = new Uint32Array(cap);
    this.rowPortFrom = new Uint16Array(cap);
    this.rowPortTo = new Uint16Array(cap);
    this.nodeCount = c.net.nodes.length;
    this.onPath = new Uint8Array(c.net.components.length * this.nodeCount);
    this.maxPaths = c.net.settings.maxPaths;
  }

  /**
   * Traces a packet from endpoint `src` to address `dst` (protocol number and destination port
   * for the firewalls; 0 = none); returns the number of paths.
   */
  trace(src: number, dst: number, sink: PathSink, proto = 0, dport = 0): number {
    this.reply = false;
    this.connCount = 0;
    return this.walk(src, dst, sink, proto, dport, 0, 0, 0);
  }

  /**
   * Traces a packet that `src` sends to `dst` through first hop `via` (an address on its subnet):
   * an SE's leg to a pool member, routed by the SE's VRF rather than the endpoint's gateway.
   */
  traceVia(src: number, dst: number, via: number, sink: PathSink, proto: number, dport: number): number {
    this.reply = false;
    this.connCount = 0;
    return this.walk(src, dst, sink, proto, dport, 0, via, 0);
  }

  /**
   * Traces the reply of a traced flow: from endpoint `src` to `dst`, through the connection state
   * the forward path created (its NAT rows from `forward`, rows [0, length)): translations are
   * reversed where they were made, and stateful firewalls let the reply pass.
   */
  traceReply(src: number, dst: number, sink: PathSink, proto: number, dport: number, forward: Walker, length: number, srcIp = 0, sport = 0): number {
    this.reply = true;
    this.connCount = 0;
    for (let i = 0; i < length; i++) {
      if (forward.rowType[i] !== ROW_NAT) continue;
      const table = this.c.nat[forward.rowRef[i]]!;
      const action = table.actions[forward.rowNh[i]];
      if (action !== NAT_SNAT && action !== NAT_DNAT) continue;
      if (this.connCount === this.connComp.length) break;
      const k = this.connCount++;
      this.connComp[k] = forward.rowRef[i];
      this.connKind[k] = action === NAT_SNAT ? 0 : 1;
      this.connMatch[k] = forward.rowTo[i];
      this.connTo[k] = forward.rowFrom[i];
      this.connRule[k] = forward.rowNh[i];
      this.connPort[k] = action === NAT_DNAT ? forward.rowPortFrom[i] : 0;
    }
    return this.walk(src, dst, sink, proto, dport, srcIp, 0, sport);
  }

  /** srcIp: source address other than the endpoint's (an SE replying from a VIP); via: forced first hop. */
  private walk(src: number, dst: number, sink: PathSink, proto: number, dport: number, srcIp: number, via: number, sport: number): number {
    const c = this.c;
    this.sport = sport;
    this.dst = dst >>> 0;
    this.src = srcIp !== 0 ? srcIp >>> 0 : c.endpointIp[src];
    this.proto = proto;
    this.dport = dport;
    this.sink = sink;
    this.paths = 0;
    this.truncated = false;
    const node = c.endpointNode[src];
    this.row(0, ROW_ENDPOINT, OBS_INJECTED, node, src, -1, 0);
    const ip = c.endpointIp[src];
    if (ip === this.dst) {
      this.rowObs[0] = OBS_DELIVERED;
      this.finish(1, DISP_DELIVERED);
      return this.paths;
    }
    const len = c.endpointLen[src];
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    let target: number;
    if (via !== 0) target = via >>> 0;
    else if (((ip & mask) >>> 0) === ((this.dst & mask) >>> 0)) target = this.dst;
    else if (c.endpointGateway[src] !== 0) target = c.endpointGateway[src];
    else {
      this.rowObs[0] = OBS_DROPPED;
      this.rowWhy[0] = WHY_NO_GATEWAY;
      this.finish(1, DISP_NO_ROUTE);
      return this.paths;
    }
    let depth = 1;
    if (c.endpointIsWorkload[src] && c.distributedFirewall !== null && !this.reply) {
      // Distributed firewall, leaving the source vNIC.
      const d = this.firewall(c.distributedFirewall, -1, node, depth, 0);
      if (d < 0) return this.paths;
      depth = d;
    }
    this.l2(c.endpointDomain[src], this.arpOwner(c.endpointDomain[src], target, -1), node, depth, 0, c.net.settings.ttl, 0);
    return this.paths;
  }

  /** The ARP owner of `ip` on `domain` as `asker` (component, -1: an end host) resolves it; notes a proxy answer. */
  private arpOwner(domain: number, ip: number, asker: number): number {
    const c = this.c;
    const owner = c.arp.get(domain, ip);
    this.proxy = -1;
    if (owner !== MISSING || c.proxyArp.first[domain] === c.proxyArp.first[domain + 1]) return owner;
    const e = proxyArpEntry(c.proxyArp, domain, ip, asker);
    if (e < 0) return MISSING;
    this.proxy = e;
    this.proxyTarget = ip;
    return c.proxyArp.entries[e].iface;
  }

  /**
   * Evaluates a rule set; a matching rule is recorded as a row. Returns the next row index, or -1
   * when the packet was dropped (the path is finished as DENIED).
   */
  private firewall(rules: RuleSet, ref: number, node: number, depth: number, seq: number): number {
    const r = matchRule(rules, this.src, this.dst, this.proto, this.dport);
    if (r < 0) return depth;
    const allow = rules.actions[r] === FW_ALLOW;
    this.row(depth, ROW_FIREWALL, allow ? OBS_FORWARDED : OBS_DROPPED, node, ref, r, seq);
    if (allow) return depth + 1;
    this.finish(depth + 1, DISP_DENIED);
    return -1;
  }

  private row(i: number, type: number, obs: number, node: number, ref: number, nh: number, seq: number): void {
    this.rowType[i] = type;
    this.rowObs[i] = obs;
    this.rowWhy[i] = WHY_NONE;
    this.rowNode[i] = node;
    this.rowRef[i] = ref;
    this.rowNh[i] = nh;
    this.rowSeq[i] = seq;
  }

  /** Hands a finished path to the sink; past settings.maxPaths, marks the trace truncated. */
  private finish(length: number, disposition: number): void {
    if (this.paths >= this.maxPaths) {
      this.truncated = true;
      return;
    }
    this.paths++;
    this.sink!.path(this, length, disposition);
  }

  /**
   * Delivers a frame on L2 domain `domain` to the ARP `owner` of its target address (MISSING when
   * nobody answers), sent from `node`; row `depth` is next.
   */
  private l2(domain: number, owner: number, node: number, depth: number, seq: number, ttl: number, external: number): void {
    const c = this.c;
    if (owner === MISSING) {
      // Nobody answers ARP: out of the model through an external interface, else ARP failure.
      if (external) this.finish(depth, DISP_EXITS_NETWORK);
      else {
        this.rowObs[depth - 1] = OBS_DROPPED;
        this.finish(depth, DISP_ARP_FAILED);
      }
      return;
    }
    if (c.domainIsSegment[domain]) {
      this.row(depth, ROW_SEGMENT, OBS_FORWARDED, node, domain, this.proxy, seq);
      if (this.proxy >= 0) {
        this.rowWhy[depth] = WHY_PROXY_ARP;
        this.rowFrom[depth] = this.proxyTarget;
      }
      depth++;
    }
    this.proxy = -1;
    let to: number;
    let comp = -1;
    if (owner >= 0) {
      comp = c.interfaceComponent[owner];
      const home = c.componentNode[comp];
      to = home < 0 ? node : home;
    } else to = c.endpointNode[-owner - 1];
    if (to !== node) {
      if (c.domainOverlay[domain] && c.nodeKind[node] !== NODE_PHYSICAL && c.nodeKind[to] !== NODE_PHYSICAL) {
        this.row(depth, ROW_TUNNEL_OUT, OBS_FORWARDED, node, to, -1, seq);
        this.row(depth + 1, ROW_TUNNEL_IN, OBS_RECEIVED, to, node, -1, seq + 1);
        depth += 2;
      }
      seq++;
    }
    if (owner >= 0) this.router(comp, to, depth, seq, ttl, owner);
    else {
      const ep = -owner - 1;
      if (c.endpointIp[ep] === this.dst) {
        if (c.endpointIsWorkload[ep] && c.distributedFirewall !== null && !this.reply) {
          // Distributed firewall, entering the destination vNIC.
          depth = this.firewall(c.distributedFirewall, -1, to, depth, seq);
          if (depth < 0) return;
        }
        this.row(depth, ROW_ENDPOINT, OBS_DELIVERED, to, ep, -1, seq);
        this.finish(depth + 1, DISP_DELIVERED);
      } else if (c.lb !== null && c.lb.vipHost.get(ep, this.dst) !== MISSING) {
        // An SE carrying the VIP: the virtual service answers, if it listens and has a member up.
        const vs = c.lb.vipHost.get(ep, this.dst);
        if (c.distributedFirewall !== null && !this.reply) {
          depth = this.firewall(c.distributedFirewall, -1, to, depth, seq);
          if (depth < 0) return;
        }
        const ok = this.reply || serves(c.lb, vs, this.proto, this.dport, this.host) === LB_SERVES;
        this.row(depth, ROW_ENDPOINT, ok ? OBS_DELIVERED : OBS_DROPPED, to, ep, vs, seq);
        this.rowWhy[depth] = WHY_VIP;
        this.finish(depth + 1, ok ? DISP_DELIVERED : DISP_NO_SERVICE);
      } else {
        this.row(depth, ROW_ENDPOINT, OBS_DROPPED, to, ep, -1, seq);
        this.rowWhy[depth] = WHY_NOT_A_ROUTER;
        this.finish(depth + 1, DISP_NO_ROUTE);
      }
    }
  }

  /** Translates on an SR with NAT: inbound DNAT/REFLEXIVE on dst, outbound SNAT/REFLEXIVE on src. Returns the next row. */
  private translate(comp: number, node: number, depth: number, seq: number, inbound: boolean): number {
    const t = this.c.nat[comp]!;
    if (inbound) {
      const r = matchInbound(t, this.src, this.dst, this.proto, this.dport);
      if (r < 0 || (t.actions[r] !== NAT_DNAT && t.actions[r] !== NAT_REFLEXIVE)) return depth;
      const to = t.actions[r] === NAT_REFLEXIVE ? mapAddress(this.dst, t.translated[r]!, t.source[r]) : mapAddress(this.dst, t.destination[r], t.translated[r]!);
      this.row(depth, ROW_NAT, OBS_FORWARDED, node, comp, r, seq);
      this.rowFrom[depth] = this.dst;
      this.rowTo[depth] = to;
      this.dst = to;
      this.rowPortFrom[depth] = 0;
      this.rowPortTo[depth] = 0;
      if (t.toPort[r] !== 0 && t.toPort[r] !== this.dport) {
        this.rowPortFrom[depth] = this.dport;
        this.rowPortTo[depth] = t.toPort[r];
        this.dport = t.toPort[r];
      }
      return depth + 1;
    }
    const r = matchOutbound(t, this.src, this.dst);
    if (r < 0 || (t.actions[r] !== NAT_SNAT && t.actions[r] !== NAT_REFLEXIVE)) return depth;
    const to = mapAddress(this.src, t.source[r], t.translated[r]!);
    this.row(depth, ROW_NAT, OBS_FORWARDED, node, comp, r, seq);
    this.rowFrom[depth] = this.src;
    this.rowTo[depth] = to;
    this.rowPortFrom[depth] = 0;
    this.rowPortTo[depth] = 0;
    this.src = to;
    return depth + 1;
  }

  /** Reverses the forward path's translations made on this SR (connection state). */
  private unTranslate(comp: number, node: number, depth: number, seq: number): number {
    for (let k = 0; k < this.connCount; k++) {
      if (this.connComp[k] !== comp) continue;
      const onDst = this.connKind[k] === 0;
      if ((onDst ? this.dst : this.src) !== this.connMatch[k]) continue;
      this.row(depth, ROW_NAT, OBS_FORWARDED, node, comp, this.connRule[k], seq);
      this.rowWhy[depth] = WHY_REVERSE;
      this.rowFrom[depth] = this.connMatch[k];
      this.rowTo[depth] = this.connTo[k];
      this.rowPortFrom[depth] = 0;
      this.rowPortTo[depth] = 0;
      if (onDst) this.dst = this.connTo[k];
      else {
        this.src = this.connTo[k];
        if (this.connPort[k] !== 0) {
          // The reply leaves from the translated port; the client sees the port it connected to.
          this.rowPortFrom[depth] = this.sport;
          this.rowPortTo[depth] = this.connPort[k];
          this.sport = this.connPort[k];
        }
      }
      depth++;
    }
    return depth;
  }

  private router(comp: number, node: number, depth: number, seq: number, ttl: number, inIface: number): void {
    const c = this.c;
    const pos = comp * this.nodeCount + node;
    this.row(depth, ROW_ROUTER, OBS_FORWARDED, node, comp, -1, seq);
    if (this.onPath[pos] !== 0) {
      this.rowObs[depth] = OBS_DROPPED;
      this.rowWhy[depth] = WHY_REVISIT;
      this.finish(depth + 1, DISP_LOOP);
      return;
    }
    // Services on an SR, before routing: inbound DNAT → firewall; outbound firewall → SNAT.
    const savedSrc = this.src;
    const savedDst = this.dst;
    const savedPort = this.dport;
    const savedSport = this.sport;
    const gfw = this.reply ? null : c.gatewayFirewall[comp];
    const nat = c.nat[comp];
    if (this.reply && nat !== null) {
      const d = this.unTranslate(comp, node, depth, seq);
      if (d !== depth) {
        depth = d;
        this.row(depth, ROW_ROUTER, OBS_FORWARDED, node, comp, -1, seq);
      }
    } else if (gfw !== null || nat !== null) {
      const inbound = c.interfaceOutside[inIface] === 1;
      let d = depth;
      if (nat !== null && inbound) d = this.translate(comp, node, d, seq, true);
      if (gfw !== null) d = this.firewall(gfw, comp, node, d, seq);
      if (d >= 0 && nat !== null && !inbound) d = this.translate(comp, node, d, seq, false);
      if (d < 0) {
        this.src = savedSrc;
        this.dst = savedDst;
        this.dport = savedPort;
        this.sport = savedSport;
        return;
      }
      if (d !== depth) {
        depth = d;
        this.row(depth, ROW_ROUTER, OBS_FORWARDED, node, comp, -1, seq);
      }
    }
    this.forward(comp, node, depth, seq, ttl, pos);
    this.src = savedSrc;
    this.dst = savedDst;
    this.dport = savedPort;
    this.sport = savedSport;
  }

  /** Routing at a component: own address, TTL, LPM, then every ECMP next hop in order. */
  private forward(comp: number, node: number, depth: number, seq: number, ttl: number, pos: number): void {
    const c = this.c;
    if (c.ownIp.get(comp, this.dst) !== MISSING) {
      this.rowObs[depth] = OBS_DELIVERED;
      this.finish(depth + 1, DISP_DELIVERED);
      return;
    }
    // Forwarding decrements the TTL; a router that would send it on as 0 drops the packet.
    if (ttl <= 1) {
      this.rowObs[depth] = OBS_DROPPED;
      this.rowWhy[depth] = WHY_TTL;
      this.finish(depth + 1, DISP_LOOP);
      return;
    }
    const entry = lpmLookup(c.fib[comp], this.dst);
    if (entry < 0) {
      this.rowObs[depth] = OBS_DROPPED;
      this.finish(depth + 1, DISP_NO_ROUTE);
      return;
    }
    this.onPath[pos] = 1;
    const start = c.entryGroup[2 * entry];
    const end = start + c.entryGroup[2 * entry + 1];
    for (let nh = start; nh < end && !this.truncated; nh++) {
      this.row(depth, ROW_ROUTER, OBS_FORWARDED, node, comp, nh, seq);
      const kind = c.nhKind[nh];
      if (kind === NH_BLACKHOLE) {
        this.rowObs[depth] = OBS_DROPPED;
        this.finish(depth + 1, DISP_NULL_ROUTED);
      } else if (kind === NH_CONNECTED) {
        const domain = c.nhDomain[nh];
        this.l2(domain, this.arpOwner(domain, this.dst, comp), node, depth + 1, seq, ttl - 1, c.nhExternal[nh]);
      } else {
        this.proxy = this.nhProxy[nh];
        this.proxyTarget = c.nhIp[nh];
        this.l2(c.nhDomain[nh], this.nhOwner[nh], node, depth + 1, seq, ttl - 1, c.nhExternal[nh]);
      }
    }
    this.onPath[pos] = 0;
  }
}
