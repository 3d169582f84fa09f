// Where a large build's long-lived typed arrays come from: one reservation per build, carved.
//
// V8 starts marking the whole heap each time 64 MiB more of array-buffer memory has been
// allocated since its last full collection ("external memory pressure"), however much room the
// JavaScript heap still has. A build of topology L keeps ~190 MB of typed arrays (BGP's
// Adj-RIB-In and decision arrays and prefix table, ARP and load-balancer hashes, FIB entry and
// next-hop columns), which allocated one by one as the stages go cost two or three extra
// markings of a heap of 0.5–0.65 GB, ~1.5 s of CPU. Reserved at once, they are one allocation
// and one marking, made before the first stage while the heap is smallest (pipeline.ts): an
// ArrayBuffer's pages are only committed when written, so the reservation is address space until
// used.
//
// The arrays that come from here are the ones a build keeps (its state holds them); short-lived
// scratch arrays and module-level buffers never do (a module-level buffer would keep the whole
// reservation alive). A carved array is zeroed like a new one (its region was never used), and
// is a view at some offset of the shared buffer: nothing may read `.buffer` of it as its own.
// Without an arena in scope, or once the arena is used up, each helper is plain `new`. The updates
// of a big twin carve from one reservation they share (arenaForUpdate); what outlives an update
// (a memo of the model's shape, a cache keyed by a table) must not be carved from it.

/** A reservation that typed arrays are carved from, front to back (never reused, never freed piecemeal). */
export class TypedArena {
  private offset = 0;
  private constructor(private readonly buffer: ArrayBuffer) {}

  /** An arena of `bytes`, or null when the engine cannot reserve that much (plain allocation then). */
  static reserve(bytes: number): TypedArena | null {
    try {
      return new TypedArena(new ArrayBuffer(Math.ceil(bytes / 8) * 8));
    } catch {
      return null;
    }
  }

  /** Bytes handed out so far. */
  get used(): number {
    return this.offset;
  }

  get size(): number {
    return this.buffer.byteLength;
  }

  /** The offset of `bytes` more (8-byte aligned), or -1 when they do not fit. */
  private take(bytes: number): number {
    const at = this.offset;
    const end = at + ((bytes + 7) & ~7);
    if (end > this.buffer.byteLength) return -1;
    this.offset = end;
    carved += end - at;
    return at;
  }

  carve<A>(make: new (buffer: ArrayBuffer, offset: number, length: number) => A, bytesPerElement: number, n: number): A | null {
    const at = this.take(n * bytesPerElement);
    return at < 0 ? null : new make(this.buffer, at, n);
  }
}

let current: TypedArena | null = null;

/** Bytes carved by every arena so far (how tests see that a build used one). */
let carved = 0;

export function carvedBytes(): number {
  return carved;
}

/** Runs `fn` with `arena` (null: none) as where the helpers below carve from. */
export function withArena<T>(arena: TypedArena | null, fn: () => T): T {
  const outer = current;
  current = arena;
  try {
    return fn();
  } finally {
    current = outer;
  }
}

export function int32Array(n: number): Int32Array<ArrayBuffer> {
  return (current !== null && n * 4 >= arenaPolicy.minArrayBytes ? current.carve(Int32Array, 4, n) : null) ?? new Int32Array(n);
}

export function uint32Array(n: number): Uint32Array<ArrayBuffer> {
  return (current !== null && n * 4 >= arenaPolicy.minArrayBytes ? current.carve(Uint32Array, 4, n) : null) ?? new Uint32Array(n);
}

export function uint16Array(n: number): Uint16Array<ArrayBuffer> {
  return (current !== null && n * 2 >= arenaPolicy.minArrayBytes ? current.carve(Uint16Array, 2, n) : null) ?? new Uint16Array(n);
}

export function uint8Array(n: number): Uint8Array<ArrayBuffer> {
  return (current !== null && n * 1 >= arenaPolicy.minArrayBytes ? current.carve(Uint8Array, 1, n) : null) ?? new Uint8Array(n);
}

/**
 * When a build reserves an arena, and how much. `updateBytes`: the size of the arena that the
 * updates of big twins share (arenaForUpdate). `bytesPerRoute`: what a build carves per route
 * of its tables before BGP — 82–98 measured on the L shape at 1,000 to 4,000 Tier-1s (8 SRs, 8
 * ToRs) since BGP decides per prefix class (122–127 before, 2/3 of it BGP's) — with half again
 * as headroom (a carve that does not fit is allocated plainly).
 * `minBytes`: under this a build reserves nothing (its arrays cross V8's 64 MiB step at most
 * once). `minArrayBytes`: smaller arrays are allocated on their own (they weigh nothing in V8's
 * accounting). Tests lower them to run small builds through an arena, and through a full one.
 */
export const arenaPolicy = { bytesPerRoute: 144, minBytes: 32 * 1024 * 1024, minArrayBytes: 4096, updateBytes: 256 * 1024 * 1024 };

/**
 * The arena for the BGP, installation and FIB stages of a build over about `routes` routes before
 * BGP, or null for a small one. The reservation the twin's updates will carve from is made with
 * it when there is none (or it is mostly used), in the same marking: made by the first update
 * instead, it started a marking of the whole built heap then (~0.5–1 s of CPU over the first
 * edits at size L). Its pages are address space until an update writes them.
 */
export function arenaForBuild(routes: number): TypedArena | null {
  const bytes = routes * arenaPolicy.bytesPerRoute;
  if (bytes < arenaPolicy.minBytes) return null;
  const arena = TypedArena.reserve(bytes);
  if (arena !== null) updateArena();
  return arena;
}

/** The arena updates carve from now (shared by every update of a big twin), until a quarter of it is left. */
let updates: TypedArena | null = null;

/**
 * The arena an update (Twin.update) of a twin of about `routes` routes before BGP carves its kept
 * arrays from, or null for a small twin. An update of L allocates 15–20 MB of typed arrays (a BGP
 * run's per-speaker arrays, next-hop owners, the FIB's group map): allocated one by one, every
 * third or fourth update crosses V8's 64 MiB step and pays a marking of the whole heap (~0.8 GB
 * at L), which doubled an edge failure's CPU. Updates therefore share one reservation of
 * `arenaPolicy.updateBytes`, replaced by a new one once a quarter of it is left: one marking per
 * reservation, for a dozen updates or more. The price is memory held: a reservation lives while
 * any array carved from it does (a state kept for undo), and its pages once written stay
 * committed until then — at most a reservation per state kept alive, usually one or two.
 */
export function arenaForUpdate(routes: number): TypedArena | null {
  if (routes * arenaPolicy.bytesPerRoute < arenaPolicy.minBytes) return null;
  return updateArena();
}

/** The updates' reservation, made anew when there is none or a quarter of it is left. */
function updateArena(): TypedArena | null {
  if (updates === null || updates.size - updates.used < arenaPolicy.updateBytes / 4) {
    updates = TypedArena.reserve(arenaPolicy.updateBytes);
    if (updates !== null) updateReservations++;
  }
  return updates;
}

/** Lets the current update reservation go: the next update reserves anew (the old one is freed once no array carved from it lives). */
export function releaseUpdateArena(): void {
  updates = null;
}

let updateReservations = 0;

/** How many reservations updates have made so far (how tests see that updates share one). */
export function updateArenaReservations(): number {
  return updateReservations;
}
