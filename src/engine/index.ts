// Public API of the engine: what the CLI, the benchmarks and the visualizer may use.
export { Twin, buildTwin } from './twin.js';
export { Walker, DISPOSITIONS, type Disposition, type PathSink } from './trace.js';
export { traceflow, makeFlow, resolveSource, resolveDestination } from './traceflow.js';
export type { TraceRequest, TraceResult, TracePath, Hop, HopRoute, Flow, Protocol, Observation } from './traceflow.js';
export type { RouteQuery, RouteTable, RouteEntry } from './route-tables.js';
export type { RibRoute, RouteType, RoutingState } from './routes.js';
export { tier1Advertises } from './routes.js';
export type { CompiledNetwork } from './compile.js';
export type { ExpandedNetwork } from './expand.js';
export type * from './model.js';
export { buildLpm, lpmLookup, type LpmTable } from './lpm.js';
export type { TopologyGraph, TopologyNodeAttributes, TopologyEdgeAttributes } from './topology-graph.js';
export type { BgpQuery, BgpView, BgpRibEntry, BgpRejectedEntry, BgpSessionView } from './bgp/query.js';
export type { BgpState, Oscillation } from './bgp/control-plane.js';
