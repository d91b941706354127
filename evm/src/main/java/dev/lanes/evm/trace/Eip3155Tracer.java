package dev.lanes.evm.trace;

import dev.lanes.evm.Opcodes;
import dev.lanes.evm.Tracer;
import dev.lanes.evm.interpreter.Frame;
import java.io.PrintStream;

/**
 * EIP-3155 trace output: one JSON object per executed instruction, so a run can be diffed line by line
 * against any other client's trace (for example {@code ../shared/tools/ref-trace}).
 */
public final class Eip3155Tracer implements Tracer {
    private final PrintStream out;
    private final StringBuilder sb = new StringBuilder(256);

    public Eip3155Tracer(PrintStream out) {
        this.out = out;
    }

    @Override public void step(Frame f, int pc, int op, long gas, int depth, long refund) {
        sb.setLength(0);
        sb.append("{\"pc\":").append(pc)
          .append(",\"op\":").append(op)
          .append(",\"gas\":\"0x").append(Long.toHexString(gas)).append('"')
          .append(",\"memSize\":").append(f.memSize)
          .append(",\"stack\":[");
        int n = f.stackSize();
        for (int i = n - 1; i >= 0; i--) {
            if (i != n - 1) sb.append(',');
            sb.append('"').append(f.peek(i).toHex()).append('"');
        }
        sb.append("],\"depth\":").append(depth)
          .append(",\"refund\":").append(refund)
          .append(",\"opName\":\"").append(Opcodes.name(op)).append("\"}");
        out.println(sb);
    }
}
