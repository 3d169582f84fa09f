// Vite: the browser app (index.html + src/viz) served by `npm start`, built to dist/ by
// `npm run build` with relative asset paths so dist/ works from any static server, offline.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { port: 5173, strictPort: false, open: false },
  preview: { port: 4173 },
});
