// The engine facade: a scenario computed once into its model, routing tables and compiled
// forwarding core, with the questions users ask of it (trace, routes, topology).
import type { Scenario } from '../topology/scenario.js';
import { compile, type CompiledNetwork } from './compile.js';
import { expand, type ExpandedNetwork } from './expand.js';
import { routeTable, selectComponent, type RouteQuery, type RouteTable } from './route-tables.js';
import { computeRoutes, type RoutingState } from './routes.js';
import { topologyGraph, type TopologyGraph } from './topology-graph.js';
import { Walker } from './trace.js';
import { traceflow, type TraceRequest, type TraceResult } from './traceflow.js';

export class Twin {
  readonly network: ExpandedNetwork;
  readonly routing: RoutingState;
  readonly compiled: CompiledNetwork;
  private walker: Walker | null = null;

  constructor(readonly scenario: Scenario) {
    this.network = expand(scenario);
    this.routing = computeRoutes(scenario, this.network);
    this.compiled = compile(this.network, this.routing);
  }

  /** Traces a flow hop by hop; every ECMP path, in deterministic order. */
  trace(req: TraceRequest): TraceResult {
    this.walker ??= new Walker(this.compiled);
    return traceflow(this.compiled, req, this.walker);
  }

  /** One routing table: a gateway's DR or SR, or a physical router's. */
  routes(q: RouteQuery): RouteTable {
    return routeTable(this.network, this.routing, selectComponent(this.network, q));
  }

  topology(): TopologyGraph {
    return topologyGraph(this.scenario);
  }
}

export function buildTwin(scenario: Scenario): Twin {
  return new Twin(scenario);
}
