// Regenerates test/golden/<name>.out for every case of test/golden/cases.json (`npm run
// golden:update`); review the result with `git diff test/golden` before committing.
import { existsSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { GOLDEN_DIR, REPO_ROOT, goldenLabel, goldenPath, goldenText, loadCases, runCli } from '../test/golden/run-cli.js';

process.chdir(REPO_ROOT);
const cases = loadCases();
let failed = 0;
const counts = { new: 0, updated: 0, unchanged: 0 };

for (const c of cases) {
  const run = await runCli(c.args);
  const file = goldenPath(c.name);
  if (run.exit !== c.exit) {
    if (c.knownBug) {
      console.log(`known bug  ${goldenLabel(c.name)} kept (exit ${run.exit}, correct is ${c.exit}): ${c.knownBug}`);
    } else {
      failed++;
      console.error(`FAILED     ${c.name}: nsx-twin ${c.args.join(' ')} exited ${run.exit}, cases.json expects ${c.exit}; golden not written\n${goldenText(run)}`);
    }
    continue;
  }
  const text = goldenText(run);
  const old = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (old === text) {
    counts.unchanged++;
    continue;
  }
  writeFileSync(file, text);
  counts[old === undefined ? 'new' : 'updated']++;
  console.log(`${old === undefined ? 'new      ' : 'updated  '}  ${goldenLabel(c.name)}${c.knownBug ? ' (knownBug case now exits as expected: review, then drop "knownBug")' : ''}`);
}

const names = new Set(cases.map((c) => `${c.name}.out`));
for (const f of readdirSync(GOLDEN_DIR)) {
  if (f.endsWith('.out') && !names.has(f)) {
    unlinkSync(`${GOLDEN_DIR}${f}`);
    console.log(`removed    test/golden/${f} (no longer in cases.json)`);
  }
}

console.log(`\n${cases.length} cases: ${counts.new} new, ${counts.updated} updated, ${counts.unchanged} unchanged${failed ? `, ${failed} FAILED` : ''}.`);
console.log('Review the changes with `git diff test/golden` before committing.');
process.exitCode = failed ? 1 : 0;
