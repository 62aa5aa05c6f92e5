'use strict';
/**
 * A light TypeScript loader for the benchmark phases (node -r ./bench/register.js): each file is
 * compiled by @swc/core's transformSync with the project's settings (decorators and their metadata,
 * which Nest's injection reads), and nothing else is loaded. @swc-node/register also loads the
 * TypeScript compiler to read tsconfig.json, about 100 MB of RSS in a phase whose peak RSS is the
 * figure measured; this loader's own cost (the swc binary) is about 50 MB, printed beside the figures.
 */
const { transformSync } = require('@swc/core');
const { readFileSync } = require('node:fs');

const options = (filename) => ({
  filename,
  module: { type: 'commonjs' },
  jsc: { target: 'es2022', keepClassNames: true, parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true } },
});
require.extensions['.ts'] = (m, filename) => m._compile(transformSync(readFileSync(filename, 'utf8'), options(filename)).code, filename);
