// The engine facade: a scenario computed once into its model, routing tables and compiled
// forwarding core, with the questions users ask of it (trace, routes, topology).
import type { Scenario } from '../topology/scenario.js';
import { compile, type CompiledNetwork } from './fib/compile.js';
import { expand, type ExpandedNetwork } from './model/expand.js';
import { routeTable, selectComponent, type RouteQuery, type RouteTable } from './queries/route-tables.js';
import { computeRoutes, installRoutes, type RoutingState } from './ribs/routes.js';
import { bgpRibRoutes, runBgp, type BgpState } from './bgp/control-plane.js';
import { bgpView, type BgpQuery, type BgpView } from './queries/bgp-view.js';
import { topologyGraph, type TopologyGraph } from './queries/topology-graph.js';
import { Walker } from './walk/packet-walk.js';
import { traceflow, type TraceRequest, type TraceResult } from './queries/trace-report.js';
import { realize, type Realized } from '../topology/realize/index.js';
import { QueryError } from '../topology/errors.js';
import { compileLoadBalancer, injectedRoutes } from './fib/load-balancer.js';
import { aviView, type AviQuery, type AviView } from './queries/avi-view.js';

export class Twin {
  /** What NCP, AKO and the Avi controller made of the scenario (the created NSX objects included). */
  readonly realized: Realized;
  readonly network: ExpandedNetwork;
  readonly routing: RoutingState;
  /** The BGP control plane's converged (or oscillating) state. */
  readonly bgpState: BgpState;
  readonly compiled: CompiledNetwork;
  private walker: Walker | null = null;

  constructor(readonly scenario: Scenario) {
    this.realized = realize(scenario);
    const s = this.realized.scenario;
    this.network = expand(s);
    const base = computeRoutes(s, this.network, injectedRoutes(this.realized.avi));
    this.bgpState = runBgp(s, this.network, base);
    this.routing = installRoutes(base, bgpRibRoutes(this.bgpState, this.network));
    const lb = this.realized.avi ? compileLoadBalancer(this.network, this.realized.avi) : null;
    this.compiled = compile(this.network, this.routing, s, lb);
  }

  /** Traces a flow hop by hop; every ECMP path, in deterministic order. */
  trace(req: TraceRequest, opts: { withReturn?: boolean } = {}): TraceResult {
    this.walker ??= new Walker(this.compiled);
    return traceflow(this.compiled, req, this.walker, opts);
  }

  /** One routing table: a gateway's DR or SR, or a physical router's. */
  routes(q: RouteQuery): RouteTable {
    return routeTable(this.network, this.routing, selectComponent(this.network, q));
  }

  /** A BGP speaker's table, advertisements or received paths, with the reasons. */
  bgp(q: BgpQuery): BgpView {
    return bgpView(this.bgpState, q);
  }

  /** NSX Advanced Load Balancer: virtual services with VIP, SEs, pool members, FQDNs and NSX routes. */
  avi(q: AviQuery = {}): AviView {
    if (!this.realized.avi) throw new QueryError('the scenario has no NSX Advanced Load Balancer (avi section)');
    return aviView(this.realized.avi, this.routing, this.network, q);
  }

  topology(): TopologyGraph {
    return topologyGraph(this.realized.scenario);
  }
}

export function buildTwin(scenario: Scenario): Twin {
  return new Twin(scenario);
}
