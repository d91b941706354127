package dev.lanes.node;

import static dev.lanes.node.TestTxs.GWEI;
import static dev.lanes.node.TestTxs.address;
import static dev.lanes.node.TestTxs.transfer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lanes.evm.tx.Transaction;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.BlockRlp;
import dev.lanes.executor.Receipt;
import dev.lanes.executor.Requests;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import dev.lanes.state.trie.TrieRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChainTest {
    private final BlockExecutor executor = new BlockExecutor(1).chainId(TestTxs.CHAIN_ID);
    private final NodeConfig config = NodeConfig.defaults().withMining(true, null);
    private final Chain chain = new Chain(config, new MemoryChainStore(4), executor, TestTxs.ACCOUNTS, 1_000);

    @AfterEach void close() {
        executor.close();
    }

    @Test void genesisHoldsTheDevAccounts() {
        Block g = chain.head();
        assertEquals(0, g.number());
        assertEquals(UInt256.of(1_000_000_000L), g.header().baseFeePerGas());
        WorldState expected = new WorldState();
        for (var a : TestTxs.ACCOUNTS) expected.put(a.address(), 0, Chain.DEV_BALANCE, Bytes.EMPTY, Map.of());
        assertEquals(expected.stateRoot(), g.header().stateRoot());
        assertEquals(Keccak.hashOf(g.header().rlp()), g.hash());
    }

    @Test void blockHeaderFieldsAreConsistent() {
        Block g = chain.head();
        UInt256 value = UInt256.of(123_456_789);
        Transaction tx = transfer(0, 1, 0, 10, 2, value);
        Block b = chain.mine(List.of(tx), 999).block(); // a timestamp before the parent's is moved past it
        BlockHeader h = b.header();
        assertEquals(1, h.number());
        assertEquals(g.hash(), h.parentHash());
        assertEquals(1_001, h.timestamp());
        assertEquals(Keccak.hashOf(h.rlp()), b.hash());
        assertEquals(21_000, h.gasUsed());
        assertEquals(config.gasLimit(), h.gasLimit());
        assertEquals(Chain.nextBaseFee(g.header()), h.baseFeePerGas());
        assertEquals(UInt256.of(875_000_000L), h.baseFeePerGas()); // empty parent: -12.5%
        assertEquals(TrieRoot.ordered(List.of(tx.encoded())), h.transactionsRoot());
        Receipt r = b.receipts().getFirst();
        assertEquals(1, r.status());
        assertEquals(TrieRoot.ordered(List.of(r.encoded())), h.receiptsRoot());
        assertEquals(Hash.EMPTY_TRIE, h.withdrawalsRoot());
        assertEquals(0L, h.blobGasUsed());
        assertEquals(0L, h.excessBlobGas());
        assertEquals(Hash.ZERO, h.parentBeaconBlockRoot());
        assertEquals(Requests.hash(), h.requestsHash());
        assertEquals(BlockRlp.encode(h, List.of(tx), List.of(), List.of()).length, b.size());

        // The state root is that of a fresh state holding what the transfer should have left.
        UInt256 base = h.baseFeePerGas(), price = base.add(GWEI.mul(2));
        WorldState expected = new WorldState();
        for (int i = 2; i < 10; i++) expected.put(address(i), 0, Chain.DEV_BALANCE, Bytes.EMPTY, Map.of());
        expected.put(address(0), 1, Chain.DEV_BALANCE.sub(value).sub(price.mul(21_000)), Bytes.EMPTY, Map.of());
        expected.put(address(1), 0, Chain.DEV_BALANCE.add(value), Bytes.EMPTY, Map.of());
        expected.put(Address.ZERO, 0, GWEI.mul(2).mul(21_000), Bytes.EMPTY, Map.of()); // the tip to the coinbase
        assertEquals(expected.stateRoot(), h.stateRoot());
        assertEquals(expected.stateRoot(), chain.store().state(1).stateRoot());
    }

    @Test void baseFeeRisesAfterAFullBlock() {
        BlockHeader parent = chain.head().header();
        BlockHeader full = new BlockHeader(parent.parentHash(), parent.ommersHash(), parent.coinbase(), parent.stateRoot(),
                parent.transactionsRoot(), parent.receiptsRoot(), parent.logsBloom(), parent.difficulty(), 0,
                parent.gasLimit(), parent.gasLimit(), 0, Bytes.EMPTY, Hash.ZERO, 0, UInt256.of(1_000_000_000L),
                null, null, null, null, null);
        assertEquals(UInt256.of(1_125_000_000L), Chain.nextBaseFee(full));
    }

    @Test void aTransactionThatCanNoLongerPayIsLeftOutWithItsSendersLaterOnes() {
        // Account 3 sends almost everything, so its next transfer cannot pay; account 2's transfer is unaffected.
        UInt256 most = Chain.DEV_BALANCE.sub(GWEI.mul(1_000_000L)); // leaves 0.001 ether
        List<Transaction> txs = new ArrayList<>(List.of(transfer(3, 1, 0, 10, 1, most), transfer(3, 1, 1, 10, 1, most),
                transfer(3, 1, 2), transfer(2, 1, 0)));
        Chain.Sealed s = chain.mine(txs, 2_000);
        assertEquals(List.of(txs.get(0), txs.get(3)), s.block().transactions());
        assertEquals(List.of(txs.get(1)), s.rejected());
    }

    @Test void blockStmBuildsTheSameBlockAsSequentialExecution() {
        // Ten senders, four transfers each, some to the same recipients: Block-STM (forced, not adaptive) on four
        // threads must seal exactly the block the sequential path seals.
        List<Transaction> txs = new ArrayList<>();
        for (int n = 0; n < 4; n++) for (int from = 0; from < 10; from++) txs.add(transfer(from, (from + n + 1) % 10, n));
        try (BlockExecutor parallel = new BlockExecutor(4).chainId(TestTxs.CHAIN_ID).adaptive(false)) {
            Chain other = new Chain(config, new MemoryChainStore(4), parallel, TestTxs.ACCOUNTS, 1_000);
            Block seq = chain.mine(txs, 2_000).block(), par = other.mine(txs, 2_000).block();
            assertEquals(40, seq.transactions().size());
            assertEquals(seq.header(), par.header());
            assertEquals(seq.hash(), par.hash());
            assertNotNull(parallel.lastStats(), "the block ran on Block-STM");
        }
    }

    @Test void oldStatesAreDroppedButGenesisStays() {
        for (int i = 0; i < 6; i++) chain.mine(List.of(), 2_000 + i);
        assertNotNull(chain.store().state(0));
        assertNull(chain.store().state(1));
        assertNotNull(chain.store().state(6));
        assertNotNull(chain.store().state(3));
        chain.store().truncate(4);
        assertEquals(4, chain.head().number());
        assertArrayEquals(chain.head().hash().toArray(), chain.store().byNumber(4).hash().toArray());
    }
}
