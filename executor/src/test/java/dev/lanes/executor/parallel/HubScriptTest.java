package dev.lanes.executor.parallel;

import static dev.lanes.executor.parallel.Contracts.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.Log;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TransactionProcessor;
import dev.lanes.evm.tx.TxResult;
import dev.lanes.evm.tx.TxType;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hub contract of the differential test does what its scripts say. */
class HubScriptTest {
    static final Address HUB_A = RandomBlocks.HUBS[0], HUB_B = RandomBlocks.HUBS[1];
    static final Address SENDER = RandomBlocks.RICH_ADDR[0];
    static final Address EOA = Address.fromHex("0x00000000000000000000000000000000000e0a01");
    static final BlockEnv ENV = new BlockEnv(Address.fromHex("0x00000000000000000000000000000000000c01b0"), 1, 1000,
            30_000_000, UInt256.of(7), UInt256.ZERO, UInt256.ONE, UInt256.ONE);

    private static WorldState state() {
        WorldState s = new WorldState();
        s.put(SENDER, 0, UInt256.of(1_000_000_000_000_000_000L), new byte[0], Map.of());
        s.put(HUB_A, 1, UInt256.of(1_000_000), HUB, Map.of(UInt256.of(5), UInt256.of(40)));
        s.put(HUB_B, 1, UInt256.ZERO, HUB, Map.of());
        s.put(RandomBlocks.KILLERS[0], 1, UInt256.of(77), KILLER, Map.of());
        return s;
    }

    private record Run(TxResult result, WorldState state) {}

    private static Run run(Fork fork, Script script) {
        return run(fork, state(), script);
    }

    private static Run run(Fork fork, WorldState s, Script script) {
        Transaction tx = Transaction.builder(TxType.DYNAMIC_FEE).chainId(1).nonce(s.account(SENDER).nonce())
                .maxFeePerGas(UInt256.of(10)).maxPriorityFeePerGas(UInt256.ONE).gasLimit(2_000_000).to(HUB_A)
                .data(script.bytes()).sign(RandomBlocks.RICH_KEYS[0]);
        TxResult r = TransactionProcessor.execute(new Evm(), tx, SENDER, ENV, s, ForkRules.of(fork), null);
        s.apply(r.changes());
        return new Run(r, s);
    }

    private static UInt256 slot(WorldState s, Address a, long key) {
        return s.storage(a, UInt256.of(key));
    }

    @Test void incrementsAndSetsChosenSlots() {
        Run r = run(Fork.PRAGUE, new Script().inc(5).inc(5).inc(300).set(9, 200));
        assertTrue(r.result.success());
        assertEquals(UInt256.of(42), slot(r.state, HUB_A, 5));
        assertEquals(UInt256.ONE, slot(r.state, HUB_A, 300));
        assertEquals(UInt256.of(200), slot(r.state, HUB_A, 9));
    }

    @Test void revertsKeepGasAndUndoWrites() {
        Run r = run(Fork.PRAGUE, new Script().inc(5).revert());
        assertFalse(r.result.success());
        assertTrue(r.result.gasUsed() < 2_000_000);
        assertEquals(UInt256.of(40), slot(r.state, HUB_A, 5));
        Run oog = run(Fork.PRAGUE, new Script().inc(5).burn());
        assertEquals(2_000_000, oog.result.gasUsed());
        Run invalid = run(Fork.PRAGUE, new Script().invalid());
        assertEquals(2_000_000, invalid.result.gasUsed());
    }

    @Test void logsCarryTheSlotValueAndTopics() {
        Run r = run(Fork.PRAGUE, new Script().log(0, 5).log(4, 5));
        List<Log> logs = r.result.logs();
        assertEquals(2, logs.size());
        assertEquals(0, logs.get(0).topics().size());
        assertEquals(UInt256.of(40), UInt256.fromBytes(logs.get(0).data()));
        assertEquals(List.of(Hash.wrap(UInt256.of(5).toBytes()), Hash.wrap(UInt256.fromBytes(padded(SENDER)).toBytes()),
                Hash.wrap(UInt256.fromBytes(padded(HUB_A)).toBytes()), Hash.ZERO), logs.get(1).topics());
    }

    private static byte[] padded(Address a) {
        byte[] w = new byte[32];
        System.arraycopy(a.unsafeBytes(), 0, w, 12, 20);
        return w;
    }

