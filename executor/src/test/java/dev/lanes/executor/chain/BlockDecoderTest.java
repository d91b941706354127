package dev.lanes.executor.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.BlockRlp;
import dev.lanes.executor.Withdrawal;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockDecoderTest {
    private static final byte[] KEY = new byte[32];

    static {
        KEY[31] = 7;
    }

    private static BlockHeader header(Hash withdrawalsRoot) {
        return new BlockHeader(Hash.ZERO, Hash.EMPTY_LIST, Address.ZERO, Hash.ZERO, Hash.EMPTY_TRIE, Hash.EMPTY_TRIE,
                new byte[256], UInt256.ZERO, 3, 30_000_000, 0, 99, new byte[] {1, 2}, Hash.ZERO, 0, UInt256.of(7),
                withdrawalsRoot, null, null, null, null);
    }

    private static byte[] sample() {
        Transaction legacy = Transaction.builder(TxType.LEGACY).nonce(0).gasPrice(UInt256.of(10)).gasLimit(21_000)
                .to(Address.ZERO).value(UInt256.ONE).data(new byte[0]).sign(KEY);
        Transaction typed = Transaction.builder(TxType.DYNAMIC_FEE).chainId(1).nonce(1).maxFeePerGas(UInt256.of(10))
                .maxPriorityFeePerGas(UInt256.ONE).gasLimit(21_000).to(Address.ZERO).value(UInt256.ONE)
                .data(new byte[0]).accessList(List.of()).sign(KEY);
        return BlockRlp.encode(header(Hash.EMPTY_TRIE), List.of(legacy, typed), List.of(header(null)),
                List.of(new Withdrawal(1, 2, Address.ZERO, -1L)));
    }

    @Test void roundTrip() {
        byte[] rlp = sample();
        BlockDecoder.Block b = BlockDecoder.decode(rlp);
        assertEquals(header(Hash.EMPTY_TRIE), b.header());
        assertEquals(b.header().hash(), b.hash());
        assertEquals(2, b.transactions().size());
        assertEquals(TxType.DYNAMIC_FEE, b.transactions().get(1).type());
        assertEquals(List.of(header(null)), b.ommers());
        assertEquals(header(null).hash(), b.ommerHashes().get(0));
        assertEquals(-1L, b.withdrawals().get(0).amountGwei(), "amounts are unsigned 64-bit");
        assertEquals(rlp.length, b.size());
        assertTrue(Arrays.equals(rlp, BlockRlp.encode(b.header(), b.transactions(), b.ommers(), b.withdrawals())));

        byte[] noWithdrawals = BlockRlp.encode(header(null), List.of(), List.of(), null);
        assertNull(BlockDecoder.decode(noWithdrawals).withdrawals());
    }

    @Test void malformedInputNamesThePart() {
        byte[] rlp = sample();
        var e = assertThrows(BlockDecoder.MalformedBlockException.class, () -> BlockDecoder.decode(Arrays.copyOf(rlp, rlp.length - 1)));
        assertTrue(e.getMessage().startsWith("malformed block RLP"), e.getMessage());
        assertThrows(BlockDecoder.MalformedBlockException.class, () -> BlockDecoder.decode(new byte[0]));
        assertThrows(BlockDecoder.MalformedBlockException.class, () -> BlockDecoder.decode(new byte[] {(byte) 0xc0}));
        byte[] trailing = Arrays.copyOf(rlp, rlp.length + 1);
        assertThrows(BlockDecoder.MalformedBlockException.class, () -> BlockDecoder.decode(trailing));
    }

    /** Any corruption of a valid block either decodes or fails with the decoder's own exception, never another. */
    @Test void corruptedBlocksNeverCrash() {
        byte[] rlp = sample();
        Random rnd = new Random(42);
        for (int i = 0; i < 5000; i++) {
            byte[] bad = rlp.clone();
            int flips = 1 + rnd.nextInt(3);
            for (int f = 0; f < flips; f++) bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
            if (rnd.nextBoolean()) bad = Arrays.copyOf(bad, rnd.nextInt(bad.length) + 1);
            try {
                BlockDecoder.decode(bad);
            } catch (BlockDecoder.MalformedBlockException expected) {
                // the only failure allowed
            }
        }
    }
}
