'use strict';
// `npm start`'s build step: the compile of `npm run build`, saying what it is doing. tsc prints
// nothing while it works, and a first build takes most of a minute on a busy machine, which looks
// stuck. tsc's build mode finds output that is up to date in under a second, where `tsc -p` checks
// everything again for several. Plain JavaScript: it runs before anything is compiled. Progress
// goes to a terminal only, so output piped elsewhere is unchanged; tsc's own messages come after.
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const first = !existsSync(join(root, 'dist', '.tsbuildinfo-build'));
const label = first ? 'Compiling Steady (the first time takes up to a minute)…' : 'Compiling what changed…';
const terminal = process.stderr.isTTY === true;
const started = Date.now();
const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;

let ticking;
if (terminal) {
  process.stderr.write(label);
  ticking = setInterval(() => process.stderr.write(`\r${label} ${elapsed()}`), 1000);
}

const tsc = spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '--build', 'tsconfig.build.json'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
});
const said = [];
tsc.stdout.on('data', (chunk) => said.push(chunk));
tsc.stderr.on('data', (chunk) => said.push(chunk));
tsc.on('close', (code) => {
  if (terminal) {
    clearInterval(ticking);
    // Clear the progress line; a first build says how long it took, so the next wait is expected.
    process.stderr.write(`\r\u001b[K${first && code === 0 ? `Compiled in ${elapsed()}.\n` : ''}`);
  }
  process.stdout.write(Buffer.concat(said));
  process.exit(code ?? 1);
});
