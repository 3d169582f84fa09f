// Error types for scenario input: a Problem names the file, the object path and what is wrong;
// ScenarioError carries every problem found in one load so the CLI can print them all at once.

export type ProblemCode =
  | 'syntax'
  | 'unknown-key'
  | 'missing'
  | 'type'
  | 'invalid-value'
  | 'dangling-reference'
  | 'duplicate-name'
  | 'invalid-address'
  | 'outside-subnet'
  | 'duplicate-ip'
  | 'overlap'
  | 'needs-edge-cluster'
  | 'extends'
  | 'io';

export interface Problem {
  readonly file: string;
  /** Object path such as `tier1s.t1-web.tier0` or `tier0s.t0-lhr.uplinks[0].ip`; '' for the file. */
  readonly path: string;
  readonly message: string;
  readonly code: ProblemCode;
  /** 1-based line in the file, when known. */
  readonly line?: number;
}

export function formatProblem(p: Problem): string {
  const where = p.path ? `${p.path}: ` : '';
  const line = p.line ? ` (line ${p.line})` : '';
  return `${p.file}: ${where}${p.message}${line}`;
}

export class ScenarioError extends Error {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}

/**
 * Why a file could not be read ("no such file", "it is a directory", "permission denied", ...),
 * thrown by a loader's `readText`; `line` when the reason is at a place in the file.
 */
export class ReadError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'ReadError';
  }
}

/** A request the engine cannot answer for this scenario (unknown endpoint, gateway, ...). */
export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

/** Renders a path segment list as `a.b[0]["odd.name"]`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
