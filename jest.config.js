/** Jest runs the TypeScript sources through ts-jest; see README "Development". */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  // Each test file opens its own database (PGlite in memory, or a fresh PostgreSQL database).
  maxWorkers: process.env.CI ? 2 : '50%',
  testTimeout: 60_000,
};
