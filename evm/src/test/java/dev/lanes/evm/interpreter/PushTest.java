package dev.lanes.evm.interpreter;

import dev.lanes.evm.CallResult;
import dev.lanes.evm.Code;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.UInt256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static dev.lanes.evm.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PUSH0..PUSH32 as the interpreter executes them (the loop reads the immediate eight bytes at a time from
 * the padded code): at every offset alignment, with the immediate cut short by the end of the code, stepped
 * (with a tracer), checked (a code's first execution) and by basic block (later executions).
 */
class PushTest {
    private static final ForkRules RULES = ForkRules.of(Fork.OSAKA);

    @Test void everyWidthAlignmentAndTruncation() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n = 0; n <= 32; n++) {
            for (int i = 0; i < 60; i++) {
                int before = r.nextInt(10);
                boolean truncated = n > 0 && i % 3 == 0;
                int avail = truncated ? r.nextInt(n) : n; // immediate bytes present before the code ends
                byte[] data = new byte[n];
                for (int k = 0; k < avail; k++) data[k] = (byte) r.nextInt(256);
                String expected = new BigInteger(1, data).toString(16);
                // before JUMPDESTs (no stack effect) shift the push across alignments.
                byte[] push = new byte[before + 1 + avail];
                java.util.Arrays.fill(push, 0, before, (byte) JUMPDEST);
                push[before] = (byte) (PUSH0 + n);
                System.arraycopy(data, 0, push, before + 1, avail);
                String what = "PUSH" + n + " at " + before + (truncated ? ", " + avail + " bytes present" : "");

                // Stepped: the value on the stack at the instruction after the push (padding STOP when truncated).
                List<UInt256> seen = new ArrayList<>();
                int next = before + 1 + n;
                Evm traced = new Evm();
                EmptyWorld.reset(traced, RULES,
                        (frame, pc, op, gas, depth, refund) -> { if (pc == next) seen.add(frame.peek(0)); });
                CallResult t = traced.runCode(Code.analyze(null, push), Address.ZERO, Address.ZERO, UInt256.ZERO, new byte[0], 1_000_000);
                assertTrue(t.success(), what);
                assertEquals(1, seen.size(), what);
                assertEquals(expected, seen.get(0).toBigInteger().toString(16), what + " (stepped)");

                if (truncated) continue;
                // Checked and by block: store the value and return it.
                byte[] tail = {(byte) PUSH1, 0, (byte) MSTORE, (byte) PUSH1, 32, (byte) PUSH1, 0, (byte) RETURN};
                byte[] program = new byte[push.length + tail.length];
                System.arraycopy(push, 0, program, 0, push.length);
                System.arraycopy(tail, 0, program, push.length, tail.length);
                Code code = Code.analyze(null, program);
                for (String tier : new String[] {"checked", "by block", "by block again"}) {
                    Evm evm = new Evm();
                    EmptyWorld.reset(evm, RULES, null);
                    CallResult c = evm.runCode(code, Address.ZERO, Address.ZERO, UInt256.ZERO, new byte[0], 1_000_000);
                    assertTrue(c.success(), what + " (" + tier + ")");
                    assertEquals(expected, new BigInteger(1, c.output()).toString(16), what + " (" + tier + ")");
                }
            }
        }
    }
}