    @Test void nestedCallsOfEveryKind() {
        byte[] inc7 = new Script().inc(7).bytes();
        Run r = run(Fork.PRAGUE, new Script()
                .call(C_CALL, HUB_B, 1000, 0, CALL_LOG_RESULT, inc7)          // HUB_B.slot7 = 1, 1000 wei to HUB_B
                .call(C_DELEGATECALL, HUB_B, 0, 0, 0, inc7)                   // HUB_A.slot7 = 1
                .call(C_CALLCODE, HUB_B, 0, 0, 0, inc7)                       // HUB_A.slot7 = 2
                .call(C_STATICCALL, HUB_B, 0, 500, CALL_LOG_RESULT, inc7)     // fails: a write in a static call
                .call(C_CALL, EOA, 5, 0, 0, new byte[0])                       // 5 wei to an EOA
                .call(C_CALL, HUB_B, 0, 10, CALL_LOG_RESULT, new Script().burnLoop().bytes())); // 640 gas, out of gas
        assertTrue(r.result.success());
        assertEquals(UInt256.ONE, slot(r.state, HUB_B, 7));
        assertEquals(UInt256.of(2), slot(r.state, HUB_A, 7));
        assertEquals(UInt256.of(1000), r.state.account(HUB_B).balance());
        assertEquals(UInt256.of(5), r.state.account(EOA).balance());
        List<Log> logs = r.result.logs();
        assertEquals(3, logs.size());
        assertEquals(UInt256.ONE, UInt256.fromBytes(logs.get(0).data()));
        assertEquals(UInt256.ZERO, UInt256.fromBytes(logs.get(1).data()));
        assertEquals(UInt256.ZERO, UInt256.fromBytes(logs.get(2).data()));
        Run propagated = run(Fork.PRAGUE, new Script().inc(5).call(C_STATICCALL, HUB_B, 0, 0, CALL_REVERT_ON_FAILURE, inc7));
        assertFalse(propagated.result.success());
    }

    @Test void observesIntoLogsOrSlots() {
        Run r = run(Fork.CANCUN, new Script().balance(HUB_A, 0).selfBalance(1).tstore(2, 99).tload(2, 3).sload(5, 4));
        assertTrue(r.result.success());
        assertEquals(UInt256.of(1_000_000), UInt256.fromBytes(r.result.logs().get(0).data()));
        assertEquals(UInt256.of(1_000_000), slot(r.state, HUB_A, OBSERVED_SLOT_BASE + 1));
        assertEquals(UInt256.of(99), slot(r.state, HUB_A, OBSERVED_SLOT_BASE + 3));
        assertEquals(UInt256.of(40), slot(r.state, HUB_A, OBSERVED_SLOT_BASE + 4));
        Run codes = run(Fork.CANCUN, new Script().extCodeSize(HUB_B, 1).extCodeHash(EOA, 2));
        assertEquals(UInt256.of(HUB.length), slot(codes.state, HUB_A, OBSERVED_SLOT_BASE + 1));
        assertEquals(UInt256.ZERO, slot(codes.state, HUB_A, OBSERVED_SLOT_BASE + 2)); // no such account
    }

    @Test void createsAtPredictedAddressesAndSelfDestructs() {
        byte[] init = deploy(STORE_AND_LOG_PRELUDE, COUNTER);
        Address predicted = Evm.create2Address(HUB_A, UInt256.of(3), init);
        Run r = run(Fork.PRAGUE, new Script().create2(10, CREATE_LOG_ADDRESS | CREATE_THEN_CALL, 3, init));
        assertTrue(r.result.success());
        List<Log> logs = r.result.logs(); // init code's LOG0 of the value, the hub's LOG1 of the address, the counter's LOG0
        assertEquals(3, logs.size());
        assertEquals(UInt256.of(10), UInt256.fromBytes(logs.get(0).data()));
        assertEquals(UInt256.fromBytes(padded(predicted)), UInt256.fromBytes(logs.get(1).data()));
        assertEquals(UInt256.of(2), UInt256.fromBytes(logs.get(2).data()));
        assertEquals(UInt256.of(2), slot(r.state, predicted, 0)); // init code stored 1, the call incremented it
        assertEquals(UInt256.of(10), r.state.account(predicted).balance());
        // the same salt and init code again: the address is taken, so the creation fails (and is logged as zero)
        Run again = run(Fork.PRAGUE, r.state, new Script().create2(0, CREATE_LOG_ADDRESS, 3, init));
        assertEquals(UInt256.ZERO, UInt256.fromBytes(again.result.logs().getLast().data()));
        Run plain = run(Fork.PRAGUE, new Script().create(0, CREATE_LOG_ADDRESS, INIT_REVERT).create(0, CREATE_LOG_ADDRESS, init));
        assertEquals(UInt256.ZERO, UInt256.fromBytes(plain.result.logs().get(0).data()));
        assertEquals(UInt256.fromBytes(padded(Evm.createAddress(HUB_A, 2))), UInt256.fromBytes(plain.result.logs().get(2).data()));
    }

    @Test void selfDestructsFollowTheFork() {
        byte[] init = deploy(NO_PRELUDE, KILLER);
        // created and destroyed in the same transaction: gone under every fork
        Run same = run(Fork.PRAGUE, new Script().create2(0, CREATE_THEN_CALL, 1, init));
        assertNull(same.state.account(Evm.create2Address(HUB_A, UInt256.ONE, init)));
        // a pre-existing contract: deleted before Cancun, only emptied after
        Run before = run(Fork.SHANGHAI, new Script().call(C_CALL, RandomBlocks.KILLERS[0], 0, 0, 0, new byte[0]));
        assertNull(before.state.account(RandomBlocks.KILLERS[0]));
        Run after = run(Fork.CANCUN, new Script().call(C_CALL, RandomBlocks.KILLERS[0], 0, 0, 0, new byte[0]));
        assertEquals(UInt256.ZERO, after.state.account(RandomBlocks.KILLERS[0]).balance());
        assertEquals(UInt256.of(1_000_077), after.state.account(HUB_A).balance());
    }
}
