package dev.lanes.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.Fork;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EIP-4895 withdrawals as the execution specification's process_withdrawals applies them. */
class WithdrawalsTest {
    private static final Address EMPTY = Address.fromHex("0x00000000000000000000000000000000000000e0");
    private static final Address MISSING = Address.fromHex("0x00000000000000000000000000000000000000e1");
    private static final Address RICH = Address.fromHex("0x00000000000000000000000000000000000000e2");

    private static WorldState run(List<Withdrawal> ws) {
        WorldState s = new WorldState();
        s.put(EMPTY, 0, UInt256.ZERO, new byte[0], Map.of());
        s.put(RICH, 0, UInt256.ONE, new byte[0], Map.of());
        BlockHeader h = new BlockHeader(Hash.ZERO, Hash.EMPTY_LIST, Address.ZERO, Hash.ZERO, Hash.EMPTY_TRIE,
                Hash.EMPTY_TRIE, new byte[256], UInt256.ZERO, 1, 30_000_000, 0, 12, new byte[0], Hash.ZERO, 0,
                UInt256.of(7), Hash.EMPTY_TRIE, null, null, null, null);
        new BlockExecutor(new Evm()).execute(h, Fork.SHANGHAI, List.of(), ws, List.of(), s, new Address[0]);
        return s;
    }

    @Test void zeroWithdrawalsTouchButCreateNothing() {
        WorldState s = run(List.of(new Withdrawal(0, 0, EMPTY, 0), new Withdrawal(1, 0, MISSING, 0), new Withdrawal(2, 0, RICH, 0)));
        assertFalse(s.contains(EMPTY), "an existing empty account touched by a withdrawal is removed");
        assertFalse(s.contains(MISSING), "a zero withdrawal creates no account");
        assertEquals(UInt256.ONE, s.account(RICH).balance());
    }

    @Test void amountsAreUnsignedGwei() {
        WorldState s = run(List.of(new Withdrawal(0, 0, MISSING, -1L)));
        assertTrue(s.contains(MISSING));
        BigInteger maxGwei = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        assertEquals(maxGwei.multiply(BigInteger.TEN.pow(9)), s.account(MISSING).balance().toBigInteger());
    }
}
