package dev.lanes.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.Fork;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.crypto.Secp256k1;
import dev.lanes.state.WorldState;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The block's blob gas is checked before each transaction, as the specification's {@code check_transaction}
 * does: a transaction whose blobs do not fit in what the block has left is the invalid one, named with its
 * index, before its nonce or anything else about it is looked at.
 */
class BlockBlobGasTest {
    private static final byte[] KEY = Hex.decode("4646464646464646464646464646464646464646464646464646464646464646");
    private static final Address SENDER = Secp256k1.addressFromPrivate(KEY);
    private static final Hash BLOB_HASH = Hash.fromHex("0x01" + "ab".repeat(31));

    private static Transaction blobTx(long nonce, int blobs) {
        return Transaction.builder(TxType.BLOB).chainId(1).nonce(nonce).gasLimit(21_000).to(Address.ofLow(0x1234))
                .maxFeePerGas(UInt256.of(100)).maxPriorityFeePerGas(UInt256.ONE).maxFeePerBlobGas(UInt256.of(100))
                .blobVersionedHashes(Collections.nCopies(blobs, BLOB_HASH)).sign(KEY);
    }

    private static BlockExecutor.Result run(List<Transaction> txs) {
        WorldState s = new WorldState();
        s.put(SENDER, 0, UInt256.of(1L << 60), new byte[0], Map.of());
        BlockHeader h = new BlockHeader(Hash.ZERO, Hash.EMPTY_LIST, Address.ZERO, Hash.ZERO, Hash.EMPTY_TRIE,
                Hash.EMPTY_TRIE, new byte[256], UInt256.ZERO, 1, 30_000_000, 0, 12, new byte[0], Hash.ZERO, 0,
                UInt256.of(7), Hash.EMPTY_TRIE, 0L, 0L, Hash.ZERO, null);
        Address[] senders = new Address[txs.size()];
        java.util.Arrays.fill(senders, SENDER);
        return new BlockExecutor(new Evm()).execute(h, Fork.CANCUN, txs, List.of(), List.of(), s, senders);
    }

    @Test void theTransactionOverTheBlocksBlobGasIsRejected() {
        // Cancun: at most 6 blobs (786,432 blob gas) per block. 4 + 2 fit exactly.
        BlockExecutor.Result ok = run(List.of(blobTx(0, 4), blobTx(1, 2)));
        assertTrue(ok.valid(), ok.invalidReason());
        assertEquals(6 * 131_072, ok.blobGasUsed());
        // 4 + 3 do not: the second transaction is rejected for the blob gas although its nonce is also wrong.
        BlockExecutor.Result r = run(List.of(blobTx(0, 4), blobTx(7, 3)));
        assertEquals(1, r.invalidTx());
        assertEquals("blob gas 393216 exceeds the block's remaining blob gas 262144", r.invalidReason());
    }
}
