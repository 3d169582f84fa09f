// The UI's handle on the engine: the same requests (EngineApi) answered either by a Web Worker
// running the engine off the main thread (the app) or by an in-page host (tests, fallback).
import type { EngineApi } from './engine-host.js';

export type Remote<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never };
export type EngineClient = Remote<EngineApi>;

export const METHODS = ['open', 'addFile', 'toggle', 'undo', 'redo', 'trace', 'details', 'labOpen', 'labAnswer', 'labView'] as const satisfies readonly (keyof EngineApi)[];

/** The engine in a Web Worker (engine-worker.ts): requests are messages, answered in order. */
export function workerEngine(worker: Worker): EngineClient {
  let next = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  worker.addEventListener('message', (ev: MessageEvent<{ id: number; result?: unknown; error?: string }>) => {
    const p = pending.get(ev.data.id);
    if (!p) return;
    pending.delete(ev.data.id);
    if (ev.data.error !== undefined) p.reject(new Error(ev.data.error));
    else p.resolve(ev.data.result);
  });
  const out: Record<string, (...a: unknown[]) => Promise<unknown>> = {};
  for (const m of METHODS) {
    out[m] = (...args) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, method: m, args });
      });
  }
  return out as unknown as EngineClient;
}
