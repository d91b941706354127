package dev.lanes.evm.interpreter;

import dev.lanes.evm.CallResult;
import dev.lanes.evm.Code;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.Status;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import java.util.List;
import org.junit.jupiter.api.Test;

import static dev.lanes.evm.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Evm#abort} from another thread stops endless loops, stepped, interpreted by blocks and compiled, with
 * static, computed and conditional back-edges; and an Evm that is not aborted runs such a loop to its gas limit.
 */
class AbortTest {
    private static final ForkRules RULES = ForkRules.of(Fork.OSAKA);
    /** Gas no loop here can use up in the test's lifetime. */
    private static final long ENDLESS = 1L << 50;

    private static final byte[] STATIC_JUMP = {(byte) JUMPDEST, (byte) PUSH1, 0, (byte) JUMP};
    private static final byte[] COMPUTED_JUMP = {(byte) JUMPDEST, (byte) PUSH0, (byte) PUSH0, (byte) ADD, (byte) JUMP};
    private static final byte[] CONDITIONAL_JUMP = {(byte) JUMPDEST, (byte) PUSH1, 1, (byte) PUSH1, 0, (byte) JUMPI};
    /** A loop whose body ends with a forward jump over a gap, then jumps back: the back-edge is the second. */
    private static final byte[] TWO_JUMPS = {(byte) JUMPDEST, (byte) PUSH1, 6, (byte) JUMP, (byte) INVALID, (byte) INVALID,
            (byte) JUMPDEST, (byte) PUSH1, 0, (byte) JUMP};

    @Test void abortStopsLoopsInEveryTier() throws Exception {
        for (byte[] program : List.of(STATIC_JUMP, COMPUTED_JUMP, CONDITIONAL_JUMP, TWO_JUMPS)) {
            for (int tier = 0; tier < 3; tier++) {
                Code code = Code.analyze(Keccak.hashOf(program), program);
                if (tier == 1) BasicBlocks.runs(code, RULES.gas); // past the first, stepped execution
                if (tier == 2) BasicBlocks.compileNow(code, RULES.gas, 5000);
                Evm evm = evm();
                Thread stopper = Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                    evm.abort();
                });
                long t0 = System.nanoTime();
                CallResult r = evm.runCode(code, Address.ZERO, Address.ZERO, UInt256.ZERO, new byte[0], ENDLESS);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                stopper.join();
                assertEquals(Status.ABORTED, r.status(), "tier " + tier);
                assertEquals(0, r.gasLeft());
                assertTrue(ms < 5_000, "took " + ms + " ms");
                assertTrue(evm.aborted());
                // Sticky until cleared: a second run stops at its first back-edge.
                CallResult again = evm.runCode(code, Address.ZERO, Address.ZERO, UInt256.ZERO, new byte[0], ENDLESS);
                assertEquals(Status.ABORTED, again.status());
                evm.clearAbort();
                assertFalse(evm.aborted());
                // Cleared: the same loop runs to its gas limit as before.
                CallResult normal = evm.runCode(code, Address.ZERO, Address.ZERO, UInt256.ZERO, new byte[0], 100_000);
                assertEquals(Status.OUT_OF_GAS, normal.status(), "tier " + tier);
            }
        }
    }

    @Test void abortedStatusIsExceptional() {
        assertTrue(Status.isExceptional(Status.ABORTED));
        assertEquals("execution aborted", Status.name(Status.ABORTED));
    }

    private static Evm evm() {
        Evm evm = new Evm();
        EmptyWorld.reset(evm, RULES, null);
        return evm;
    }
}
