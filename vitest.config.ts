// Test runner configuration: every test under test/, fixed time zone for determinism.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules/**', 'lib/**', 'dist/**'],
    env: { TZ: 'UTC' },
    testTimeout: 20000,
    // Browser tests poll the page; under a loaded CI machine a second is not enough.
    expect: { poll: { timeout: 15000, interval: 50 } },
  },
});
