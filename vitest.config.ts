import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // Tests run the real Go toolchain (builds, -race, profiles): give them room.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Two cores: keep Go builds from starving each other.
    maxWorkers: 2,
  },
});
