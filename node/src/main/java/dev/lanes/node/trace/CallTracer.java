package dev.lanes.node.trace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.evm.Opcodes;
import dev.lanes.evm.Status;
import dev.lanes.evm.Tracer;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.interpreter.Frame;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * geth's {@code callTracer}: the tree of message calls, each with type, from, to, value, gas, gasUsed, input,
 * output, error, revertReason and its sub-calls. Built from the {@link Tracer#enter}/{@link Tracer#exit} hooks
 * (every message, also transfers and precompiles) plus the SELFDESTRUCT step, whose value is the balance the
 * contract holds when it runs (read through the EVM's host, which changes nothing).
 */
public final class CallTracer implements Tracer {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static final class Call {
        int kind;
        Address from, to;
        UInt256 value;
        long gas, gasUsed;
        byte[] input, output;
        int status = Status.SUCCESS;
        final List<Call> calls = new ArrayList<>();
    }

    private final Evm evm;
    private final boolean onlyTopCall;
    private final Deque<Call> open = new ArrayDeque<>();
    private Call root;
    /** The output of the last frame that ran code: for a creation, the code it deployed. */
    private byte[] lastFrameOutput;

    public CallTracer(Evm evm, boolean onlyTopCall) {
        this.evm = evm;
        this.onlyTopCall = onlyTopCall;
    }

    @Override public void step(Frame f, int pc, int op, long gas, int depth, long refund) {
        if (op != Opcodes.SELFDESTRUCT || onlyTopCall || f.stackSize() < 1 || open.isEmpty()) return;
        Call c = new Call();
        c.kind = Opcodes.SELFDESTRUCT;
        c.from = f.address;
        c.to = Address.fromWord(f.peek(0).toBytes(), 0);
        c.value = evm.host().balance(f.address);
        c.input = new byte[0];
        open.peek().calls.add(c);
    }

    @Override public void frameEnd(Frame frame, int status, long gasLeft, byte[] output) {
        lastFrameOutput = output;
    }

    @Override public void enter(int kind, Address from, Address to, UInt256 value, byte[] input, long gas, int depth) {
        Call c = new Call();
        c.kind = kind;
        c.from = from;
        c.to = to;
        c.value = value;
        c.input = input;
        c.gas = gas;
        if (open.isEmpty()) root = c;
        else if (!onlyTopCall) open.peek().calls.add(c);
        lastFrameOutput = null;
        open.push(c);
    }

    @Override public void exit(int status, long gasLeft, byte[] output) {
        Call c = open.pop();
        c.gasUsed = c.gas - gasLeft;
        c.status = status;
        boolean create = c.kind == Opcodes.CREATE || c.kind == Opcodes.CREATE2;
        c.output = create && status == Status.SUCCESS && lastFrameOutput != null ? lastFrameOutput : output;
        lastFrameOutput = null;
    }

    /**
     * The result for a transaction: the top call with the transaction's gas limit and total gas used (as geth
     * reports them, intrinsic gas included), or null when no message ran.
     */
    public ObjectNode result(long txGasLimit, long txGasUsed) {
        if (root == null) return null;
        root.gas = txGasLimit;
        root.gasUsed = txGasUsed;
        return json(root);
    }

    private static ObjectNode json(Call c) {
        ObjectNode o = F.objectNode();
        o.put("type", type(c.kind));
        o.put("from", c.from.toString());
        o.put("gas", "0x" + Long.toHexString(c.gas));
        o.put("gasUsed", "0x" + Long.toHexString(c.gasUsed));
        if (c.to != null) o.put("to", c.to.toString());
        o.put("input", Hex.prefixed(c.input));
        if (c.output != null && c.output.length > 0) o.put("output", Hex.prefixed(c.output));
        if (c.status != Status.SUCCESS) {
            o.put("error", error(c.status));
            String reason = c.status == Status.REVERT ? revertReason(c.output) : null;
            if (reason != null) o.put("revertReason", reason);
        }
        // geth leaves value out for the calls that move none by construction.
        if (c.kind != Opcodes.STATICCALL && c.kind != Opcodes.DELEGATECALL && c.value != null)
            o.put("value", c.value.isZero() ? "0x0" : "0x" + c.value.toBigInteger().toString(16));
        if (!c.calls.isEmpty()) {
            ArrayNode a = o.putArray("calls");
            for (Call sub : c.calls) a.add(json(sub));
        }
        return o;
    }

    static String type(int kind) {
        return switch (kind) {
            case Opcodes.CALL -> "CALL";
            case Opcodes.CALLCODE -> "CALLCODE";
            case Opcodes.DELEGATECALL -> "DELEGATECALL";
            case Opcodes.STATICCALL -> "STATICCALL";
            case Opcodes.CREATE -> "CREATE";
            case Opcodes.CREATE2 -> "CREATE2";
            case Opcodes.SELFDESTRUCT -> "SELFDESTRUCT";
            default -> "0x" + Integer.toHexString(kind);
        };
    }

    /** geth's error strings for a failed frame. */
    public static String error(int status) {
        return switch (status) {
            case Status.REVERT -> "execution reverted";
            case Status.OUT_OF_GAS -> "out of gas";
            case Status.INVALID_OPCODE -> "invalid opcode";
            case Status.STACK_UNDERFLOW -> "stack underflow";
            case Status.STACK_OVERFLOW -> "stack limit reached 1024 (1023)";
            case Status.BAD_JUMP -> "invalid jump destination";
            case Status.STATIC_VIOLATION -> "write protection";
            case Status.RETURNDATA_OUT_OF_BOUNDS -> "return data out of bounds";
            case Status.CREATE_COLLISION -> "contract address collision";
            case Status.CODE_TOO_LARGE -> "max code size exceeded";
            case Status.INVALID_CODE_PREFIX -> "invalid code: must not begin with 0xef";
            case Status.CALL_DEPTH -> "max call depth exceeded";
            case Status.INSUFFICIENT_BALANCE -> "insufficient balance for transfer";
            case Status.NONCE_OVERFLOW -> "nonce uint64 overflow";
            default -> Status.name(status);
        };
    }

    /** The string of ABI {@code Error(string)} revert data (selector 0x08c379a0), or null. */
    public static String revertReason(byte[] d) {
        if (d == null || d.length < 4 + 64 || (d[0] & 0xff) != 0x08 || (d[1] & 0xff) != 0xc3 || (d[2] & 0xff) != 0x79
                || (d[3] & 0xff) != 0xa0) return null;
        UInt256 off = UInt256.fromBytes(d, 4, 32);
        if (!off.fitsLong() || off.u0() > d.length) return null;
        int at = 4 + (int) off.u0();
        if (at + 32 > d.length) return null;
        UInt256 len = UInt256.fromBytes(d, at, 32);
        if (!len.fitsLong() || len.u0() > d.length - at - 32) return null;
        return new String(d, at + 32, (int) len.u0(), StandardCharsets.UTF_8);
    }
}
