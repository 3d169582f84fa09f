// Values derived from a model's shape alone — ids, names, addresses and domains of its nodes,
// components, interfaces and end hosts — made once per shape. A model with other failures
// (expand.ts withFailures) is the only model that shares another's node list, and it has that
// model's shape: the node list stands for the shape.
// A value is made outside any arena (typed-arena.ts): it lives as long as the shape, which
// outlives the update that first asked for it, and a typed array carved from that update's
// reservation would keep the whole reservation alive.
import type { Network, Node } from './types.js';
import { withArena } from '../typed-arena.js';

/** `make` of a model, made once per model shape (what a value must read of the model: its shape only). */
export function shapeMemo<T>(make: (net: Network) => T): (net: Network) => T {
  const made = new WeakMap<readonly Node[], T>();
  return (net) => {
    let value = made.get(net.nodes);
    if (value === undefined) made.set(net.nodes, (value = withArena(null, () => make(net))));
    return value;
  };
}
