// The contract both end-to-end scripts deploy, compiled with the pinned solc for an explicit EVM version.
import solc from "solc";

export const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;
contract Greeter {
    event Greeted(address indexed from, string message, uint256 count);
    uint256 public count;
    function greet(string calldata message) external {
        count += 1;
        emit Greeted(msg.sender, message, count);
    }
    function fail() external pure {
        revert("lanes says no");
    }
}`;

export function compile() {
  const input = {
    language: "Solidity",
    sources: { "Greeter.sol": { content: SOURCE } },
    settings: { evmVersion: "prague", optimizer: { enabled: true, runs: 200 },
                outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors || []).filter(e => e.severity === "error");
  if (errors.length) throw new Error("solc: " + errors.map(e => e.formattedMessage).join("\n"));
  const c = out.contracts["Greeter.sol"].Greeter;
  return { abi: c.abi, bytecode: "0x" + c.evm.bytecode.object };
}

/** Resolves with p, or rejects naming what did not happen within ms. */
export function within(p, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error("timed out waiting for " + what)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms) => new Promise(r => setTimeout(r, ms));
