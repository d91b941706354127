package dev.lanes.node;

import dev.lanes.evm.tx.Transaction;
import dev.lanes.primitives.Hash;
import dev.lanes.state.WorldState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The chain in memory. Every block keeps its own post-state snapshot (a {@link WorldState#copy()} made when the
 * block was built) for the last {@code stateHistory} blocks, plus the genesis state for {@code earliest}; older
 * snapshots are dropped. Snapshots were chosen over an undo log because they make a historical read as fast as a
 * current one and need no change to the state module beyond {@code copy()}; the price is a copy of the whole
 * state per block, which is small on a development chain and is what a persistent store will replace.
 */
public final class MemoryChainStore implements ChainStore {
    private final int stateHistory;
    private final List<Block> blocks = new ArrayList<>();
    private final HashMap<Hash, Block> byHash = new HashMap<>();
    private final HashMap<Hash, Block.TxLocation> txIndex = new HashMap<>();
    private final HashMap<Long, WorldState> states = new HashMap<>();

    public MemoryChainStore(int stateHistory) {
        if (stateHistory < 1) throw new IllegalArgumentException("stateHistory must be at least 1");
        this.stateHistory = stateHistory;
    }

    @Override public void append(Block block, WorldState postState, WorldState.Touched touched) {
        long expected = blocks.size();
        if (block.number() != expected)
            throw new IllegalArgumentException("block " + block.number() + " does not follow head " + (expected - 1));
        if (expected > 0 && !block.header().parentHash().equals(head().hash()))
            throw new IllegalArgumentException("block " + block.number() + " does not point at the head's hash");
        blocks.add(block);
        byHash.put(block.hash(), block);
        List<Transaction> txs = block.transactions();
        for (int i = 0; i < txs.size(); i++) txIndex.put(txs.get(i).hash(), new Block.TxLocation(block.number(), i));
        states.put(block.number(), postState);
        long drop = block.number() - stateHistory;
        if (drop > 0) states.remove(drop); // genesis (0) stays for "earliest"
    }

    @Override public Block head() {
        return blocks.isEmpty() ? null : blocks.getLast();
    }

    @Override public Block byNumber(long number) {
        return number < 0 || number >= blocks.size() ? null : blocks.get((int) number);
    }

    @Override public Block byHash(Hash hash) {
        return byHash.get(hash);
    }

    @Override public Block.TxLocation transaction(Hash txHash) {
        return txIndex.get(txHash);
    }

    @Override public WorldState state(long number) {
        return states.get(number);
    }

    @Override public void truncate(long number) {
        while (blocks.size() - 1 > number && blocks.size() > 1) {
            Block b = blocks.removeLast();
            byHash.remove(b.hash());
            for (Transaction tx : b.transactions()) txIndex.remove(tx.hash());
            states.remove(b.number());
        }
    }
}
