// The Web Worker that runs the engine: loads the bundled scenarios and labs, answers the page's
// requests (see engine-host.ts) so that computing a large topology never blocks the page. Any
// exception is answered as an error message (the page shows it in the problem list).
import { BUNDLED } from './bundled.js';
import { EngineHost, messageOf } from './engine-host.js';
import { METHODS } from './engine-client.js';

const host = new EngineHost({ ...BUNDLED }) as unknown as Record<string, (...a: unknown[]) => unknown>;
const known = new Set<string>(METHODS);

self.addEventListener('message', (ev: MessageEvent<{ id: number; method: string; args: unknown[] }>) => {
  const { id, method, args } = ev.data;
  try {
    if (!known.has(method)) throw new Error(`unknown engine request ${JSON.stringify(method)}`);
    self.postMessage({ id, result: host[method](...args) });
  } catch (e) {
    self.postMessage({ id, error: messageOf(e) });
  }
});
