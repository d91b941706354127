package dev.lanes.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lanes.evm.Fork;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.RlpWriter;
import dev.lanes.state.WorldState;
import dev.lanes.state.trie.TrieRoot;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Block rewards with uncle headers, and pre-Byzantium receipts with intermediate state roots. */
class BlockRewardTest {
    private static final Address MINER = Address.fromHex("0x00000000000000000000000000000000000000aa");
    private static final Address UNCLE1 = Address.fromHex("0x00000000000000000000000000000000000000b1");
    private static final Address UNCLE2 = Address.fromHex("0x00000000000000000000000000000000000000b2");
    private static final BigInteger ETH = BigInteger.TEN.pow(18);

    private static BlockHeader header(long number, Address coinbase) {
        return new BlockHeader(Hash.ZERO, Hash.EMPTY_LIST, coinbase, Hash.ZERO, Hash.EMPTY_TRIE, Hash.EMPTY_TRIE,
                new byte[256], UInt256.of(131_072), number, 10_000_000, 0, 1000 + number, new byte[0], Hash.ZERO, 0,
                null, null, null, null, null, null);
    }

    private static BigInteger balance(WorldState s, Address a) {
        return s.account(a).balance().toBigInteger();
    }

    @Test void unclesAndTheirMinersArePaid() {
        WorldState state = new WorldState();
        BlockHeader block = header(10, MINER);
        // Byzantium: 3 ETH. Miner: 3 + 2 * 3/32. Uncle at 9: 3 * 7/8; uncle at 4: 3 * 2/8.
        new BlockExecutor(new Evm()).execute(block, Fork.BYZANTIUM, List.of(), List.of(),
                List.of(header(9, UNCLE1), header(4, UNCLE2)), state, new Address[0]);
        BigInteger r = ETH.multiply(BigInteger.valueOf(3));
        assertEquals(r.add(r.divide(BigInteger.valueOf(32)).multiply(BigInteger.TWO)), balance(state, MINER));
        assertEquals(r.multiply(BigInteger.valueOf(7)).divide(BigInteger.valueOf(8)), balance(state, UNCLE1));
        assertEquals(r.multiply(BigInteger.TWO).divide(BigInteger.valueOf(8)), balance(state, UNCLE2));
    }

    @Test void frontierReceiptsCarryTheStateRootAfterEachTransaction() {
        byte[] key = new byte[32];
        key[31] = 1;
        Transaction tx = Transaction.builder(TxType.LEGACY).nonce(0).gasPrice(UInt256.of(10)).gasLimit(21_000)
                .to(Address.fromHex("0x00000000000000000000000000000000000000cc")).value(UInt256.of(5)).data(new byte[0])
                .sign(key);
        WorldState state = new WorldState();
        state.put(tx.sender(), 0, UInt256.of(1_000_000_000L), new byte[0], Map.of());
        BlockHeader block = header(1, MINER);

        WorldState plain = state.copy();
        BlockExecutor.Result without = new BlockExecutor(new Evm()).execute(block, Fork.FRONTIER, List.of(tx), List.of(),
                List.of(), plain, new Address[] {tx.sender()});
        assertNull(without.receiptsRoot(), "without intermediate roots a pre-Byzantium receipts root is unknown");

        // The root after the one transaction is the state before the block reward is paid.
        WorldState expectedAfterTx = state.copy();
        expectedAfterTx.put(tx.sender(), 1, UInt256.of(1_000_000_000L - 5 - 210_000), new byte[0], Map.of());
        expectedAfterTx.put(Address.fromHex("0x00000000000000000000000000000000000000cc"), 0, UInt256.of(5), new byte[0], Map.of());
        expectedAfterTx.put(MINER, 0, UInt256.of(210_000), new byte[0], Map.of());
        BlockExecutor.Result with = new BlockExecutor(new Evm()).intermediateStateRoots(true).execute(block, Fork.FRONTIER,
                List.of(tx), List.of(), List.of(), state, new Address[] {tx.sender()});
        assertNotNull(with.receiptsRoot());
        Receipt rc = with.receipts().get(0);
        assertEquals(expectedAfterTx.stateRoot(), rc.postState());
        RlpWriter w = new RlpWriter().startList().writeBytes(expectedAfterTx.stateRoot().unsafeBytes()).writeLong(21_000)
                .writeBytes(new byte[256]).startList().endList().endList();
        assertEquals(TrieRoot.ordered(List.of(w.toByteArray())), with.receiptsRoot());
    }
}
