import { defineConfig } from 'vitest/config';

// End-to-end tests of the BUILT site (run `npm run build` first) in headless Chromium.
export default defineConfig({
  test: {
    include: ['e2e/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
