// Shared by the end-to-end tests and the frame-time benchmark: build the app into a temporary
// directory, serve it from loopback, and the chromium the project uses (Debian's, headless).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/**
 * A static file server for `dir` on 127.0.0.1 (any free port). `headers` go on every response
 * (the e2e test sends the page's Content-Security-Policy as a header too, so it also binds the
 * engine's Web Worker, which a <meta> policy does not reach).
 */
export async function serveStatic(dir: string, headers: Record<string, string> = {}): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0])).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${addr.port}/` };
}

/** The Content-Security-Policy of the built page (its <meta http-equiv>). */
export function pagePolicy(dir: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(readFileSync(join(dir, 'index.html'), 'utf8'));
  if (!m) throw new Error('index.html has no Content-Security-Policy');
  return m[1];
}

/** Builds the app into a fresh temporary directory (the repository's dist/ is left alone). */
export async function buildApp(): Promise<string> {
  const { build } = await import('vite');
  const out = mkdtempSync(join(tmpdir(), 'nsx-twin-dist-'));
  await build({ root: process.cwd(), logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
  return out;
}
