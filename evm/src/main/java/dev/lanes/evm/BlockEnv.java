package dev.lanes.evm;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;

/**
 * The block a transaction executes in. {@code prevRandao} is what DIFFICULTY/PREVRANDAO returns
 * (the difficulty before the merge, the beacon randomness after, EIP-4399).
 */
public record BlockEnv(Address coinbase, long number, long timestamp, long gasLimit, UInt256 baseFee,
                       UInt256 prevRandao, UInt256 chainId, UInt256 blobBaseFee) {}
