// End to end in a real browser: the built app (vite build into a temporary directory) served
// from loopback, driven by playwright-core in Debian's chromium. Runs a trace and checks the
// observation table and the highlighted path (the SR drawn is the one the table names), fails an
// SE and checks the change, loads broken files (engine exceptions included) and unknown URL names
// and checks the problem list, completes a lab — under the page's Content-Security-Policy, sent
// as a header too so it binds the engine's worker, with no violation and no console error.
// Screenshots go to test-artifacts/ (ignored by git). Skipped, with the reason, when
// /usr/bin/chromium is missing.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, FLAGS, buildApp, pagePolicy, serveStatic } from './app-server.js';

const ARTIFACTS = 'test-artifacts';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`e2e skipped: ${CHROMIUM} not found (apt-get install chromium)`);

describe.skipIf(!available)('the app in chromium', () => {
  let dir = '';
  let server: Server;
  let url = '';
  let browser: Browser;
  let page: Page;
  let policy = '';
  const errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/e2e-${name}.png` });

  /** A page that records page errors, console errors and CSP violations (page and worker) into `errors`. */
  async function openPage(query = '', viewport = { width: 1600, height: 1000 }): Promise<Page> {
    const p = await browser.newPage({ viewport });
    p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    p.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker console: ${m.text()}`)));
    await p.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)));
    await p.goto(`${url}${query}`);
    await p.waitForSelector('body[data-ready="true"]');
    return p;
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = await buildApp();
    policy = pagePolicy(dir);
    ({ server, url } = await serveStatic(dir, { 'content-security-policy': policy }));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await openPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs under a Content-Security-Policy without unsafe-eval, violating nothing', async () => {
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).toContain("base-uri 'none'");
    expect(policy).toContain("form-action 'none'");
    expect(await page.locator('g.node').count()).toBeGreaterThan(40);
    expect(errors).toEqual([]);
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
    await expectHighlightedSrsAsObserved(page);
    // Step through: hop 1 of the leg.
    await page.click('[data-step=first]');
    await expect.poll(() => page.locator('table.observations tbody tr.current').count()).toBe(1);
    await expect.poll(() => page.locator('g.node.visited').count()).toBe(1);
    await shot('trace');
  });

  it('at 1366×768, the SE → pod leg is drawn through the NCP Tier-1 SR on edge-01, the one the observation table names', async () => {
    const p = await openPage('', { width: 1366, height: 768 });
    await p.click('[data-testid=run-trace]');
    await expect.poll(() => p.textContent('[data-testid=disposition]')).toBe('DELIVERED');
    await p.selectOption('[data-testid=leg-select]', '1');
    await expect.poll(() => p.locator('g.node.on-path.kind-t1-sr').count()).toBe(1);
    const srs = await expectHighlightedSrsAsObserved(p);
    expect(srs).toEqual([{ id: 't1sr:t1-pks-0b7d0725:edge-01', sub: 'edge-01 · active' }]);
    await p.screenshot({ path: `${ARTIFACTS}/e2e-se-to-pod-1366.png` });
    // Close up (labels drawn): the same checks hold at zoom.
    await p.evaluate(() => (window as unknown as { nsxTwin: { view: { focus(id: string): void } } }).nsxTwin.view.focus('t1sr:t1-pks-0b7d0725:edge-01'));
    expect(await expectHighlightedSrsAsObserved(p)).toEqual(srs);
    // focus centres the node in the canvas at its own size (labels readable).
    const at = await p.evaluate(() => {
      const c = document.querySelector('#topology svg')!.getBoundingClientRect();
      const r = document.querySelector('g.node[data-id="t1sr:t1-pks-0b7d0725:edge-01"] rect')!.getBoundingClientRect();
      return { dx: r.x + r.width / 2 - (c.x + c.width / 2), dy: r.y + r.height / 2 - (c.y + c.height / 2), w: r.width };
    });
    expect(Math.abs(at.dx)).toBeLessThan(2);
    expect(Math.abs(at.dy)).toBeLessThan(2);
    expect(at.w).toBeGreaterThanOrEqual(100);
    await p.screenshot({ path: `${ARTIFACTS}/e2e-se-to-pod-1366-close.png` });
    await p.close();
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

  it.each([
    ['recursive alias', 'alias.yaml', 'transportNodes:\n  h1: &x { ip: 10.0.0.1, self: *x }\n'],
    ['extends a name of Object.prototype', 'proto.yaml', 'extends: ../constructor\n'],
    ['a bad NCP pod block', 'ncp.yaml', 'extends: ../scenarios/tkgi-byot.yaml\nkubernetes:\n  tkgi-cluster-1:\n    ncp: { podIpBlock: 10.146.128.0/30 }\n'],
  ])('a file that made the engine throw (%s) gives a problem; the open scenario stays', async (_what, name, text) => {
    await page.setInputFiles('[data-testid=file-input]', { name, mimeType: 'text/yaml', buffer: Buffer.from(text) });
    await expect.poll(() => page.locator('[data-testid=problems] li').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^local/${name.replace('.', '\\.')}: `))]));
    for (const li of await page.locator('[data-testid=problems] li').allTextContents()) expect(li.startsWith(`local/${name}: `)).toBe(true);
    expect(await page.textContent('#subtitle')).toBe('scenarios/tkgi-byot.yaml');
    expect(await page.locator('g.node[data-id="t0sr:t0-lhr:edge-01"]').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it.each([
    ['?scenario=__proto__', ['?scenario=__proto__: no bundled scenario of that name']],
    ['?scenario=constructor', ['?scenario=constructor: no bundled scenario of that name']],
    ['?scenario=nope.yaml&lab=toString', ['?scenario=nope.yaml: no bundled scenario of that name', '?lab=toString: no bundled lab of that name']],
  ])('%s: a visible message, and the default scenario opens', async (query, messages) => {
    const p = await openPage(query);
    await expect.poll(() => p.locator('[data-testid=problems] li').allTextContents()).toEqual(messages);
    expect(await p.isVisible('#problems')).toBe(true);
    expect(await p.textContent('#problems h3')).toContain('scenarios/tkgi-byot.yaml is open');
    expect(await p.textContent('#subtitle')).toBe('scenarios/tkgi-byot.yaml');
    expect(await p.locator('g.node').count()).toBeGreaterThan(40);
    await p.close();
    expect(errors).toEqual([]);
  });

  it('?scenario=… and ?lab=… open bundled files, with or without their folder', async () => {
    const p = await openPage('?scenario=tkgi-antrea.yaml');
    await expect.poll(() => p.textContent('#subtitle')).toBe('scenarios/tkgi-antrea.yaml');
    expect(await p.isHidden('#problems')).toBe(true);
    await p.close();
    // The lab opens its own scenario (the BYOT lab).
    const q = await openPage('?scenario=scenarios/tkgi-antrea.yaml&lab=03-se-to-worker');
    await expect.poll(() => q.textContent('[data-testid=lab-progress]')).toMatch(/^\d\/3 tasks done$/);
    expect(await q.textContent('#subtitle')).toBe('scenarios/tkgi-byot.yaml');
    expect(await q.isHidden('#problems')).toBe(true);
    await q.close();
    expect(errors).toEqual([]);
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

/**
 * The SRs the highlighted path goes through are drawn where the observation table says: for
 * every SR hop of the table (component on transport node), the box highlighted for it is that
 * SR's, shows that edge, is the box on top at its own centre (no other box over it), and the
 * path line passes through its centre.
 */
async function expectHighlightedSrsAsObserved(page: Page): Promise<{ id: string; sub: string }[]> {
  const rows = await page.locator('table.observations tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  const observed = [...new Set(rows.filter((r) => r[3] === 'T0_SR' || r[3] === 'T1_SR').map((r) => `${r[3] === 'T0_SR' ? 't0sr' : 't1sr'}:${r[2]}:${r[1]}`))];
  expect(observed.length).toBeGreaterThan(0);
  const drawn = await page.locator('g.node.on-path.kind-t0-sr, g.node.on-path.kind-t1-sr').evaluateAll((gs) =>
    gs.map((g) => {
      const r = g.querySelector('rect')!.getBoundingClientRect();
      const [cx, cy] = [r.x + r.width / 2, r.y + r.height / 2];
      const top = document.elementFromPoint(cx, cy)?.closest('g.node')?.getAttribute('data-id') ?? null;
      const others = [...document.querySelectorAll('g.node rect')].filter((o) => {
        if (o.parentElement === g) return false;
        const b = o.getBoundingClientRect();
        return b.x < r.right && r.x < b.right && b.y < r.bottom && r.y < b.bottom;
      });
      const [, x, y] = /translate\(([-\d.]+),([-\d.]+)\)/.exec(g.getAttribute('transform')!)!;
      const points = document.querySelector('polyline.path-line')!.getAttribute('points')!.split(' ');
      return { id: g.getAttribute('data-id')!, sub: g.querySelector('text.sub')!.textContent!, top, overlapped: others.length, onLine: points.includes(`${x},${y}`) };
    }),
  );
  expect(drawn.map((d) => d.id)).toEqual(observed);
  for (const d of drawn) {
    expect(d.sub.startsWith(`${d.id.split(':')[2]} · `)).toBe(true);
    expect(d).toMatchObject({ top: d.id, overlapped: 0, onLine: true });
  }
  return drawn.map(({ id, sub }) => ({ id, sub }));
}
