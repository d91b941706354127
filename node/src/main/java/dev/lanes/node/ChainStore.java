package dev.lanes.node;

import dev.lanes.primitives.Hash;
import dev.lanes.state.WorldState;

/**
 * Where the node keeps its chain: blocks by number and hash, a transaction-hash index, and the post-state of
 * recent blocks. A block and its state are committed together by {@link #append}, so a reader never sees a block
 * without its state. Post-states handed in and out are never changed afterwards (the chain executes the next
 * block on a copy). The in-memory {@link MemoryChainStore} is the only implementation so far; a persistent one
 * (RocksDB) is meant to implement the same interface.
 *
 * <p>Not thread-safe: the node calls it from its one chain thread.
 */
public interface ChainStore {
    /** Commits {@code block} as the new head with its post-state. Its parent must be the current head. */
    void append(Block block, WorldState postState);

    /** The head (the genesis block right after the first append). */
    Block head();

    /** The block with this number on the chain, or {@code null}. */
    Block byNumber(long number);

    Block byHash(Hash hash);

    /** Where the transaction was included, or {@code null} when no stored block holds it. */
    Block.TxLocation transaction(Hash txHash);

    /** The post-state of block {@code number}, or {@code null} when it is not kept (too old, or unknown). */
    WorldState state(long number);

    /** Drops every block above {@code number} (with its state and transaction index entries). */
    void truncate(long number);
}
