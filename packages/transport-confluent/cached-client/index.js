/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, as the package it stands in for */
// Stands in for @confluentinc/kafka-javascript in this repository only (transport-confluent links it as a
// devDependency). The real package cannot be installed normally here: its prebuilt binary is not reachable and it
// must be built from source, which takes minutes. scripts/build-confluent.sh builds it once into a cache; this
// loads that build, or fails with what to run, so the tests fail clearly instead of skipping.
const { existsSync } = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');

const version = process.env.CKJS_VERSION || '1.10.1';
const dir = join(
  process.env.LTY_CONFLUENT_CACHE || join(homedir(), '.cache', 'listen-to-yourself'),
  `confluent-${version}`,
);
if (!existsSync(join(dir, '.complete'))) {
  throw new Error(
    `@confluentinc/kafka-javascript ${version} is not built in ${dir}: run \`bash scripts/build-confluent.sh\` ` +
      '(a one-off native build of several minutes; later runs reuse it)',
  );
}
module.exports = require(require.resolve('@confluentinc/kafka-javascript', { paths: [dir] }));
