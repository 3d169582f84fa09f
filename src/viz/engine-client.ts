// The UI's handle on the engine: the same requests (EngineApi) answered either by a Web Worker
// running the engine off the main thread (the app) or by an in-page host (tests, fallback). A
// request either resolves or rejects with a message; a worker that fails rejects them all.
import type { EngineApi } from './engine-host.js';

export type Remote<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never };
export type EngineClient = Remote<EngineApi>;

export const METHODS = ['open', 'addFile', 'toggle', 'undo', 'redo', 'trace', 'details', 'labOpen', 'labAnswer', 'labView'] as const satisfies readonly (keyof EngineApi)[];

/** The engine in a Web Worker (engine-worker.ts): requests are messages, answered in order. */
export function workerEngine(worker: Worker): EngineClient {
  let next = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let broken: Error | null = null;
  worker.addEventListener('message', (ev: MessageEvent<{ id: number; result?: unknown; error?: string }>) => {
    const p = pending.get(ev.data.id);
    if (!p) return;
    pending.delete(ev.data.id);
    if (ev.data.error !== undefined) p.reject(new Error(ev.data.error));
    else p.resolve(ev.data.result);
  });
  // The worker itself failed (did not load, threw outside a request): every request fails with that.
  const fail = (message: string) => {
    broken = new Error(`the engine stopped: ${message}`);
    for (const p of pending.values()) p.reject(broken);
    pending.clear();
  };
  worker.addEventListener('error', (ev: ErrorEvent) => {
    ev.preventDefault();
    fail(ev.message || 'the engine worker could not run');
  });
  worker.addEventListener('messageerror', () => fail('a message could not be read'));
  const out: Record<string, (...a: unknown[]) => Promise<unknown>> = {};
  for (const m of METHODS) {
    out[m] = (...args) =>
      new Promise((resolve, reject) => {
        if (broken) {
          reject(broken);
          return;
        }
        const id = next++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, method: m, args });
      });
  }
  return out as unknown as EngineClient;
}
