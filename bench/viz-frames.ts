// Frame times of the topology view on a large generated scenario (200 Tier-1s, 2,000 segments,
// one workload each): the built app in Debian's chromium, the scenario loaded through the file
// input, then wheel-zoom and drag-pan while requestAnimationFrame timestamps are recorded.
// Prints figures (target ≥ 30 fps); asserts nothing. `npm run bench:viz`.
import { rmSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { generateScenario } from '../src/topology/generate.js';
import { CHROMIUM, FLAGS, buildApp, serveStatic } from '../test/e2e/app-server.js';

const scenario = generateScenario({ tier1s: 200, segmentsPerTier1: 10, workloadsPerSegment: 1, hosts: 16, edges: 2, centralizedEvery: 10 });
const dir = await buildApp();
const { server, url } = await serveStatic(dir);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...FLAGS, '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('crash', () => console.error('page crashed'));
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  const t0 = Date.now();
  await page.setInputFiles('[data-testid=file-input]', { name: 'generated.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
  await page.waitForFunction(() => document.querySelector('#subtitle')?.textContent === 'local/generated.json', undefined, { timeout: 120_000 });
  const loadMs = Date.now() - t0;
  const counts = await page.evaluate(() => ({ nodes: document.querySelectorAll('g.node').length, links: [...document.querySelectorAll('path.link')].reduce((n, p) => n + Number(p.getAttribute('data-count')), 0) }));

  // Frames driven in the page: each requestAnimationFrame applies the next zoom transform
  // (as wheel and drag do through d3-zoom) and the time between frames is recorded.
  const run = async (label: string, script: string) => {
    const d = ((await page.evaluate(script)) as number[]).sort((a, b) => a - b);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const p95 = d[Math.floor(d.length * 0.95)];
    console.log(`${label.padEnd(34)} ${d.length} frames, mean ${mean.toFixed(1)} ms (${(1000 / mean).toFixed(0)} fps), p95 ${p95.toFixed(1)} ms, worst ${d[d.length - 1].toFixed(1)} ms`);
  };
  // Strings, not functions: tsx would wrap named callbacks with a helper the page lacks.
  const animate = (transform: string) => `new Promise((done) => { const v = window.nsxTwin.view; const out = []; let last = 0; let i = 0;
    const step = (t) => { if (last) out.push(t - last); last = t; if (i === 90) return done(out); const f = i / 90; v.zoomTo(${transform}); i++; requestAnimationFrame(step); };
    requestAnimationFrame(step); })`;
  console.log(`nsx-twin topology view — ${counts.nodes} nodes, ${counts.links} links; load + layout + first render ${loadMs} ms`);
  await run('zoom out → in (whole picture)', animate('-f * 2000, -f * 300, 1 + f * 3'));
  await run('pan, whole picture', animate('-f * 1500, 0, 1'));
  await run('pan, zoomed in ×4 (labels drawn)', animate('-20000 - f * 3000, -1000, 4'));
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
