package dev.lanes.evm;

import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Contract code prepared for execution: the bytes padded with zeros, so that PUSH32 at the very end and
 * a fall-through past the last byte read STOP without a bounds check, and the jump-destination bitmap.
 * Analysis happens once per code hash ({@link #of(Hash, byte[])} caches it); {@link #analyze} skips
 * the cache, for callers that want the per-call cost measured.
 */
public final class Code {
    /** Padding: 32 bytes for a truncated PUSH32 plus one STOP. */
    static final int PADDING = 33;
    public static final Code EMPTY = analyze(Hash.EMPTY_CODE, Bytes.EMPTY);
    private static final int CACHE_LIMIT = 1 << 16;
    private static final ConcurrentHashMap<Hash, Code> CACHE = new ConcurrentHashMap<>();

    public final byte[] padded;
    public final int length;
    private Hash hash;
    /** Bit i set when offset i is a JUMPDEST opcode (not PUSH data). */
    final long[] jumpdests;
    /**
     * Whatever the interpreter derives from this code for faster execution (its basic-block table), kept
     * here so that it is cached with the code; set on first execution, replaced when the fork changes.
     */
    public Object interpreterCache;

    private Code(Hash hash, byte[] code) {
        this.hash = hash;
        this.length = code.length;
        this.padded = new byte[code.length + PADDING];
        System.arraycopy(code, 0, padded, 0, code.length);
        this.jumpdests = new long[(code.length >>> 6) + 1];
        for (int pc = 0; pc < code.length; pc++) {
            int op = code[pc] & 0xff;
            if (op == 0x5b) jumpdests[pc >>> 6] |= 1L << pc;
            else if (op >= 0x60 && op <= 0x7f) pc += op - 0x5f;
        }
    }

    /** Analyses code without caching. {@code hash} may be null, when it is computed on demand. */
    public static Code analyze(Hash hash, byte[] code) {
        return new Code(hash, code);
    }

    /** The cached analysis for this code hash. */
    public static Code of(Hash hash, byte[] code) {
        Code c = CACHE.get(hash);
        if (c != null) return c;
        if (CACHE.size() >= CACHE_LIMIT) CACHE.clear(); // crude bound; the state module's cache is the long-term home
        c = new Code(hash, code);
        CACHE.putIfAbsent(hash, c);
        return c;
    }

    /** The jump-destination bitmap (bit i % 64 of word i / 64: offset i is a JUMPDEST), for the interpreter to read in place. Do not modify. */
    public long[] jumpdestBits() {
        return jumpdests;
    }

    public boolean isJumpdest(long dest) {
        return dest >= 0 && dest < length && (jumpdests[(int) (dest >>> 6)] & (1L << dest)) != 0;
    }

    public Hash hash() {
        Hash h = hash;
        if (h == null) hash = h = Keccak.hashOf(bytes());
        return h;
    }

    public byte[] bytes() {
        return java.util.Arrays.copyOf(padded, length);
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** EIP-7702: the code of a delegated account is this prefix followed by the 20-byte target address. */
    public static final int DELEGATION_LENGTH = 23;

    /** The account this code delegates to (EIP-7702 designator 0xef0100 || address), or {@code null}. */
    public dev.lanes.primitives.Address delegationTarget() {
        if (length != DELEGATION_LENGTH || padded[0] != (byte) 0xef || padded[1] != 0x01 || padded[2] != 0x00) return null;
        return dev.lanes.primitives.Address.wrap(java.util.Arrays.copyOfRange(padded, 3, DELEGATION_LENGTH));
    }

    /** The EIP-7702 designator code for {@code target}. */
    public static byte[] delegationTo(dev.lanes.primitives.Address target) {
        byte[] c = new byte[DELEGATION_LENGTH];
        c[0] = (byte) 0xef;
        c[1] = 0x01;
        System.arraycopy(target.unsafeBytes(), 0, c, 3, 20);
        return c;
    }

    /** The first byte, or -1 for empty code (EIP-3541 and EIP-7702 look at it). */
    public int firstByte() {
        return length == 0 ? -1 : padded[0] & 0xff;
    }
}
