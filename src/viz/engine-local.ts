// The engine in the page's own thread: the same requests as the worker, answered directly (tests,
// and browsers without module workers). Kept apart so the page bundle does not carry the engine.
import { EngineHost } from './engine-host.js';
import { METHODS, type EngineClient } from './engine-client.js';

export function localEngine(files: Record<string, string>): EngineClient {
  const host = new EngineHost(files) as unknown as Record<string, (...a: unknown[]) => unknown>;
  const out: Record<string, (...a: unknown[]) => Promise<unknown>> = {};
  for (const m of METHODS) out[m] = async (...a) => host[m](...a);
  return out as unknown as EngineClient;
}
