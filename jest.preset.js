/**
 * ES-module-only packages that jest must compile to CommonJS, as node itself loads them with
 * require(esm): jest's own module loader cannot, unless run with --experimental-vm-modules.
 */
const esmOnly = ['jose'];

/** Shared jest settings: TypeScript through swc, tests in test/ named by tier. */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } } }],
    [`/node_modules/(${esmOnly.join('|')})/.+\\.js$`]: [
      '@swc/jest',
      { jsc: { target: 'es2023' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  testTimeout: 60_000,
};
