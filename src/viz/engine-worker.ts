// The Web Worker that runs the engine: loads the bundled scenarios and labs, answers the page's
// requests (see engine-host.ts) so that computing a large topology never blocks the page.
import { BUNDLED } from './bundled.js';
import { EngineHost } from './engine-host.js';

const host = new EngineHost({ ...BUNDLED }) as unknown as Record<string, (...a: unknown[]) => unknown>;

self.addEventListener('message', (ev: MessageEvent<{ id: number; method: string; args: unknown[] }>) => {
  const { id, method, args } = ev.data;
  try {
    self.postMessage({ id, result: host[method](...args) });
  } catch (e) {
    self.postMessage({ id, error: (e as Error).message });
  }
});
