package dev.lanes.node;

import dev.lanes.primitives.Hash;
import dev.lanes.state.WorldState;

/**
 * Where the node keeps its chain: blocks by number and hash, a transaction-hash index, and the post-state of
 * recent blocks. A block and its state are committed together by {@link #append}, so a reader never sees a block
 * without its state. Post-states handed in and out are never changed afterwards (the chain executes the next
 * block on a copy). Two implementations: {@link MemoryChainStore} (nothing survives the process) and
 * {@link dev.lanes.node.store.RocksChainStore} (a data directory; {@code append} is atomic and durable).
 *
 * <p>Not thread-safe: the node calls it from its one chain thread.
 */
public interface ChainStore extends AutoCloseable {
    /**
     * Commits {@code block} as the new head with its post-state. Its parent must be the current head.
     * {@code touched} is what the block's execution touched in {@code postState} (from
     * {@link WorldState#trackChanges()} on the copy of the parent's state it ran on; for genesis, everything): a
     * persistent store writes only those accounts and slots. A store that keeps whole states may ignore it.
     */
    void append(Block block, WorldState postState, WorldState.Touched touched);

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

    /** Releases what the store holds (files, native memory). The default does nothing. */
    @Override default void close() {}
}
