package dev.lanes.executor.chain;

import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.chain.ChainSpec.Era;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every valid block of a chain with its post-state, as a tree rooted at genesis, and the head: before the
 * merge the block with the most total difficulty (the first to reach it wins a tie), after it the latest
 * valid proof-of-stake block (these tests have no consensus client to choose one, so the newest import is
 * the fork choice).
 *
 * <p>Post-states are kept whole, one per block, so that a side chain can grow from any block; that is
 * meant for test chains of tens of blocks, not for a node.
 */
public final class ChainStore {
    /** A stored block. {@code state} is its post-state, never modified after import. */
    public record Stored(BlockHeader header, Hash hash, Era era, UInt256 totalDifficulty, WorldState state,
                         List<Hash> ommerHashes, Stored parent) {}

    private final Map<Hash, Stored> blocks = new HashMap<>();
    private Stored head;

    public ChainStore(Stored genesis) {
        blocks.put(genesis.hash(), genesis);
        head = genesis;
    }

    public Stored get(Hash hash) {
        return blocks.get(hash);
    }

    public Stored head() {
        return head;
    }

    public int size() {
        return blocks.size();
    }

    /** Adds a block whose parent is stored, and moves the head to it if the fork choice says so. */
    public void add(Stored block) {
        if (!blocks.containsKey(block.header().parentHash()))
            throw new IllegalArgumentException("parent of block " + block.hash() + " is not stored");
        blocks.put(block.hash(), block);
        if (block.era().merged() || block.totalDifficulty().compareTo(head.totalDifficulty()) > 0) head = block;
    }

    /** The ancestor of {@code from} (or {@code from} itself) with block number {@code number}, or null. */
    public static Stored ancestor(Stored from, long number) {
        Stored s = from;
        while (s != null && s.header().number() > number) s = s.parent();
        return s != null && s.header().number() == number ? s : null;
    }
}
