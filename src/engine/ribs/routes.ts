// The RIB stage's public surface (src/engine/ribs): route data (route.ts), per-gateway table
// computation with reuse (compute.ts), Tier-1 advertisement (advertise.ts), next-hop resolution
// (next-hops.ts), order and selection (select.ts) and the installation of BGP routes (install.ts).
export { DISTANCE, Ribs, sameRib, type RibNextHop, type RibRoute, type RouteType, type RoutingState } from './route.js';
export { tier1Advertises, type InjectedRoute, type Tier1Candidate } from './advertise.js';
export { computeBaseRoutes, computeRoutes, type Advert, type BaseRouting, type RibReuse, type RibUpdate } from './compute.js';
export { resolveNextHops } from './next-hops.js';
export { installRoutes } from './install.js';
