// Lets a child process `require` the server's TypeScript: compiled on the fly with @swc/core (decorators and
// their metadata, as the build does). Required first by the child scripts of the multi-process tests.
//
// As in jest (jest.preset.js moduleNameMapper), the workspace packages are read from their sources, so a child
// process needs no package built, and runs the same code as the test that started it. Each child compiles
// about 200 files; the output is kept in a folder of the temp directory named after swc's version and these
// options, one file per source's contents, so the next child (and the next run) reads it instead.
const fs = require('node:fs');
const Module = require('node:module');
const { createHash } = require('node:crypto');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const swc = require('@swc/core');

const WORKSPACE = join(__dirname, '../../../..');
const SOURCE_PACKAGES = {
  '@munja/rules': 'packages/rules',
  '@munja/compliance': 'packages/compliance',
  '@munja/scheduling': 'packages/scheduling',
  '@munja/provider-kit': 'packages/provider-kit',
  '@munja/provider-sens': 'packages/provider-sens',
  '@munja/provider-omni': 'packages/provider-omni',
  '@munja/simulator': 'packages/simulator',
  'munja-provider-postbox': 'examples/provider-postbox',
};
const SOURCE_REQUEST = /^(@munja\/[^/]+|munja-provider-postbox)(?:\/(.+))?$/;

const OPTIONS = {
  module: { type: 'commonjs' },
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
};
const CACHE = join(
  tmpdir(),
  `munja-swc-${createHash('sha256').update(swc.version).update(JSON.stringify(OPTIONS)).digest('hex').slice(0, 12)}`,
);
fs.mkdirSync(CACHE, { recursive: true });

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveToSources(request, ...rest) {
  const match = SOURCE_REQUEST.exec(request);
  const folder = match && SOURCE_PACKAGES[match[1]];
  if (folder) return resolveFilename.call(this, join(WORKSPACE, folder, 'src', match[2] ?? 'index'), ...rest);
  return resolveFilename.call(this, request, ...rest);
};

require.extensions['.ts'] = function compile(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const cached = join(CACHE, `${createHash('sha256').update(filename).update(source).digest('hex')}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, 'utf8');
  } catch {
    code = swc.transformSync(source, { filename, ...OPTIONS }).code;
    // written aside and renamed: a child starting at the same moment never reads half a file
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
  }
  module._compile(code, filename);
};
