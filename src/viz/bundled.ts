// The files bundled with the app (Vite inlines them at build time): every scenario and lab, by
// path relative to the project root, so `extends:` and lab references resolve as on disk.
const raw = import.meta.glob(['/scenarios/**/*.yaml', '/labs/*.yaml'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const BUNDLED: Record<string, string> = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.replace(/^\//, ''), v]));
