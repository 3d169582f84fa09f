// End to end in a real browser: the built app (vite build into a temporary directory) served
// from loopback, driven by playwright-core in Debian's chromium. Runs a trace and checks the
// observation table and the highlighted path, fails an SE and checks the change, loads a broken
// file and checks the problem list, completes a lab. Screenshots go to test-artifacts/ (ignored
// by git). Skipped, with the reason, when /usr/bin/chromium is missing.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, FLAGS, buildApp, serveStatic } from './app-server.js';

const ARTIFACTS = 'test-artifacts';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`e2e skipped: ${CHROMIUM} not found (apt-get install chromium)`);

describe.skipIf(!available)('the app in chromium', () => {
  let dir = '';
  let server: Server;
  let url = '';
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/e2e-${name}.png` });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = await buildApp();
    ({ server, url } = await serveStatic(dir));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens the reference lab with its topology', async () => {
    expect(await page.textContent('#subtitle')).toBe('scenarios/tkgi-byot.yaml');
    expect(page.workers()).toHaveLength(1); // the engine runs in a Web Worker
    expect(await page.locator('g.node[data-id="t0sr:t0-lhr:edge-01"]').count()).toBe(1);
    expect(await page.locator('g.node[data-id="vip:tkgi-cluster-1--yelb-yelb-ui"]').count()).toBe(1);
    await shot('open');
  });

  it('runs a trace to a VIP: observation table, highlighted path, both legs', async () => {
    await page.click('[data-testid=run-trace]');
    await expect.poll(() => page.textContent('[data-testid=disposition]')).toBe('DELIVERED');
    const rows = await page.locator('table.observations tbody tr').allTextContents();
    expect(rows[0]).toContain('ubuntu02');
    expect(rows.some((r) => r.includes('The-Tier-1') && r.includes('static 10.146.102.100/32 via 10.146.50.11'))).toBe(true);
    expect(rows[rows.length - 1]).toContain('SERVICE_ENGINE');
    const onPath = await page.locator('g.node.on-path').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(onPath).toEqual(expect.arrayContaining(['host:ubuntu02', 'router:tor-01', 't0sr:t0-lhr:edge-01', 't1dr:The-Tier-1', 'ep:se-generic-01']));
    expect(await page.getAttribute('polyline.path-line', 'points')).not.toBe('');
    // The SE's leg to the pod crosses the NCP Tier-1's SR on an edge.
    const legs = await page.locator('[data-testid=leg-select] option').allTextContents();
    expect(legs[1]).toBe('SE → 10.146.129.5:80: DELIVERED');
    await page.selectOption('[data-testid=leg-select]', '1');
    await expect.poll(() => page.locator('g.node.on-path[data-id="t1sr:t1-pks-0b7d0725:edge-01"]').count()).toBe(1);
    // Step through: hop 1 of the leg.
    await page.click('[data-step=first]');
    await expect.poll(() => page.locator('table.observations tbody tr.current').count()).toBe(1);
    await expect.poll(() => page.locator('g.node.visited').count()).toBe(1);
    await shot('trace');
  });

  it('shows the details of a Tier-0 SR: its routes and BGP table with the why', async () => {
    await page.click('g.node[data-id="t0sr:t0-lhr:edge-01"]');
    await expect.poll(() => page.locator('#details h2').textContent()).toBe('t0-lhr SR');
    const text = (await page.textContent('#details'))!;
    expect(text).toContain('t0-lhr SR routes on edge-01');
    expect(text).toContain('t1l');
    expect(text).toContain('best: won at');
  });

  it('exports the view with the path as SVG', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
    expect(download.suggestedFilename()).toBe('tkgi-byot.svg');
    const svg = readFileSync((await download.path())!, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('class="path-line"');
    expect(svg).toContain('.node rect');
  });

  it('exports the view as PNG', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    expect(download.suggestedFilename()).toBe('tkgi-byot.png');
    const png = readFileSync((await download.path())!);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('fails an SE: the change report shows before/after and the VIP route that shrank; undo restores', async () => {
    await page.selectOption('[data-testid=leg-select]', '0');
    await page.check('[data-toggle="fail:se-generic-01"]');
    const report = page.locator('[data-testid=change-report]');
    await expect.poll(() => report.textContent()).toContain('before: DELIVERED ×4 · after: DELIVERED ×2');
    expect(await report.textContent()).toContain('10.146.102.100/32');
    await expect.poll(() => page.locator('g.node.down[data-id="ep:se-generic-01"]').count()).toBe(1);
    await shot('what-if');
    await page.click('[data-testid=undo]');
    await expect.poll(() => page.locator('g.node.down').count()).toBe(0);
    await expect.poll(() => page.isChecked('[data-toggle="fail:se-generic-01"]')).toBe(false);
  });

  it('a broken file gives a problem list with object paths, and the open scenario stays', async () => {
    const broken = 'transportNodes:\n  esx-01: { type: host, tep: 10.0.0.1 }\ntier1s:\n  t1-web: { tier0: t0-main }\n';
    await page.setInputFiles('[data-testid=file-input]', { name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from(broken) });
    await expect.poll(() => page.locator('[data-testid=problems] li').allTextContents()).toEqual(['local/broken.yaml: tier1s.t1-web.tier0: no Tier-0 named "t0-main" (line 4)']);
    expect(await page.textContent('#subtitle')).toBe('scenarios/tkgi-byot.yaml');
    await shot('problems');
  });

  it('runs the pod-CIDR lab to completion', async () => {
    await page.selectOption('[data-testid=lab-select]', 'labs/02-pod-cidr-leak.yaml');
    await expect.poll(() => page.textContent('[data-testid=lab-progress]')).toBe('0/3 tasks done');
    await page.check('input[name="see-the-leak-1"][value="2"]');
    await expect.poll(() => page.textContent('[data-testid=lab-progress]')).toBe('1/3 tasks done');
    await page.check('[data-toggle="variant:scenarios/tkgi-byot-route-map-fix.yaml"]');
    await expect.poll(() => page.textContent('[data-testid=lab-progress]')).toBe('3/3 tasks done');
    await shot('lab-done');
    expect(errors).toEqual([]);
  });
});
