package dev.lanes.executor.parallel;

import static dev.lanes.executor.parallel.Contracts.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.lanes.evm.AccountChange;
import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.Code;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.StateReader;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TransactionProcessor;
import dev.lanes.evm.tx.TxResult;
import dev.lanes.evm.tx.TxType;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The journal's write sets for slots a transaction only added to (the hub's INC and SUB: SLOAD, ADD, SSTORE back),
 * against a reader that versions storage: a delta exactly when the slot was touched in no other way, the same write
 * set as before otherwise, and the same result as on a plain reader.
 */
class StorageDeltaJournalTest {
    private static final Address HUB_A = HubScriptTest.HUB_A, HUB_B = HubScriptTest.HUB_B, SENDER = HubScriptTest.SENDER;

    /** A reader over {@code s} that asks for storage deltas, counting the reads made for an add. */
    private static final class Deltas implements StateReader {
        final WorldState s;
        int forAdd;

        Deltas(WorldState s) {
            this.s = s;
        }

        @Override public AccountInfo account(Address a) { return s.account(a); }
        @Override public byte[] code(Hash h) { return s.code(h); }
        @Override public UInt256 storage(Address a, UInt256 key) { return s.storage(a, key); }
        @Override public Hash blockHash(long n) { return s.blockHash(n); }
        @Override public boolean storageDeltas() { return true; }
        @Override public UInt256 storageForAdd(Address a, UInt256 key) {
            forAdd++;
            return s.storage(a, key);
        }
    }

    private static WorldState state() {
        WorldState s = new WorldState();
        s.put(SENDER, 0, UInt256.of(1_000_000_000_000_000_000L), new byte[0], Map.of());
        s.put(HUB_A, 1, UInt256.of(1_000_000), HUB, Map.of(UInt256.of(5), UInt256.of(40), UInt256.of(6), UInt256.ONE));
        s.put(HUB_B, 1, UInt256.ZERO, HUB, Map.of(UInt256.ONE, UInt256.ONE)); // some storage: its slots are read
        return s;
    }

    private static TxResult run(StateReader r, Script script) {
        return run(r, HUB_A, script.bytes());
    }

    private static TxResult run(StateReader r, Address to, byte[] data) {
        Transaction tx = Transaction.builder(TxType.DYNAMIC_FEE).chainId(1).nonce(0)
                .maxFeePerGas(UInt256.of(10)).maxPriorityFeePerGas(UInt256.ONE).gasLimit(2_000_000).to(to)
                .data(data).sign(RandomBlocks.RICH_KEYS[0]);
        return TransactionProcessor.execute(new Evm(), tx, SENDER, HubScriptTest.ENV, r, ForkRules.of(Fork.PRAGUE), null);
    }

    private static Map<UInt256, UInt256> added(TxResult r, Address a) {
        for (AccountChange c : r.changes()) if (c.address().equals(a)) return c.storageAdded();
        return null;
    }

    /** Runs on a plain reader and on a delta reader; checks both give the same outcome; returns the delta run. */
    private static TxResult both(Script script) {
        TxResult plain = run(state(), script);
        Deltas d = new Deltas(state());
        TxResult deltas = run(d, script);
        assertEquals(plain.success(), deltas.success());
        assertEquals(plain.gasUsed(), deltas.gasUsed());
        assertEquals(plain.logs().size(), deltas.logs().size());
        for (int i = 0; i < plain.logs().size(); i++) {
            assertEquals(plain.logs().get(i).topics(), deltas.logs().get(i).topics());
            assertArrayEquals(plain.logs().get(i).data(), deltas.logs().get(i).data());
        }
        for (AccountChange c : plain.changes()) assertNull(c.storageAdded(), "a plain reader gets no deltas");
        WorldState a = state(), b = state();
        a.apply(plain.changes());
        b.apply(deltas.changes());
        assertEquals(a.stateRoot(), b.stateRoot());
        return deltas;
    }

    @Test void hubCodeHasBothShapes() {
        Code c = Code.analyze(null, HUB);
        int loads = 0, stores = 0;
        for (int pc = 0; pc < HUB.length; pc++) {
            if (c.sloadAdds(pc)) loads++;
            if (c.sstoreAdds(pc)) stores++;
        }
        assertEquals(4, loads, "INC, SUB, SAFE_ADD, CHECKED_ADD");
        assertEquals(4, stores);
    }

    @Test void anAddAloneIsADelta() {
        TxResult r = both(new Script().inc(5).sub(6, 3).inc(7));
        assertTrue(r.success());
        Map<UInt256, UInt256> added = added(r, HUB_A);
        assertEquals(Map.of(UInt256.of(5), UInt256.ONE, UInt256.of(6), UInt256.ZERO.sub(UInt256.of(3)), UInt256.of(7), UInt256.ONE), added);
    }

