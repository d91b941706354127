package dev.lanes.executor.parallel;

import dev.lanes.evm.Opcodes;
import dev.lanes.evm.Status;
import dev.lanes.evm.Tracer;
import dev.lanes.evm.interpreter.Frame;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what the generated transactions really did, for the differential test's coverage report: executed
 * opcodes, how frames ended, creations that succeeded, self-destructs in frames that completed, frames that
 * ran delegated (EIP-7702) code and call depth.
 */
final class CoverageTracer implements Tracer {
    private static final int DEPTHS = 1100;
    final long[] ops = new long[256];
    long callsWithValue, createsFailedEarly, createFramesOk, createFramesFailed, selfDestructs, selfDestructsOfNew, delegatedFrames, deepFrames;
    final Map<String, Long> frameEnds = new TreeMap<>();
    /** createChild[d]: the frame at depth d that is starting (or the one that ends next there) is a creation. */
    private final boolean[] createChild = new boolean[DEPTHS + 1];
    /** 0: no SELFDESTRUCT in the frame at that depth; 1: of an older contract; 2: of one created in this transaction. */
    private final int[] selfDestructAt = new int[DEPTHS + 1];
    private final java.util.Set<dev.lanes.primitives.Address> createdInTx = new java.util.HashSet<>();

    /** Before each transaction: a contract-creating transaction's outermost frame is a creation. */
    void startTx(boolean isCreate) {
        java.util.Arrays.fill(createChild, false);
        java.util.Arrays.fill(selfDestructAt, 0);
        createdInTx.clear();
        createChild[0] = isCreate;
    }

    @Override public void step(Frame frame, int pc, int op, long gas, int traceDepth, long refund) {
        int depth = frame.depth; // the tracer's depth is EIP-3155's, one-based
        ops[op]++;
        // a CREATE at this depth makes the next frame one deeper a creation; any later step here clears that
        // (a creation that failed before running its init code has no frame: collision, balance, depth)
        if (createChild[depth + 1]) createsFailedEarly++;
        createChild[depth + 1] = op == Opcodes.CREATE || op == Opcodes.CREATE2;
        if (op == Opcodes.SELFDESTRUCT) selfDestructAt[depth] = createChild[depth] || createdInTx.contains(frame.address) ? 2 : 1;
        if (op == Opcodes.CALL && frame.stackSize() >= 3 && !frame.peek(2).isZero()) callsWithValue++;
    }

    @Override public void frameEnd(Frame frame, int status, long gasLeft, byte[] output) {
        int d = frame.depth;
        frameEnds.merge(Status.name(status), 1L, Long::sum);
        if (createChild[d]) {
            if (status == Status.SUCCESS) {
                createFramesOk++;
                createdInTx.add(frame.address);
            } else {
                createFramesFailed++;
            }
            createChild[d] = false;
        }
        if (selfDestructAt[d] != 0 && status == Status.SUCCESS) {
            if (selfDestructAt[d] == 2) selfDestructsOfNew++;
            else selfDestructs++;
        }
        selfDestructAt[d] = 0;
        if (RandomBlocks.DELEGATE_SET.contains(frame.codeAddress) && frame.code != null && !frame.code.isEmpty()) delegatedFrames++;
        if (d >= 2) deepFrames++;
    }
}
