// Unit and integration tests (vitest): everything under tests/unit, in Node.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Components (.tsx) render with React's automatic JSX runtime, as Next.js compiles them.
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // mediasoup workers and socket servers are real processes: keep files from competing on 2 cores.
    fileParallelism: false,
  },
});
