// End-to-end check of a running Lanes node with viem 2, over HTTP and WebSocket on the same port:
// usage `node viem.mjs http://127.0.0.1:PORT`. Exits non-zero (with the reason on stderr) at the first failure.
import { createPublicClient, createWalletClient, defineChain, http, parseEther, webSocket } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import assert from "node:assert/strict";
import { compile, sleep, within } from "./greeter.mjs";

const httpUrl = process.argv[2];
if (!httpUrl) { console.error("usage: node viem.mjs URL"); process.exit(2); }
const wsUrl = httpUrl.replace(/^http/, "ws");
const step = (name) => console.log("viem: " + name);

const chain = defineChain({
  id: 31337, name: "lanes", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [httpUrl], webSocket: [wsUrl] } },
});
const account = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const overHttp = createPublicClient({ chain, transport: http(httpUrl), pollingInterval: 100, cacheTime: 0 });
const overWs = createPublicClient({ chain, transport: webSocket(wsUrl) });
const wallet = createWalletClient({ account, chain, transport: http(httpUrl) });

/** The first `count` values a watcher reports, or a timeout. */
function collect(count, start, what) {
  const seen = [];
  let unwatch;
  const done = new Promise((resolve, reject) => {
    unwatch = start(v => { seen.push(v); if (seen.length === count) resolve(seen); }, reject);
  });
  return within(done, 15000, what).finally(() => unwatch());
}

step("chain id and block number over both transports");
assert.equal(await overWs.getChainId(), 31337);
assert.equal(await overHttp.getChainId(), 31337);
assert.ok(await overWs.getBlockNumber() >= 0n);

step("watchBlocks and watchBlockNumber over WebSocket (eth_subscribe newHeads), watchBlockNumber over HTTP");
const [blocks, wsNumbers, httpNumbers] = await Promise.all([
  collect(2, (on, fail) => overWs.watchBlocks({ onBlock: on, onError: fail }), "two blocks from watchBlocks"),
  collect(2, (on, fail) => overWs.watchBlockNumber({ onBlockNumber: on, onError: fail }), "two numbers over WebSocket"),
  collect(2, (on, fail) => overHttp.watchBlockNumber({ onBlockNumber: on, onError: fail }), "two numbers over HTTP"),
]);
assert.equal(blocks[1].number, blocks[0].number + 1n);
assert.equal(blocks[1].parentHash, blocks[0].hash);
assert.equal((await overHttp.getBlock({ blockNumber: blocks[0].number })).hash, blocks[0].hash);
assert.ok(wsNumbers[1] > wsNumbers[0] && httpNumbers[1] > httpNumbers[0]);

step("deploy the contract with a wallet client (dev key), waitForTransactionReceipt");
const { abi, bytecode } = compile();
const deployHash = await wallet.deployContract({ abi, bytecode });
const deployed = await overHttp.waitForTransactionReceipt({ hash: deployHash, pollingInterval: 100 });
assert.equal(deployed.status, "success");
const address = deployed.contractAddress;
assert.ok((await overWs.getCode({ address })).length > 2);

step("estimateGas");
const gas = await overHttp.estimateContractGas({ address, abi, functionName: "greet", args: ["hi"], account });
assert.ok(gas > 21000n && gas < 200000n, "estimate " + gas);
const plain = await overWs.estimateGas({ account, to: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", value: parseEther("1") });
assert.equal(plain, 21000n);

step("watchContractEvent over WebSocket and HTTP, createEventFilter + getFilterChanges, a block filter");
const event = abi.find(x => x.type === "event" && x.name === "Greeted");
let wsEvent, httpEvent, wsFail, httpFail;
const wsSeen = new Promise((resolve, reject) => { wsEvent = resolve; wsFail = reject; });
const httpSeen = new Promise((resolve, reject) => { httpEvent = resolve; httpFail = reject; });
const unwatchWs = overWs.watchContractEvent({ address, abi, eventName: "Greeted", onLogs: wsEvent, onError: wsFail });
const unwatchHttp = overHttp.watchContractEvent({ address, abi, eventName: "Greeted", onLogs: httpEvent, onError: httpFail,
                                                  pollingInterval: 100 });
const filter = await overHttp.createEventFilter({ address, event });
const blockFilter = await overHttp.createBlockFilter();
// The watchers install their subscription and filter asynchronously; a block later both are in place.
await collect(1, (on, fail) => overWs.watchBlockNumber({ onBlockNumber: on, onError: fail }), "a block before sending");
await sleep(300);
const txHash = await wallet.writeContract({ address, abi, functionName: "greet", args: ["hello viem"] });
const receipt = await overWs.waitForTransactionReceipt({ hash: txHash });
assert.equal(receipt.status, "success");
for (const [name, seen] of [["WebSocket", wsSeen], ["HTTP", httpSeen]]) {
  const logs = await within(seen, 15000, "Greeted over " + name);
  assert.equal(logs.length, 1, name);
  assert.equal(logs[0].transactionHash, txHash, name);
  assert.equal(logs[0].args.message, "hello viem", name);
  assert.equal(logs[0].args.from, account.address, name);
  assert.equal(logs[0].args.count, 1n, name);
  assert.equal(logs[0].removed, false, name);
}
unwatchWs();
unwatchHttp();
const changes = await overHttp.getFilterChanges({ filter });
assert.equal(changes.length, 1);
assert.equal(changes[0].transactionHash, txHash);
assert.equal(changes[0].args.message, "hello viem");
assert.equal((await overHttp.getFilterChanges({ filter })).length, 0, "nothing new since the last poll");
const newBlocks = await overHttp.getFilterChanges({ filter: blockFilter });
assert.ok(newBlocks.includes(receipt.blockHash), "the block filter saw the transaction's block");
assert.equal(await overHttp.uninstallFilter({ filter }), true);
assert.equal(await overHttp.uninstallFilter({ filter: blockFilter }), true);

step("getLogs");
const logs = await overWs.getLogs({ address, event, fromBlock: deployed.blockNumber, toBlock: "latest" });
assert.equal(logs.length, 1);
assert.equal(logs[0].args.message, "hello viem");
assert.equal(await overHttp.readContract({ address, abi, functionName: "count" }), 1n);

await (await overWs.transport.getRpcClient()).close();
console.log("viem: all checks passed");
process.exit(0);
