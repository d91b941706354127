package dev.lanes.executor.workload;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.UInt256;

/**
 * The workloads' OpenZeppelin ERC-20 ({@code Token(string name, string symbol, uint256 supply)}, supply minted to
 * the deployer) for callers outside this package, such as the node benchmark that deploys it over JSON-RPC.
 */
public final class Erc20 {
    private Erc20() {}

    /** Creation code with its constructor arguments. */
    public static byte[] creationCode(String name, String symbol, UInt256 supply) {
        return Bytes.concat(Artifacts.TOKEN, Abi.encode(name, symbol, supply));
    }

    /** Calldata of {@code transfer(to, amount)}. */
    public static byte[] transfer(Address to, UInt256 amount) {
        return Abi.call("transfer(address,uint256)", to, amount);
    }

    /** Calldata of {@code balanceOf(owner)}. */
    public static byte[] balanceOf(Address owner) {
        return Abi.call("balanceOf(address)", owner);
    }
}
