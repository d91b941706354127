package dev.lanes.evm.interpreter;

import dev.lanes.evm.CallResult;
import dev.lanes.evm.Code;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.UInt256;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

import static dev.lanes.evm.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A frame's memory buffer is reused by the next call at the same depth and is kept zero past the active memory
 * (zeroed when the frame is reset, not as memory grows: {@link Frame#reset}). Memory that a later call expands into
 * must read as zero whatever the call before it wrote there, however that call ended, and through every way memory
 * grows (MLOAD, MSTORE, MSTORE8, RETURN's range), checked instruction by instruction and by basic block.
 */
class MemoryReuseTest {
    private static final ForkRules RULES = ForkRules.of(Fork.OSAKA);

    /** Writes 0xff words over the first {@code bytes} bytes of memory, then ends with {@code last}. */
    private static byte[] dirty(int bytes, int last) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int at = 0; at < bytes; at += 32) {
            b.write(PUSH32);
            for (int i = 0; i < 32; i++) b.write(0xff);
            b.write(PUSH2);
            b.write(at >>> 8);
            b.write(at);
            b.write(MSTORE);
        }
        if (last == RETURN || last == REVERT) {
            b.write(PUSH1); b.write(0); b.write(PUSH1); b.write(0); // RETURN(0, 0)
        }
        b.write(last);
        return b.toByteArray();
    }

    private static CallResult run(Evm evm, Code code) {
        return evm.runCode(code, Address.ZERO, Address.ZERO, UInt256.ZERO, new byte[0], 10_000_000);
    }

    @Test void expandedMemoryReadsZeroAfterACallThatWroteThere() {
        // The reader: MLOAD at 100 (unaligned, two words), MSTORE8 at 300, MSTORE at 1000, then return 4,096 bytes
        // (RETURN grows the rest). Everything but the byte MSTORE8 wrote and the word MSTORE wrote must be zero.
        Code reader = Code.analyze(null, new byte[] {
                (byte) PUSH1, 100, (byte) MLOAD, (byte) POP,
                (byte) PUSH1, 7, (byte) PUSH2, 0x01, 0x2c, (byte) MSTORE8,
                (byte) PUSH1, 9, (byte) PUSH2, 0x03, (byte) 0xe8, (byte) MSTORE,
                (byte) PUSH2, 0x10, 0x00, (byte) PUSH1, 0, (byte) RETURN});
        byte[] expected = new byte[4096];
        expected[300] = 7;
        expected[1000 + 31] = 9;
        for (int last : new int[] {STOP, RETURN, REVERT, INVALID}) {
            Code big = Code.analyze(null, dirty(8192, last)), small = Code.analyze(null, dirty(64, last));
            // A code's first execution is checked instruction by instruction, later ones run by basic block.
            for (int round = 0; round < 3; round++) {
                Evm evm = new Evm();
                EmptyWorld.reset(evm, RULES, null);
                run(evm, big);
                CallResult r = run(evm, reader);
                assertTrue(r.success(), "after " + last);
                assertArrayEquals(expected, r.output(), "memory after a call ending with opcode " + last + ", round " + round);
                // Once more, after a call that used less memory than the reader's buffer holds.
                run(evm, small);
                assertArrayEquals(expected, run(evm, reader).output(), "after a smaller call, opcode " + last);
            }
        }
    }
}
