// The names of a trace path's final disposition, in code order (DISP_* in packet-walk.ts index this
// list). A module of its own, with no imports, so the CLI can offer them as choices without
// loading the engine.
export const DISPOSITIONS = ['DELIVERED', 'EXITS_NETWORK', 'NO_ROUTE', 'NULL_ROUTED', 'DENIED', 'ARP_FAILED', 'LOOP', 'NO_SERVICE'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
