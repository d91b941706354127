import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { network } from "hardhat";

describe("Lanes as a Hardhat 3 network", async () => {
  const { viem } = await network.getOrCreate();
  const publicClient = await viem.getPublicClient();
  const [owner, other] = await viem.getWalletClients();

  it("reads the chain and the dev accounts", async () => {
    assert.equal(await publicClient.getChainId(), 31337);
    assert.equal(owner.account.address.toLowerCase(), "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    assert.ok((await publicClient.getBalance({ address: other.account.address })) > 0n);
  });

  it("deploys, calls, emits and reverts", async () => {
    const counter = await viem.deployContract("Counter");
    assert.equal(await counter.read.x(), 0n);
    const hash = await counter.write.inc();
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    assert.equal(await counter.read.x(), 1n);
    const events = await counter.getEvents.Increment({}, { fromBlock: receipt.blockNumber, toBlock: receipt.blockNumber });
    assert.equal(events.length, 1);
    assert.equal(events[0].args.to, 1n);
    await assert.rejects(counter.simulate.incBy([101n]), (e) => /TooBig/.test(String(e.message ?? e)));
    await assert.rejects(counter.simulate.incBy([0n]), (e) => /by must be positive/.test(String(e.message ?? e)));
    const gas = await counter.estimateGas.incBy([5n]);
    assert.ok(gas > 21000n && gas < 100000n);
  });

  it("sends value between accounts", async () => {
    const before = await publicClient.getBalance({ address: other.account.address });
    const hash = await owner.sendTransaction({ to: other.account.address, value: 12345n });
    await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(await publicClient.getBalance({ address: other.account.address }), before + 12345n);
  });
});
