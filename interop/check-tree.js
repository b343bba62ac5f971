#!/usr/bin/env node
// jipc interop: safety check of an installed node-ipc peer tree.
//
//   node check-tree.js <install-dir | install-dir/node_modules> [--lock=path/to/package-lock.json]
//
// Fails (exit 1) when
//   * a package named (or installed as) `peacenotwar` is anywhere in the tree,
//   * any package called `node-ipc` (or `<scope>/node-ipc`) is present other than exactly
//     node-ipc@9.2.1, @achrinza/node-ipc@10.1.11 and node-ipc@14.0.0 (this rejects the
//     known-bad 9.1.6, 9.2.2, 9.2.3, 10.1.1-10.1.3, 11.x and 12.0.1 and everything else),
//   * one of the three expected aliases (node-ipc-9, achrinza-10, node-ipc-14) is missing or
//     holds another package/version,
//   * with --lock: a node-ipc entry of the lockfile is not pinned to the expected version and
//     integrity hash.
// Prints what it saw on stdout; problems on stderr.
'use strict';
const fs = require('fs');
const path = require('path');

// The only node-ipc packages allowed anywhere in the tree, with their npm integrity hashes.
const ALLOWED = {
  'node-ipc@9.2.1':
    'sha512-mJzaM6O3xHf9VT8BULvJSbdVbmHUKRNOH7zDDkCrA1/T+CVjq2WVIDfLt0azZRXpgArJtl3rtmEozrbXPZ9GaQ==',
  '@achrinza/node-ipc@10.1.11':
    'sha512-3z2yix2G8KP8gW6dWgRPj61Mu2nleqbWqTuS5vluZiXe2VDFkimqaeb4fnuS6JV2nhJz4gX+PR5PQjRKsuXm8w==',
  'node-ipc@14.0.0':
    'sha512-d5+aogND4Gk6aQkW5KCibliM4Mn12+isHXt8wFghO4Bn0gBSnev3TXJWQ4eEnzrlh5gCG+nwQEZwyayeDtQxQA==',
};
// alias directory under node_modules -> expected package
const EXPECTED_ALIASES = {
  'node-ipc-9': 'node-ipc@9.2.1',
  'achrinza-10': '@achrinza/node-ipc@10.1.11',
  'node-ipc-14': 'node-ipc@14.0.0',
};
const KNOWN_BAD = new Set(['9.1.6', '9.2.2', '9.2.3', '10.1.1', '10.1.2', '10.1.3', '12.0.1']);

function isNodeIpcName(name) {
  return name === 'node-ipc' || /^@[^/]+\/node-ipc$/.test(name);
}

