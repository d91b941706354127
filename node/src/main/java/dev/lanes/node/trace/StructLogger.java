package dev.lanes.node.trace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.evm.Opcodes;
import dev.lanes.evm.Tracer;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.interpreter.Frame;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * geth's default tracer (struct logs): one entry per instruction with pc, op, gas, gasCost, depth, stack,
 * memory (when asked) and storage (at SLOAD and SSTORE: the contract's slots seen so far, as geth shows them).
 *
 * <p>gasCost is measured, not looked up: the gas before this instruction minus the gas before the next one in
 * the same frame, adding back what a sub-call returned, so for CALL and CREATE it is the cost plus the gas
 * handed to the callee, as geth reports it. The last instruction of a frame is closed with the gas the frame
 * ended with (for a creation that includes the code deposit, where geth counts only the instruction).
 */
public final class StructLogger implements Tracer {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    public record Options(boolean disableStack, boolean enableMemory, boolean disableStorage, int limit) {
        public static final Options DEFAULT = new Options(false, false, false, 0);
    }

    private final Evm evm;
    private final Options options;
    private final List<ObjectNode> logs = new ArrayList<>();
    /** Per step depth: the entry waiting for its gas cost and the gas it started with. */
    private final Map<Integer, ObjectNode> pending = new HashMap<>();
    private final Map<Integer, Long> pendingGas = new HashMap<>();
    /** Per step depth: the gas a finished sub-call gave back since the pending entry. */
    private final Map<Integer, Long> returned = new HashMap<>();
    private final Map<Address, TreeMap<String, String>> storage = new HashMap<>();
    private final java.util.ArrayDeque<Integer> messageDepths = new java.util.ArrayDeque<>();
    /** An SLOAD entry whose loaded value is on the stack at the next step of its frame. */
    private ObjectNode sloadEntry;
    private Address sloadAddress;
    private String sloadKey;
    private int sloadDepth;

    public StructLogger(Evm evm, Options options) {
        this.evm = evm;
        this.options = options;
    }

    @Override public void step(Frame f, int pc, int op, long gas, int depth, long refund) {
        close(depth, gas);
        if (options.limit() > 0 && logs.size() >= options.limit()) return;
        ObjectNode o = F.objectNode();
        o.put("pc", pc);
        o.put("op", Opcodes.name(op));
        o.put("gas", gas);
        o.put("gasCost", 0);
        o.put("depth", depth);
        if (!options.disableStack()) {
            ArrayNode st = o.putArray("stack");
            for (int i = f.stackSize() - 1; i >= 0; i--) st.add("0x" + f.peek(i).toBigInteger().toString(16));
        }
        if (options.enableMemory()) {
            ArrayNode m = o.putArray("memory");
            for (int at = 0; at < f.memSize; at += 32) m.add(Hex.encode(java.util.Arrays.copyOfRange(f.mem, at, at + 32)));
        }
        if (refund != 0) o.put("refund", refund);
        if (!options.disableStorage() && f.stackSize() >= 1 && (op == Opcodes.SLOAD || (op == Opcodes.SSTORE && f.stackSize() >= 2))) {
            TreeMap<String, String> slots = storage.computeIfAbsent(f.address, a -> new TreeMap<>());
            String key = word(f.peek(0));
            if (op == Opcodes.SSTORE) {
                slots.put(key, word(f.peek(1)));
                o.set("storage", storageJson(slots));
            } else {
                // The value is filled in at this frame's next step, from the host (a plain read, no gas, no
                // warming), so that the entry shows the slot as geth does, with the value SLOAD loaded.
                sloadEntry = o;
                sloadAddress = f.address;
                sloadKey = key;
                sloadDepth = depth;
                o.set("storage", storageJson(slots));
            }
        }
        logs.add(o);
        pending.put(depth, o);
        pendingGas.put(depth, gas);
        returned.put(depth, 0L);
    }

    /** Closes the pending entry at {@code depth} now that its frame has {@code gasNow} left. */
    private void close(int depth, long gasNow) {
        if (sloadEntry != null && sloadDepth == depth) {
            TreeMap<String, String> slots = storage.get(sloadAddress);
            slots.put(sloadKey, word(evm.host() == null ? UInt256.ZERO : evm.host().sload(sloadAddress, UInt256.fromBytes(Hex.decode(sloadKey)))));
            sloadEntry.set("storage", storageJson(slots));
            sloadEntry = null;
        }
        ObjectNode p = pending.remove(depth);
        if (p == null) return;
        long before = pendingGas.remove(depth);
        long back = returned.getOrDefault(depth, 0L);
        p.put("gasCost", before - gasNow + back);
    }

    @Override public void enter(int kind, Address from, Address to, UInt256 value, byte[] input, long gas, int depth) {
        messageDepths.push(depth);
    }

    @Override public void exit(int status, long gasLeft, byte[] output) {
        // A message at depth d ran its steps at depth d + 1; the instruction that made it is a step at depth d.
        int d = messageDepths.pop();
        returned.merge(d, gasLeft, Long::sum);
    }

    @Override public void frameEnd(Frame frame, int status, long gasLeft, byte[] output) {
        int depth = frame.depth + 1;
        close(depth, gasLeft);
        if (sloadEntry != null && sloadDepth == depth) sloadEntry = null;
    }

    private static String word(UInt256 v) {
        return Hex.encode(v.toBytes());
    }

    private static ObjectNode storageJson(TreeMap<String, String> slots) {
        ObjectNode s = F.objectNode();
        slots.forEach(s::put);
        return s;
    }

    /** The struct logs, in order. */
    public ArrayNode logs() {
        ArrayNode a = F.arrayNode();
        logs.forEach(a::add);
        return a;
    }
}
