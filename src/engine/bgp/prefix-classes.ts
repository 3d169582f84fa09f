// Prefix equivalence classes of a BGP run: prefixes that every speaker originates alike (the same
// attribute set, valid or not, or nothing) go through the rounds alike, when nothing else in the
// run reads a prefix — session filters read it only through prefix lists, and the classes are
// split by the entry at which each such list first matches (the control plane's codes: a
// filter's verdict is then the same for the same attributes); no aggregate (it reads its more
// specifics); the default route (default-originate sends it apart) always a class of its own.
// Best-path selection reads attributes, sessions and next-hop reachability (fixed for the run:
// the tables before BGP), never the prefix, so at every speaker, in every round, a class
// member's Adj-RIB-In and decision are its representative's. The rounds
// then decide only the representatives (one per class: at size L ~150,000 prefixes fall in a
// handful of classes) and every member takes its representative's decision afterwards. The
// classes are those of atom-based verifiers (Delta-net, APKeep), here over BGP origination.
// Proven equal to a run that decides every prefix alone (test/engine/bgp/prefix-classes.test.ts).

export interface PrefixClasses {
  /** Per prefix id: its class's representative (the class's lowest prefix id; itself for one). */
  readonly rep: Int32Array;
  /** 1 for the prefix ids the rounds decide (the representatives), 0 for the other members. */
  readonly decided: Uint8Array;
  /** How many classes there are. */
  readonly count: number;
}

/**
 * The classes of prefix ids [0, n): two prefixes are in one class when every speaker's code for
 * them is the same (`codes`: per speaker that originates anything, its origination of a prefix id
 * as one number, 0 for none). Each prefix id in `alone` is a class of its own.
 */
export function prefixClassesOf(n: number, codes: readonly ((pid: number) => number)[], alone: readonly number[]): PrefixClasses {
  const single = new Uint8Array(n);
  for (const pid of alone) if (pid >= 0 && pid < n) single[pid] = 1;
  const hashOf = (pid: number): number => {
    let h = 0x811c9dc5;
    for (let i = 0; i < codes.length; i++) h = Math.imul(h ^ codes[i](pid), 0x01000193);
    return h;
  };
  const same = (a: number, b: number): boolean => {
    for (let i = 0; i < codes.length; i++) if (codes[i](a) !== codes[i](b)) return false;
    return true;
  };
  return classesBy(n, hashOf, same, single);
}

/**
 * `before`'s classes split by more codes (per speaker, as prefixClassesOf takes them): two prefixes
 * stay in one class when they were and every code gives them the same number. The lowest prefix
 * id of each class is its representative, as prefixClassesOf makes them; a prefix alone stays alone.
 */
export function refinedClasses(before: PrefixClasses, codes: readonly ((pid: number) => number)[]): PrefixClasses {
  const was = before.rep;
  const hashOf = (pid: number): number => {
    let h = Math.imul(0x811c9dc5 ^ was[pid], 0x01000193);
    for (let i = 0; i < codes.length; i++) h = Math.imul(h ^ codes[i](pid), 0x01000193);
    return h;
  };
  const same = (a: number, b: number): boolean => {
    if (was[a] !== was[b]) return false;
    for (let i = 0; i < codes.length; i++) if (codes[i](a) !== codes[i](b)) return false;
    return true;
  };
  return classesBy(was.length, hashOf, same, null);
}

/**
 * The classes of prefix ids [0, n) by an equivalence (`same`, with `hashOf` equal for equal ids),
 * each id flagged in `alone` a class of its own; a class's representative is its lowest id.
 */
function classesBy(n: number, hashOf: (pid: number) => number, same: (a: number, b: number) => boolean, alone: Uint8Array | null): PrefixClasses {
  const rep = new Int32Array(n);
  const decided = new Uint8Array(n);
  const byHash = new Map<number, number | number[]>();
  let count = 0;
  for (let pid = 0; pid < n; pid++) {
    if (alone === null || !alone[pid]) {
      const h = hashOf(pid);
      const hit = byHash.get(h);
      let r = -1;
      if (typeof hit === 'number') {
        if (same(hit, pid)) r = hit;
      } else if (hit !== undefined) {
        for (const x of hit) {
          if (same(x, pid)) {
            r = x;
            break;
          }
        }
      }
      if (r >= 0) {
        rep[pid] = r;
        continue;
      }
      if (hit === undefined) byHash.set(h, pid);
      else if (typeof hit === 'number') byHash.set(h, [hit, pid]);
      else hit.push(pid);
    }
    rep[pid] = pid;
    decided[pid] = 1;
    count++;
  }
  return { rep, decided, count };
}

/** The representatives' entries of `decisions` (by prefix id), in classSizes(classes).reps order. */
export function repDecisions(decisions: Int32Array, classes: PrefixClasses, into: Int32Array): Int32Array {
  const { reps } = classSizes(classes);
  for (let j = 0; j < reps.length; j++) into[j] = decisions[reps[j]];
  return into;
}

/** Every prefix id's decision from its representative's (`byRep`, in classSizes(classes).reps order), written to `into`. */
export function decisionsFromReps(byRep: Int32Array, classes: PrefixClasses, into: Int32Array): Int32Array {
  const { rep } = classes;
  const { slot } = classSizes(classes);
  for (let pid = 0; pid < rep.length; pid++) into[pid] = byRep[slot[rep[pid]]];
  return into;
}

/** The prefix ids of the classes whose representatives are flagged in `reps` (ascending). */
export function membersOf(classes: PrefixClasses, reps: Uint8Array): number[] {
  const out: number[] = [];
  const { rep } = classes;
  for (let pid = 0; pid < rep.length; pid++) if (reps[rep[pid]]) out.push(pid);
  return out;
}

/** A run's classes by representative: the representatives (ascending) and each one's class size. */
export interface ClassSizes {
  readonly reps: Int32Array;
  readonly size: Int32Array;
  /** Per prefix id: a representative's position in `reps` (other members: 0). */
  readonly slot: Int32Array;
}

const sizesOf = new WeakMap<PrefixClasses, ClassSizes>();

/** The representatives of `classes` and their class sizes (one pass over the prefix ids, once per classes). */
export function classSizes(classes: PrefixClasses): ClassSizes {
  let known = sizesOf.get(classes);
  if (known !== undefined) return known;
  const { rep, decided } = classes;
  const index = new Int32Array(rep.length);
  const reps = new Int32Array(classes.count);
  let k = 0;
  for (let pid = 0; pid < rep.length; pid++) if (decided[pid]) reps[(index[pid] = k++)] = pid;
  const size = new Int32Array(classes.count);
  for (let pid = 0; pid < rep.length; pid++) size[index[rep[pid]]]++;
  sizesOf.set(classes, (known = { reps, size, slot: index }));
  return known;
}

/**
 * Classes refined from another run's (refinedClasses, or the very same): each class inside one
 * of those, so every member of a class had its representative's decisions in that run too.
 */
const refinedFrom = new WeakMap<PrefixClasses, PrefixClasses>();

/** Notes that `finer` was refined from `coarser`; returns `finer`. */
export function noteRefined(finer: PrefixClasses, coarser: PrefixClasses): PrefixClasses {
  if (finer !== coarser) refinedFrom.set(finer, coarser);
  return finer;
}

/** Whether each class of `finer` lies inside one class of `coarser`, as noted. */
export function refines(finer: PrefixClasses | null, coarser: PrefixClasses | null): boolean {
  return finer !== null && coarser !== null && (finer === coarser || refinedFrom.get(finer) === coarser);
}
