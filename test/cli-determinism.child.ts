// Child process of test/cli-determinism.test.ts: runs each command given as JSON (argv[2]) twice
// in-process through the golden harness and prints every run as JSON.
import { runCli } from './golden/run-cli.js';

const commands = JSON.parse(process.argv[2]) as string[][];
const runs = [];
for (let round = 0; round < 2; round++) for (const args of commands) runs.push({ args, ...(await runCli(args)) });
process.stdout.write(JSON.stringify(runs));
