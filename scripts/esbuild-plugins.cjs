'use strict';
// The esbuild plugins serverless-esbuild builds the functions with (serverless.yml, custom.esbuild.plugins),
// the same scripts/bundle-options.mjs gives `npm run build`, the bench and the tests.
const { lazyPackages } = require('./lazy-packages.cjs');
const { ownSourceMaps } = require('./own-source-maps.cjs');

module.exports = () => [lazyPackages(), ownSourceMaps()];
