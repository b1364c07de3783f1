// Lets a child process started from a test `require` TypeScript directly: each .ts file is
// transpiled (no type check: the tests' own run does that) as ts-jest would, with a source map.
// Used through fork-ts.ts; plain JavaScript because it must load before anything can compile.

const { readFileSync } = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  inlineSourceMap: true,
  inlineSources: true,
};

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
