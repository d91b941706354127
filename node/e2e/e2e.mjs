// End-to-end check of a running Lanes node with ethers v6 (HTTP, then WebSocket on the same port):
// usage `node e2e.mjs http://127.0.0.1:PORT`.
// Exits non-zero (with the reason on stderr) at the first check that fails.
import { ethers } from "ethers";
import assert from "node:assert/strict";
import { compile, within, sleep } from "./greeter.mjs";

const url = process.argv[2];
if (!url) { console.error("usage: node e2e.mjs URL"); process.exit(2); }

const KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
// cacheTimeout -1: ethers otherwise answers a repeated identical request (a balance before and after) from a
// 250 ms cache, which a node that seals blocks that fast would make look stale.
const provider = new ethers.JsonRpcProvider(url, undefined, { pollingInterval: 200, cacheTimeout: -1 });
const wallet = new ethers.Wallet(KEY0, provider);
const to = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

const step = (name) => console.log("e2e: " + name);

step("chain id and block number");
const net = await provider.getNetwork();
assert.equal(net.chainId, 31337n);
const start = await provider.getBlockNumber();
assert.ok(start >= 0);

step("EIP-1559 transfer");
const before = await provider.getBalance(to);
const tx1 = await wallet.sendTransaction({ to, value: ethers.parseEther("1.5") });
assert.equal(tx1.type, 2);
const r1 = await tx1.wait();
assert.equal(r1.status, 1);
assert.equal(r1.gasUsed, 21000n);
assert.equal(await provider.getBalance(to), before + ethers.parseEther("1.5"));
const block = await provider.getBlock(r1.blockNumber);
assert.equal(block.hash, r1.blockHash);
assert.ok(block.transactions.includes(r1.hash));
assert.ok(block.baseFeePerGas > 0n);

step("legacy transfer");
const gasPrice = (await provider.getFeeData()).gasPrice;
const tx2 = await wallet.sendTransaction({ to, value: 1n, type: 0, gasPrice });
const r2 = await tx2.wait();
assert.equal(r2.status, 1);
assert.equal(r2.type, 0);

step("eth_sendTransaction through the node's signer");
const signer = await provider.getSigner(1);
const r3 = await (await signer.sendTransaction({ to: wallet.address, value: 7n })).wait();
assert.equal(r3.status, 1);
assert.equal(r3.from.toLowerCase(), (await signer.getAddress()).toLowerCase());

step("compile and deploy");
const { abi, bytecode } = compile();
const factory = new ethers.ContractFactory(abi, bytecode, wallet);
const greeter = await factory.deploy();
await greeter.waitForDeployment();
const address = await greeter.getAddress();
assert.notEqual(await provider.getCode(address), "0x");

step("estimate gas, call, event");
const estimate = await greeter.greet.estimateGas("hello");
assert.ok(estimate > 21000n && estimate < 200000n, "estimate " + estimate);
const r4 = await (await greeter.greet("hello")).wait();
assert.equal(r4.status, 1);
assert.equal(await greeter.count(), 1n);
const events = await greeter.queryFilter(greeter.filters.Greeted(wallet.address), 0, "latest");
assert.equal(events.length, 1);
assert.equal(events[0].args.message, "hello");
assert.equal(events[0].args.count, 1n);
const logs = await provider.getLogs({ address, fromBlock: r4.blockNumber, toBlock: r4.blockNumber,
                                      topics: [greeter.interface.getEvent("Greeted").topicHash] });
assert.equal(logs.length, 1);
assert.equal(logs[0].transactionHash, r4.hash);

step("revert reason");
await assert.rejects(greeter.fail.staticCall(), (e) => {
  assert.equal(e.code, "CALL_EXCEPTION");
  assert.equal(e.reason, "lanes says no");
  return true;
});
await assert.rejects(greeter.fail.estimateGas(), (e) => {
  assert.equal(e.code, "CALL_EXCEPTION");
  assert.equal(e.reason, "lanes says no");
  return true;
});

step("nonce too low is reported as ethers' NONCE_EXPIRED");
await assert.rejects(wallet.sendTransaction({ to, value: 1n, nonce: 0 }), (e) => {
  assert.equal(e.code, "NONCE_EXPIRED");
  return true;
});

assert.ok(await provider.getBlockNumber() > start);

step("WebSocketProvider: block and contract event listeners (eth_subscribe)");
const ws = new ethers.WebSocketProvider(url.replace(/^http/, "ws"));
assert.equal((await ws.getNetwork()).chainId, 31337n);
const greeterWs = new ethers.Contract(address, abi, ws);
let onEvent;
const eventSeen = new Promise(resolve => { onEvent = resolve; });
await greeterWs.on("Greeted", (from, message, count, ev) => onEvent({ from, message, count, ev }));
const blockSeen = new Promise(resolve => ws.once("block", resolve));
const blockNumber = await within(blockSeen, 10000, "a block from provider.on(\"block\")");
assert.ok(blockNumber > r4.blockNumber, "block " + blockNumber);
await sleep(500); // the logs subscription is made asynchronously by ethers; give it time to reach the node
const r5 = await (await greeter.greet("over websocket")).wait();
const seen = await within(eventSeen, 10000, "the Greeted event over WebSocket");
assert.equal(seen.from, wallet.address);
assert.equal(seen.message, "over websocket");
assert.equal(seen.count, 2n);
assert.equal(seen.ev.log.transactionHash, r5.hash);
await greeterWs.removeAllListeners();
await ws.destroy();

console.log("e2e: all checks passed");
