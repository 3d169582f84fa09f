#!/usr/bin/env node
// nsx-twin command line entry (compiled by `npm run build`, which `npm install` runs).
import { main } from '../lib/cli/main.js';

// A reader that stops early (`nsx-twin generate --size L | head`) closes the pipe: stop quietly,
// as Unix tools do, instead of an unhandled EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2));
