#!/usr/bin/env node
// nsx-twin command line entry (compiled by `npm run build`, which `npm install` runs).
import { main } from '../lib/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
