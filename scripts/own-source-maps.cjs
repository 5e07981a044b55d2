'use strict';
// An esbuild plugin that keeps in each written source map only the mappings into the project's own code
// (lib/, functions/, ...), none into node_modules. `--enable-source-maps` (serverless.yml) reads the whole map
// when the bundle loads and decodes all of it at the first stack trace: nine tenths of the scheduler's map
// were the SDK's, Powertools', zod's, ... code, which a stack trace of ours needs no line of (their frames
// keep the bundle's own line and column). The scheduler's map shrinks from 1.4 MB to about a tenth of that,
// and a 1,000-due tick peaks about 2-3 MB lower (BENCHMARKS.md, row 4).
// Decoding and encoding with @jridgewell/sourcemap-codec, the codec Rollup, Vite and Babel use.
// CommonJS so that serverless-esbuild can `require` it (scripts/esbuild-plugins.cjs).
const { readFileSync, writeFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { decode, encode } = require('@jridgewell/sourcemap-codec');

const isOwn = (source) => !source.split(/[\\/]/).includes('node_modules');

/** `map` (a parsed source map) with only the segments whose source is our own; sources and names renumbered. */
function ownMappings(map) {
  const sources = [];
  const sourceIndex = new Map();
  const names = [];
  const nameIndex = new Map();
  const renumber = (index, from, into, indexes) => {
    if (!indexes.has(index)) {
      indexes.set(index, into.length);
      into.push(from[index]);
    }
    return indexes.get(index);
  };
  const lines = decode(map.mappings).map((segments) =>
    segments
      .filter((segment) => segment.length >= 4 && isOwn(map.sources[segment[1]]))
      .map(([column, source, line, sourceColumn, name]) => {
        const mapped = [column, renumber(source, map.sources, sources, sourceIndex), line, sourceColumn];
        return name === undefined ? mapped : [...mapped, renumber(name, map.names, names, nameIndex)];
      }),
  );
  return { ...map, sources, names, mappings: encode(lines) };
}

/** Rewrites every `.map` file the build wrote (found through its metafile) with only our own mappings. */
function ownSourceMaps() {
  return {
    name: 'own-source-maps',
    setup(build) {
      if (!build.initialOptions.sourcemap || build.initialOptions.write === false) return;
      build.initialOptions.metafile = true;
      build.onEnd((result) => {
        if (result.errors.length > 0 || !result.metafile) return;
        const folder = build.initialOptions.absWorkingDir ?? process.cwd();
        for (const output of Object.keys(result.metafile.outputs).filter((path) => path.endsWith('.map'))) {
          const file = resolve(folder, output);
          const map = JSON.parse(readFileSync(file, 'utf8'));
          writeFileSync(file, JSON.stringify(ownMappings(map)));
        }
      });
    },
  };
}

module.exports = { ownSourceMaps };
