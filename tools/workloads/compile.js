// Writes the workload artifacts (see ../build-workload-artifacts): our contracts compiled with the pinned
// solc, and Uniswap V2's published build artifacts copied as they are. Output is a pure function of the
// pinned packages and the .sol files here, so reruns produce identical files.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');
const { keccak256 } = require('js-sha3');

const here = __dirname;
const out = process.argv[2];
if (!out) throw new Error('usage: node compile.js OUTDIR');
fs.mkdirSync(out, { recursive: true });

const SETTINGS = {
  evmVersion: 'cancun', // solc 0.8.37 defaults to osaka; the workloads run from Cancun on
  optimizer: { enabled: true, runs: 200 },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};

function findImport(p) {
  const file = path.join(here, 'node_modules', p);
  if (!p.startsWith('@openzeppelin/') || !fs.existsSync(file)) return { error: 'not found: ' + p };
  return { contents: fs.readFileSync(file, 'utf8') };
}

function compile(file, contract) {
  const input = {
    language: 'Solidity',
    sources: { [file]: { content: fs.readFileSync(path.join(here, file), 'utf8') } },
    settings: SETTINGS,
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const errors = (output.errors || []).filter(e => e.severity === 'error');
  if (errors.length) throw new Error(errors.map(e => e.formattedMessage).join('\n'));
  for (const w of output.errors || []) process.stderr.write(w.formattedMessage + '\n');
  const c = output.contracts[file][contract];
  const { outputSelection, ...settings } = SETTINGS;
  return {
    contract,
    source: 'tools/workloads/' + file,
    compiler: { name: 'solc', version: solc.version(), npmPackage: 'solc@' + require('solc/package.json').version },
    settings,
    openzeppelin: '@openzeppelin/contracts@' + require('@openzeppelin/contracts/package.json').version,
    bytecode: '0x' + c.evm.bytecode.object,
    deployedBytecode: '0x' + c.evm.deployedBytecode.object,
    abi: c.abi,
  };
}

function uniswap() {
  const pkg = require('@uniswap/v2-core/package.json');
  const art = name => require('@uniswap/v2-core/build/' + name + '.json');
  const version = a => JSON.parse(a.metadata).compiler.version;
  const one = (name, a) => ({
    contract: name,
    artifact: '@uniswap/v2-core/build/' + name + '.json',
    compiler: { name: 'solc', version: version(a) },
    bytecode: '0x' + a.evm.bytecode.object,
    deployedBytecode: '0x' + a.evm.deployedBytecode.object,
  });
  const factory = art('UniswapV2Factory'), pair = art('UniswapV2Pair');
  if (factory.bytecode !== factory.evm.bytecode.object || pair.bytecode !== pair.evm.bytecode.object)
    throw new Error('unexpected @uniswap/v2-core artifact layout');
  // createPair deploys with CREATE2 the pair creation code embedded in the factory: the same bytes.
  if (!factory.evm.bytecode.object.includes(pair.evm.bytecode.object))
    throw new Error('the factory does not embed the published pair creation code');
  const p = one('UniswapV2Pair', pair);
  p.initCodeHash = '0x' + keccak256(Buffer.from(pair.evm.bytecode.object, 'hex'));
  return {
    package: pkg.name + '@' + pkg.version,
    note: 'official compiled artifacts from the npm package, not recompiled',
    factory: one('UniswapV2Factory', factory),
    pair: p,
  };
}

function write(name, obj) {
  fs.writeFileSync(path.join(out, name), JSON.stringify(obj, null, 1) + '\n');
  console.log('wrote ' + path.join(out, name));
}

write('erc20.json', compile('Token.sol', 'Token'));
write('swapper.json', compile('Swapper.sol', 'Swapper'));
write('uniswap-v2.json', uniswap());