function main(argv) {
  let target = null;
  let lock = null;
  for (const a of argv) {
    if (a.startsWith('--lock=')) lock = a.slice('--lock='.length);
    else if (!target) target = a;
    else return fail([`unexpected argument ${a}`]);
  }
  if (!target) return fail(['usage: node check-tree.js <install-dir|node_modules> [--lock=FILE]']);
  let root = path.resolve(target);
  if (path.basename(root) !== 'node_modules') root = path.join(root, 'node_modules');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) return fail([`no node_modules at ${root}`]);

  const problems = [];
  const seen = [];
  const scripts = [];

  const walk = (dir, depth) => {
    if (depth > 50) { problems.push(`${dir}: tree too deep`); return; }
    let names;
    try { names = fs.readdirSync(dir); } catch (e) { problems.push(`${dir}: ${e.message}`); return; }
    for (const name of names.sort()) {
      if (name.startsWith('.')) continue; // .bin, .package-lock.json
      const p = path.join(dir, name);
      const st = fs.lstatSync(p);
      if (name === 'peacenotwar') problems.push(`${p}: peacenotwar is installed`);
      if (st.isSymbolicLink()) { problems.push(`${p}: unexpected symlink in the tree`); continue; }
      if (!st.isDirectory()) continue;
      if (name.startsWith('@')) { walk(p, depth + 1); continue; }
      const pjPath = path.join(p, 'package.json');
      if (fs.existsSync(pjPath)) {
        let pj;
        try { pj = JSON.parse(fs.readFileSync(pjPath, 'utf8')); } catch (e) {
          problems.push(`${pjPath}: unreadable package.json (${e.message})`);
          continue;
        }
        const id = `${pj.name}@${pj.version}`;
        seen.push(`${path.relative(root, p)} -> ${id}`);
        if (pj.name === 'peacenotwar') problems.push(`${p}: peacenotwar is installed`);
        const deps = Object.assign({}, pj.dependencies, pj.optionalDependencies, pj.peerDependencies);
        if (Object.prototype.hasOwnProperty.call(deps, 'peacenotwar')) {
          problems.push(`${p}: ${id} depends on peacenotwar`);
        }
        if (isNodeIpcName(pj.name) || isNodeIpcName(name)) {
          if (KNOWN_BAD.has(pj.version) || /^11\./.test(String(pj.version))) {
            problems.push(`${p}: KNOWN MALICIOUS/PROTESTWARE ${id}`);
          } else if (!Object.prototype.hasOwnProperty.call(ALLOWED, id)) {
            problems.push(`${p}: ${id} is not one of the allowed node-ipc versions (${Object.keys(ALLOWED).join(', ')})`);
          }
        }
        const s = Object.keys(pj.scripts || {}).filter(k => /^(pre|post)?install$|^prepare$/.test(k));
        if (s.length) scripts.push(`${id}: ${s.join(',')} (never run: --ignore-scripts)`);
      }
      const nested = path.join(p, 'node_modules');
      if (fs.existsSync(nested)) walk(nested, depth + 1);
    }
  };
  walk(root, 0);

  for (const [alias, want] of Object.entries(EXPECTED_ALIASES)) {
    const pjPath = path.join(root, alias, 'package.json');
    if (!fs.existsSync(pjPath)) { problems.push(`missing ${alias} (${want})`); continue; }
    const pj = JSON.parse(fs.readFileSync(pjPath, 'utf8'));
    if (`${pj.name}@${pj.version}` !== want) problems.push(`${alias} holds ${pj.name}@${pj.version}, expected ${want}`);
  }

  if (lock) {
    let lj;
    try { lj = JSON.parse(fs.readFileSync(lock, 'utf8')); } catch (e) { problems.push(`${lock}: ${e.message}`); }
    if (lj) {
      const pkgs = lj.packages || {};
      for (const [key, entry] of Object.entries(pkgs)) {
        if (key === '') continue;
        const dirName = key.split('node_modules/').pop();
        const name = entry.name || dirName;
        if (name === 'peacenotwar' || dirName === 'peacenotwar') problems.push(`lockfile ${key}: peacenotwar`);
        if (isNodeIpcName(name) || isNodeIpcName(dirName)) {
          const id = `${name}@${entry.version}`;
          if (!Object.prototype.hasOwnProperty.call(ALLOWED, id)) problems.push(`lockfile ${key}: ${id} not allowed`);
          else if (entry.integrity !== ALLOWED[id]) problems.push(`lockfile ${key}: ${id} integrity ${entry.integrity} != ${ALLOWED[id]}`);
        }
      }
      for (const [alias, want] of Object.entries(EXPECTED_ALIASES)) {
        const e = pkgs[`node_modules/${alias}`];
        if (!e || `${e.name}@${e.version}` !== want) problems.push(`lockfile: node_modules/${alias} is not ${want}`);
      }
    }
  }

  console.log(seen.join('\n'));
  if (scripts.length) console.log('packages declaring install/prepare scripts:\n  ' + scripts.join('\n  '));
  if (problems.length) return fail(problems);
  console.log(`check-tree: OK (${seen.length} packages; node-ipc only ${Object.keys(ALLOWED).join(', ')}; no peacenotwar)`);
  return 0;
}

function fail(problems) {
  console.error('check-tree: FAILED\n  ' + [...new Set(problems)].join('\n  '));
  return 1;
}

process.exitCode = main(process.argv.slice(2));
