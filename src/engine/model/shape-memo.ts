// Values derived from a model's shape alone — ids, names, addresses and domains of its nodes,
// components, interfaces and end hosts — made once per shape. A model with other failures
// (expand.ts withFailures) is the only model that shares another's node list, and it has that
// model's shape: the node list stands for the shape.
import type { Network, Node } from './types.js';

/** `make` of a model, made once per model shape (what a value must read of the model: its shape only). */
export function shapeMemo<T>(make: (net: Network) => T): (net: Network) => T {
  const made = new WeakMap<readonly Node[], T>();
  return (net) => {
    let value = made.get(net.nodes);
    if (value === undefined) made.set(net.nodes, (value = make(net)));
    return value;
  };
}
