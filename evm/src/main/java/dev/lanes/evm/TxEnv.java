package dev.lanes.evm;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.util.List;

/** Per-transaction values the interpreter exposes: ORIGIN, GASPRICE, BLOBHASH. */
public record TxEnv(Address origin, UInt256 gasPrice, List<Hash> blobHashes) {}
