package dev.lanes.node;

import static dev.lanes.node.TestTxs.GWEI;
import static dev.lanes.node.TestTxs.address;
import static dev.lanes.node.TestTxs.transfer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.Fork;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TxPoolTest {
    private final WorldState state = new WorldState();
    private final TxPool pool = new TxPool(TestTxs.CHAIN_ID, Fork.OSAKA, 100);
    private final UInt256 baseFee = GWEI;

    TxPoolTest() {
        for (int i = 0; i < 4; i++) state.put(address(i), 0, UInt256.of(10).mul(GWEI).mul(GWEI), Bytes.EMPTY, Map.of());
        state.put(address(4), 0, UInt256.of(1000), Bytes.EMPTY, Map.of()); // too poor to pay for gas
        state.put(address(5), 3, UInt256.of(10).mul(GWEI).mul(GWEI), Bytes.EMPTY, Map.of()); // nonce 3
    }

    private String rejection(Transaction tx) {
        return assertThrows(TxPool.Rejected.class, () -> pool.add(tx, state, baseFee, 30_000_000)).getMessage();
    }

    private void add(Transaction tx) {
        pool.add(tx, state, baseFee, 30_000_000);
    }

    @Test void rejectsWithGethsMessages() {
        add(transfer(0, 1, 0));
        assertEquals("already known", rejection(transfer(0, 1, 0)));
        assertTrue(rejection(transfer(5, 1, 2)).startsWith("nonce too low: next nonce 3, tx nonce 2"));
        assertTrue(rejection(transfer(4, 1, 0)).startsWith("insufficient funds for gas * price + value"));
        assertTrue(rejection(transfer(1, 2, 0, 0, 0, UInt256.ZERO)).startsWith("max fee per gas less than block base fee"));
        Transaction lowGas = Transaction.builder(TxType.DYNAMIC_FEE).chainId(TestTxs.CHAIN_ID).gasLimit(20_000)
                .maxFeePerGas(GWEI.mul(10)).to(address(1)).sign(TestTxs.ACCOUNTS.get(1).privateKey());
        assertEquals("intrinsic gas too low: gas 20000, minimum needed 21000", rejection(lowGas));
        Transaction otherChain = Transaction.builder(TxType.DYNAMIC_FEE).chainId(1).gasLimit(21_000)
                .maxFeePerGas(GWEI.mul(10)).to(address(1)).sign(TestTxs.ACCOUNTS.get(1).privateKey());
        assertEquals("invalid chain id for signer: have 1 want 31337", rejection(otherChain));
        Transaction huge = Transaction.builder(TxType.DYNAMIC_FEE).chainId(TestTxs.CHAIN_ID).gasLimit(40_000_000)
                .maxFeePerGas(GWEI.mul(10)).to(address(1)).sign(TestTxs.ACCOUNTS.get(1).privateKey());
        assertEquals("exceeds block gas limit", rejection(huge));
        assertEquals(1, pool.size());
    }

    @Test void replacementNeedsTenPercentMoreFeeCapAndTip() {
        add(transfer(0, 1, 0, 10, 1, UInt256.ONE));
        assertEquals("replacement transaction underpriced", rejection(transfer(0, 1, 0, 10, 2, UInt256.ONE)));
        assertEquals("replacement transaction underpriced", rejection(transfer(0, 1, 0, 20, 1, UInt256.ONE)));
        Transaction better = transfer(0, 1, 0, 11, 2, UInt256.ONE);
        add(better);
        assertEquals(1, pool.size());
        assertEquals(List.of(better), pool.pending(state, baseFee));
    }

    @Test void heldNonceGapsAndTipOrderRespectingNonces() {
        add(transfer(0, 1, 1, 10, 5, UInt256.ONE)); // gap: nonce 0 missing
        assertEquals(List.of(), pool.pending(state, baseFee));
        assertEquals(0, pool.nextNonce(address(0), state));
        Transaction a0 = transfer(0, 1, 0, 10, 1, UInt256.ONE);
        add(a0);
        assertEquals(2, pool.nextNonce(address(0), state));
        Transaction b0 = transfer(2, 1, 0, 10, 3, UInt256.ONE);
        add(b0);
        List<Transaction> p = pool.pending(state, baseFee);
        // Sender 2 pays the higher head tip (3 > 1); sender 0's tip-5 transaction must still wait for its nonce 0.
        assertEquals(List.of(b0, a0, pool.get(transfer(0, 1, 1, 10, 5, UInt256.ONE).hash())), p);
    }

    @Test void pruneForgetsIncludedNoncesAndDropRemovesTheTail() {
        add(transfer(0, 1, 0));
        add(transfer(0, 1, 1));
        add(transfer(0, 1, 2));
        state.put(address(0), 1, UInt256.of(10).mul(GWEI).mul(GWEI), Bytes.EMPTY, Map.of());
        pool.prune(state);
        assertEquals(2, pool.size());
        pool.drop(transfer(0, 1, 1));
        assertEquals(0, pool.size());
    }
}
