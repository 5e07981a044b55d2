'use strict';
// An esbuild plugin that leaves a few packages out of a function's bundle and bundles each of them on its own,
// as one more file beside it (a "chunk"), which the function loads only when its code first needs the package.
// A package a function rarely uses then costs it nothing at load: the S3 client (exports) is about a sixth of
// the scheduler's bundle, and parsing it made a 1,000-due tick peak about 10 MB higher (BENCHMARKS.md, row 4)
// though a tick without exports never runs a line of it. esbuild splits code only for ESM; the functions are
// CommonJS (serverless.yml), so the split is made here: an import of the package becomes
// `require('./<chunk>.cjs')`, which stays inside the lazily evaluated module that imports it.
//
// Only SDK client packages whose objects never meet the bundle's own copies of the SDK's shared modules belong
// in the list: a chunk carries its own copies (a class from one is not `instanceof` the other's).
// CommonJS so that serverless-esbuild can `require` it (serverless.yml, custom.esbuild.plugins).
const { randomUUID } = require('node:crypto');
const { mkdirSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const esbuild = require('esbuild');

/** The packages each function loads from a chunk of its own, by the file name of the chunk. */
const LAZY_PACKAGES = { '@aws-sdk/client-s3': 'aws-sdk-client-s3.cjs' };

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const PACKAGE_FILTER = new RegExp(`^(${Object.keys(LAZY_PACKAGES).map(escapeRegExp).join('|')})$`);

/** Writes esbuild's in-memory outputs, each by a rename: builds running at once may write the same chunk. */
function writeAtomically(outputFiles) {
  for (const file of outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${randomUUID()}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}

/**
 * The chunk of `packageName`, built with the options of the bundle that imports it (minified, target and
 * format alike) into `outdir`, without a source map: it holds no code of ours (scripts/own-source-maps.cjs).
 */
async function buildChunk(initialOptions, packageName, outdir) {
  const {
    entryPoints: _entryPoints,
    stdin: _stdin,
    outdir: _outdir,
    outfile: _outfile,
    outExtension: _outExtension,
    plugins: _plugins,
    metafile: _metafile,
    write: _write,
    ...options
  } = initialOptions;
  const result = await esbuild.build({
    ...options,
    stdin: {
      contents: `export * from '${packageName}';\n`,
      resolveDir: options.absWorkingDir ?? process.cwd(),
      sourcefile: LAZY_PACKAGES[packageName],
    },
    outfile: join(outdir, LAZY_PACKAGES[packageName]),
    sourcemap: false,
    write: false,
  });
  writeAtomically(result.outputFiles);
}

/**
 * The plugin: each lazy package a bundle imports becomes a chunk beside the bundle (outdir, or outfile's
 * folder); a build that writes nothing (`write: false`) gets none.
 */
function lazyPackages() {
  return {
    name: 'lazy-packages',
    setup(build) {
      const imported = new Set();
      build.onStart(() => imported.clear());
      build.onResolve({ filter: PACKAGE_FILTER }, (args) => {
        imported.add(args.path);
        return { path: `./${LAZY_PACKAGES[args.path]}`, external: true };
      });
      build.onEnd(async (result) => {
        if (result.errors.length > 0 || imported.size === 0 || build.initialOptions.write === false) return;
        const { outdir, outfile } = build.initialOptions;
        const folder = outdir ?? dirname(outfile);
        await Promise.all([...imported].map((name) => buildChunk(build.initialOptions, name, folder)));
      });
    },
  };
}

module.exports = { lazyPackages };