    @Test void checkedAddsAreDeltasUnlessTheyOverflow() {
        TxResult r = both(new Script().safeAdd(5, 3).checkedAdd(6, 2));
        assertTrue(r.success());
        assertEquals(Map.of(UInt256.of(5), UInt256.of(3), UInt256.of(6), UInt256.of(2)), added(r, HUB_A));
        // slot 9 wraps to 2^256 - 1 (a delta), then the checked add overflows and the transaction reverts
        TxResult over = both(new Script().sub(9, 1).safeAdd(9, 1));
        assertFalse(over.success());
        TxResult over2 = both(new Script().sub(9, 1).checkedAdd(9, 2));
        assertFalse(over2.success());
        // a checked add of a slot read before it: an ordinary write
        assertNull(added(both(new Script().sload(5, 0).safeAdd(5, 1)), HUB_A));
    }

    @Test void anyOtherUseMakesItAnOrdinaryWrite() {
        // read again, added twice, set after, read before, logged (LOG reads the slot), added then reverted
        assertNull(added(both(new Script().inc(5).sload(5, 0)), HUB_A));
        assertNull(added(both(new Script().inc(5).inc(5)), HUB_A));
        assertNull(added(both(new Script().inc(5).set(5, 9)), HUB_A));
        assertNull(added(both(new Script().sload(5, 0).inc(5)), HUB_A));
        assertNull(added(both(new Script().inc(5).log(0, 5)), HUB_A));
        assertNull(added(both(new Script().inc(5).revert()), HUB_A));
        // only the slot touched otherwise loses its delta
        assertEquals(Map.of(UInt256.of(6), UInt256.ONE), added(both(new Script().inc(5).inc(6).sload(5, 0)), HUB_A));
    }

    @Test void anAddInACallThatRevertsIsNotADelta() {
        byte[] inner = new Script().inc(8).revert().bytes();
        TxResult r = both(new Script().inc(6).call(C_CALL, HUB_A, 0, 0, 0, inner));
        assertEquals(Map.of(UInt256.of(6), UInt256.ONE), added(r, HUB_A));
        // the same slot added in a nested frame that returns: a delta of the slot's one touch
        byte[] innerOk = new Script().inc(8).bytes();
        TxResult ok = both(new Script().inc(6).call(C_CALL, HUB_B, 0, 0, 0, innerOk));
        assertEquals(Map.of(UInt256.of(8), UInt256.ONE), added(ok, HUB_B));
    }

    /** Code that loads slot 7, adds 5 and stores the sum to slot {@code to} (a pair for the analysis, whatever the key). */
    private static final Address MOVER = Address.fromHex("0x00000000000000000000000000000000000a0d01");

    private static TxResult mover(StateReader r) {
        return run(r, MOVER, new byte[0]);
    }

    private static WorldState moverState(int to) {
        WorldState s = state();
        byte[] code = {(byte) 0x60, 7, (byte) 0x54, (byte) 0x60, 5, 0x01, (byte) 0x60, (byte) to, (byte) 0x55, 0x00};
        assertTrue(Code.analyze(null, code).sloadAdds(2), "the analysis pairs it");
        s.put(MOVER, 1, UInt256.ZERO, code, Map.of(UInt256.of(7), UInt256.of(40), UInt256.of(8), UInt256.of(3)));
        return s;
    }

    @Test void aSumStoredToAnotherSlotIsAnOrdinaryWrite() {
        TxResult plain = mover(moverState(8)), deltas = mover(new Deltas(moverState(8)));
        assertEquals(plain.gasUsed(), deltas.gasUsed());
        assertNull(added(deltas, MOVER), "the slot stored is not the slot loaded");
        WorldState a = moverState(8), b = moverState(8);
        a.apply(plain.changes());
        b.apply(deltas.changes());
        assertEquals(UInt256.of(45), b.storage(MOVER, UInt256.of(8)));
        assertEquals(a.stateRoot(), b.stateRoot());
        // to the slot it loaded: a delta
        assertEquals(Map.of(UInt256.of(7), UInt256.of(5)), added(mover(new Deltas(moverState(7))), MOVER));
    }

    @Test void theReadForAnAddGoesThroughItsOwnMethod() {
        Deltas d = new Deltas(state());
        run(d, new Script().inc(5).sload(6, 0).sub(6, 1));
        assertEquals(1, d.forAdd, "slot 5 only: slot 6 was read first");
    }
}
