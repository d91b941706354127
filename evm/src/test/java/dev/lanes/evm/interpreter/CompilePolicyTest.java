package dev.lanes.evm.interpreter;

import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.CallResult;
import dev.lanes.evm.Code;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.Journal;
import dev.lanes.evm.StateReader;
import dev.lanes.evm.Status;
import dev.lanes.evm.TxEnv;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When code gets compiled (the policy in {@link Compiler#worthCompiling} and the thresholds), and that it then runs compiled correctly. */
class CompilePolicyTest {
    private static final StateReader EMPTY = new StateReader() {
        @Override public AccountInfo account(Address address) { return null; }
        @Override public byte[] code(Hash codeHash) { throw new IllegalStateException(); }
        @Override public UInt256 storage(Address address, UInt256 key) { return UInt256.ZERO; }
        @Override public Hash blockHash(long number) { return Hash.ZERO; }
    };
    private static final ForkRules RULES = ForkRules.of(Fork.CANCUN);

    private static CallResult run(Code code, long gas) {
        Evm evm = new Evm();
        evm.reset(RULES, new Journal(EMPTY, RULES), new BlockEnv(Address.ZERO, 1, 1, 30_000_000, UInt256.ONE,
                UInt256.ZERO, UInt256.ONE, UInt256.ONE), new TxEnv(Address.ZERO, UInt256.ONE, List.of()), null);
        return evm.runCode(code, Address.ZERO, Address.ZERO, UInt256.ZERO, new byte[0], gas);
    }

    private static Code code(String hex) {
        byte[] b = Hex.decode(hex);
        return Code.analyze(Keccak.hashOf(b), b);
    }

    /** A loop counting n down to zero, then returning the counter (zero) as 32 bytes. */
    private static String loop(int n) {
        // PUSH3 n; JUMPDEST(4); PUSH1 1; SWAP1; SUB; DUP1; PUSH1 4; JUMPI; PUSH1 0; MSTORE; PUSH1 32; PUSH1 0; RETURN
        return String.format("62%06x5b600190038060045760005260206000f3", n);
    }

    @Test void smallCodeCompilesAfterItsThresholdAndStillAgrees() {
        Code c = code(loop(10));
        CallResult first = run(c, 1_000_000);
        for (int i = 1; i < Compiler.THRESHOLD + 2; i++) {
            CallResult r = run(c, 1_000_000);
            assertEquals(first.gasLeft(), r.gasLeft(), "run " + i);
            assertEquals(Hex.encode(first.output()), Hex.encode(r.output()));
        }
        assertTrue(BasicBlocks.isCompiled(c), "small code run " + (Compiler.THRESHOLD + 2) + " times is compiled");
        assertEquals(Status.SUCCESS, run(c, 1_000_000).status());
    }

    @Test void longRunningCodeCompilesAfterOneRun() {
        Code c = code(loop(500_000)); // 26 gas per iteration: 13M gas, over the 10M gas threshold
        CallResult first = run(c, 100_000_000);
        CallResult second = run(c, 100_000_000); // builds the block table and records the gas
        assertFalse(BasicBlocks.isCompiled(c));
        CallResult third = run(c, 100_000_000);
        assertTrue(BasicBlocks.isCompiled(c), "code whose runs used over 10M gas is compiled");
        assertEquals(first.gasLeft(), second.gasLeft());
        assertEquals(first.gasLeft(), third.gasLeft());
        // Out of gas inside the compiled loop: the same halt as interpreted.
        CallResult oog = run(c, 1_000_000);
        assertEquals(Status.OUT_OF_GAS, oog.status());
        assertEquals(0, oog.gasLeft());
    }

    @Test void gasSummedOverManyCheapRunsDoesNotCompile() {
        // 26 gas per iteration: 104k gas per execution, under the 250k average; 120 runs use 12.5M gas together,
        // which compiled it before session 9 (busy mainnet contracts did so within a few hundred calls).
        Code c = code(loop(4_000));
        for (int i = 0; i < 120; i++) assertEquals(Status.SUCCESS, run(c, 1_000_000).status());
        assertFalse(BasicBlocks.isCompiled(c), "gas summed over cheap runs does not make code hot");
    }

    @Test void codeCalledOftenButSlowlyStaysInterpreted() throws InterruptedException {
        // Small code, run more than the threshold's number of times, but spread over more than the count window
        // (1 s): a contract called a few hundred times a second is not hot enough to pay for its compiled form.
        Code c = code(loop(10));
        long end = System.nanoTime() + Compiler.COUNT_WINDOW_NANOS + 200_000_000L;
        int runs = 0;
        while (System.nanoTime() < end || runs < Compiler.THRESHOLD + 5) {
            assertEquals(Status.SUCCESS, run(c, 1_000_000).status());
            runs++;
            if (runs % 100 == 0) Thread.sleep(Compiler.COUNT_WINDOW_NANOS / 1_000_000 / (Compiler.THRESHOLD / 100) + 20);
            if (runs > 20 * Compiler.THRESHOLD) break;
        }
        assertFalse(BasicBlocks.isCompiled(c), runs + " runs spread over more than the window stay interpreted");
    }

    @Test void codeWhoseCallsRunLittleOfItStaysInterpreted() {
        // Called often and quickly, but each call runs the few bytes at its start (PUSH1 0, DUP1, STOP) of a code whose
        // 2,000 other bytes are loops it never enters: under the bar of 1 static gas per byte per call (mainnet
        // contracts run 0.1-1 per byte per call; compiled whole, HotSpot never finishes compiling them).
        Code c = code("60008000" + loop(10).repeat(100));
        for (int i = 0; i < Compiler.THRESHOLD + 5; i++) assertEquals(Status.SUCCESS, run(c, 1_000_000).status());
        assertFalse(BasicBlocks.isCompiled(c), "code whose calls run under 1 gas per byte stays interpreted");
    }

    @Test void largeStraightLineCodeStaysInterpreted() {
        // 8,000 x (PUSH1 1, POP): large, estimated far over the size limit, and it never loops.
        String body = "600150".repeat(8_000);
        Code c = code(body + "00");
        for (int i = 0; i < Compiler.THRESHOLD + 5; i++) assertEquals(Status.SUCCESS, run(c, 1_000_000).status());
        assertFalse(BasicBlocks.isCompiled(c), "large straight-line code is left to the interpreter");
    }
}
