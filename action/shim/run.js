// Finds the upbound-connect binary and runs it as `github-action <stage>`,
// passing its exit status through. Node built-ins only: no npm install.
//
// The binary is, in order: $UPBOUND_CONNECT_BINARY (an absolute path, for
// air-gapped runners and tests); the runner's tool cache; a download of the
// release asset for this runner (Linux, macOS or Windows: see TARGETS) from
// the `download-base-url` input, checked against the SHA-256 sums committed in
// release.json next to action.yml, so pinning the action to a commit or tag
// pins the binary's bytes too.
'use strict';

const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ACTION_ROOT = path.join(__dirname, '..', '..');
const DOWNLOAD_TIMEOUT_MS = 60_000;
const DOWNLOAD_ATTEMPTS = 3;

class ShimError extends Error {}

function escapeData(text) {
  return String(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function input(name) {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}

function sha256(bytes) {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

// The release asset of each runner (RUNNER_OS/RUNNER_ARCH): a Rust target,
// the key of its SHA-256 in release.json.
const TARGETS = {
  'Linux/X64': 'x86_64-unknown-linux-musl',
  'Linux/ARM64': 'aarch64-unknown-linux-musl',
  'macOS/X64': 'x86_64-apple-darwin',
  'macOS/ARM64': 'aarch64-apple-darwin',
  'Windows/X64': 'x86_64-pc-windows-msvc',
};

// The Rust target of this runner; other runners get a clear error.
function target() {
  const arch = process.env.RUNNER_ARCH || { x64: 'X64', arm64: 'ARM64' }[os.arch()];
  const runnerOs = process.env.RUNNER_OS || { linux: 'Linux', darwin: 'macOS', win32: 'Windows' }[os.platform()];
  const rustTarget = TARGETS[`${runnerOs}/${arch}`];
  if (!rustTarget) {
    throw new ShimError(`no upbound-connect release for ${runnerOs}/${arch}: use a Linux (X64, ARM64), macOS (X64, ARM64) or Windows X64 runner, or set UPBOUND_CONNECT_BINARY`);
  }
  return rustTarget;
}

// Windows runs only files named .exe.
function executableSuffix(rustTarget) {
  return rustTarget.includes('-windows-') ? '.exe' : '';
}

async function download(url) {
  let lastError;
  for (let attempt = 1; attempt <= DOWNLOAD_ATTEMPTS; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
      if (response.ok) return Buffer.from(await response.arrayBuffer());
      lastError = new ShimError(`download of ${url} failed: HTTP ${response.status}`);
      if (response.status < 500 && response.status !== 429) break;
    } catch (error) {
      lastError = new ShimError(`download of ${url} failed: ${error.message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
  }
  throw lastError;
}

async function binary() {
  const given = process.env.UPBOUND_CONNECT_BINARY;
  if (given) {
    if (!path.isAbsolute(given) || !fs.existsSync(given)) {
      throw new ShimError(`UPBOUND_CONNECT_BINARY=${given} is not an absolute path to an existing file`);
    }
    return given;
  }
  const release = JSON.parse(fs.readFileSync(path.join(ACTION_ROOT, 'release.json'), 'utf8'));
  const rustTarget = target();
  const expected = (release.sha256 || {})[rustTarget];
  if (!expected) {
    throw new ShimError(`release.json has no SHA-256 for ${rustTarget} of v${release.version}: use a released version of the action, or set UPBOUND_CONNECT_BINARY`);
  }
  const cacheRoot = process.env.RUNNER_TOOL_CACHE || os.tmpdir();
  const directory = path.join(cacheRoot, 'upbound-connect', release.version, rustTarget);
  const suffix = executableSuffix(rustTarget);
  const file = path.join(directory, `upbound-connect${suffix}`);
  if (fs.existsSync(file) && sha256(fs.readFileSync(file)) === expected) return file;

  const base = (input('download-base-url') || 'https://github.com/upbound-connect/upbound-connect/releases/download').replace(/\/+$/, '');
  const url = `${base}/v${release.version}/upbound-connect-${rustTarget}${suffix}`;
  const bytes = await download(url);
  const actual = sha256(bytes);
  if (actual !== expected) {
    throw new ShimError(`checksum mismatch for ${url}: expected sha256 ${expected} (release.json), got ${actual}; the download is not the released binary`);
  }
  fs.mkdirSync(directory, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, bytes, { mode: 0o755 });
  fs.renameSync(partial, file);
  return file;
}

async function run(stage) {
  try {
    const file = await binary();
    const child = spawnSync(file, ['github-action', stage], { stdio: 'inherit' });
    if (child.error) throw new ShimError(`cannot run ${file}: ${child.error.message}`);
    process.exitCode = child.status === null ? 1 : child.status;
  } catch (error) {
    const message = error instanceof ShimError ? error.message : error.stack;
    process.stdout.write(`::error title=upbound-connect::${escapeData(message)}\n`);
    process.exitCode = 1;
  }
}

module.exports = { run };
