package dev.lanes.executor.parallel;

import dev.lanes.evm.Opcodes;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny EVM assembler for hand-written test contracts: opcodes, minimal-width pushes (never PUSH0, so the
 * code runs before Shanghai) and labels. A label is a JUMPDEST; {@link #pushLabel} pushes its offset as a
 * PUSH2 that {@link #build} patches.
 */
final class Asm {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> labels = new HashMap<>();
    private final List<Map.Entry<Integer, String>> fixups = new ArrayList<>();

    /** Appends raw opcodes (or raw bytes). */
    Asm op(int... ops) {
        for (int o : ops) out.write(o);
        return this;
    }

    /** Pushes {@code v} (an unsigned value) with the narrowest PUSHn, at least PUSH1. */
    Asm push(long v) {
        int n = 1;
        while (n < 8 && Long.compareUnsigned(v, 1L << (8 * n)) >= 0) n++;
        out.write(Opcodes.PUSH1 + n - 1);
        for (int i = n - 1; i >= 0; i--) out.write((int) (v >>> (8 * i)));
        return this;
    }

    /** Pushes {@code bytes} verbatim with PUSH{bytes.length} (1..32 bytes). */
    Asm push(byte[] bytes) {
        if (bytes.length < 1 || bytes.length > 32) throw new IllegalArgumentException("push of " + bytes.length + " bytes");
        out.write(Opcodes.PUSH1 + bytes.length - 1);
        out.writeBytes(bytes);
        return this;
    }

    /** Defines {@code name} here and emits its JUMPDEST. */
    Asm label(String name) {
        if (labels.putIfAbsent(name, out.size()) != null) throw new IllegalArgumentException("label defined twice: " + name);
        out.write(Opcodes.JUMPDEST);
        return this;
    }

    /** Pushes the offset of {@code name} (PUSH2, patched by {@link #build}). */
    Asm pushLabel(String name) {
        out.write(Opcodes.PUSH2);
        fixups.add(Map.entry(out.size(), name));
        out.write(0);
        out.write(0);
        return this;
    }

    Asm jump(String name) {
        return pushLabel(name).op(Opcodes.JUMP);
    }

    /** Jumps to {@code name} when the top of the stack is non-zero (consumes it). */
    Asm jumpi(String name) {
        return pushLabel(name).op(Opcodes.JUMPI);
    }

    int size() {
        return out.size();
    }

    byte[] build() {
        byte[] code = out.toByteArray();
        for (Map.Entry<Integer, String> f : fixups) {
            Integer at = labels.get(f.getValue());
            if (at == null) throw new IllegalStateException("undefined label " + f.getValue());
            code[f.getKey()] = (byte) (at >>> 8);
            code[f.getKey() + 1] = (byte) (int) at;
        }
        return code;
    }
}
