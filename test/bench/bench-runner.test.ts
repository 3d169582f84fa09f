// `npm run bench` as it runs: the esbuild bundle of bench/run.ts (package.json's script) is built
// and run on a small size of section g (the RIB rework beside the old routes.ts), so a benchmark
// that no longer bundles or no longer runs compiled breaks the suite, not the next benchmark run.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm run bench', () => {
  it('bundles the benchmarks and runs a section from the bundle', () => {
    const out = execFileSync('npm', ['run', '--silent', 'bench', '--', 'g', '--rib-tier1s=20'], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '--expose-gc' } });
    expect(out).toContain('== g. RIBs at scale');
    expect(out).toMatch(/computeRoutes \(new\)\s+[\d.]+ ms, 7,563 routes, \d+ B\/route/);
    expect(out).toMatch(/computeRoutes \(old\)\s+[\d.]+ ms, 7,563 routes/);
    expect(out).toContain('Total run time');
  }, 120_000);
});
