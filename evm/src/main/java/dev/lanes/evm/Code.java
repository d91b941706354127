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
    /**
     * Bit i set when offset i is a JUMPDEST opcode (not PUSH data); made on the first jump ({@link #jumpdestBits}), so
     * code that never jumps (most init code's straight stretches, a call that returns early) never pays the pass over
     * it. Volatile: a thread that sees the array sees its bits (any thread may make it; all make the same).
     */
    private volatile long[] jumpdests;
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
    }

    /** Bytes from an instruction to the next: 1, or 2-33 for PUSH1-PUSH32 (the opcode and its immediate). */
    private static final byte[] STEP = new byte[256];

    static {
        for (int op = 0; op < 256; op++) STEP[op] = (byte) (op >= 0x60 && op <= 0x7f ? op - 0x5f + 1 : 1);
    }

    /**
     * The JUMPDEST bitmap of {@code code}. Decoding is a chain (each instruction's offset depends on the byte before
     * it), so one pass runs at one load-and-add latency per instruction: about 2.2 ns per byte over the 2,194
     * contracts of ../shared/mainnet-blocks. Code of 256 bytes or more is decoded as four quarters at once, each
     * from its own first byte as if an instruction started there, so that the four chains overlap in the CPU; then
     * each quarter's start is checked against where the true decoding (the previous quarter's, corrected) enters
     * it. Where that is not the quarter's first byte (a PUSH's immediate ran across the boundary), the true and
     * the guessed decodings are stepped side by side until they reach the same offset, after which they are the
     * same; the bits before that point are redone. Decodings meet within a few instructions in real code; where
     * they never meet (a quarter of {@code 0x60} bytes) the quarter is redone, so no input costs more than two
     * passes. 1.1 ns per byte on the same contracts (docs/benchmarks.md, session 19).
     */
    public static long[] jumpdestBitmap(byte[] code) {
        return jumpdestBitmap(code, code.length);
    }

    /** {@link #jumpdestBitmap(byte[])} of the first {@code n} bytes of {@code code}. */
    static long[] jumpdestBitmap(byte[] code, int n) {
        long[] jd = new long[(n >>> 6) + 1];
        if (n < 256) {
            decode(code, jd, 0, n);
            return jd;
        }
        int s1 = n >>> 2, s2 = n >>> 1, s3 = s1 + s2;
        int p0 = 0, p1 = s1, p2 = s2, p3 = s3;
        byte[] step = STEP;
        while (p0 < s1 && p1 < s2 && p2 < s3 && p3 < n) {
            int o0 = code[p0] & 0xff, o1 = code[p1] & 0xff, o2 = code[p2] & 0xff, o3 = code[p3] & 0xff;
            if (o0 == 0x5b) jd[p0 >>> 6] |= 1L << p0;
            if (o1 == 0x5b) jd[p1 >>> 6] |= 1L << p1;
            if (o2 == 0x5b) jd[p2 >>> 6] |= 1L << p2;
            if (o3 == 0x5b) jd[p3 >>> 6] |= 1L << p3;
            p0 += step[o0];
            p1 += step[o1];
            p2 += step[o2];
            p3 += step[o3];
        }
        p0 = decode(code, jd, p0, s1);
        p1 = decode(code, jd, p1, s2);
        p2 = decode(code, jd, p2, s3);
        p3 = decode(code, jd, p3, n);
        int entry = correct(code, jd, p0, s1, s2, p1);
        entry = correct(code, jd, entry, s2, s3, p2);
        correct(code, jd, entry, s3, n, p3);
        return jd;
    }

    /**
     * The JUMPDEST bitmap decoded in one pass from offset 0: the definition {@link #jumpdestBitmap} must equal, kept for
     * the tests and for {@code ./lanes bench analysis}, which times the two side by side.
     */
    public static long[] jumpdestBitmapOnePass(byte[] code) {
        long[] jd = new long[(code.length >>> 6) + 1];
        decode(code, jd, 0, code.length);
        return jd;
    }

    /** Decodes from instruction offset {@code pc} while below {@code limit}, marking JUMPDESTs; returns the first offset at or past it. */
    private static int decode(byte[] code, long[] jd, int pc, int limit) {
        while (pc < limit) {
            int op = code[pc] & 0xff;
            if (op == 0x5b) jd[pc >>> 6] |= 1L << pc;
            pc += STEP[op];
        }
        return pc;
    }

    /**
     * Corrects the part {@code [start, end)} that was decoded from {@code start} (its decoding ending at {@code guessEnd},
     * the first offset at or past {@code end}) for the true decoding entering it at {@code entry}; returns the true end.
     */
    private static int correct(byte[] code, long[] jd, int entry, int start, int end, int guessEnd) {
        if (entry == start) return guessEnd;
        int t = entry, g = start; // the true and the guessed decoding, the one behind stepped first
        while (t != g && t < end) {
            if (g < t) g += STEP[code[g] & 0xff];
            else t += STEP[code[t] & 0xff];
        }
        int redo = Math.min(t, end);
        for (int pc = start; pc < redo; pc++) jd[pc >>> 6] &= ~(1L << pc);
        decode(code, jd, entry, redo);
        return t < end ? guessEnd : t;
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
        long[] jd = jumpdests;
        return jd != null ? jd : (jumpdests = jumpdestBitmap(padded, length));
    }

    /**
     * The read-add-write pairs of storage ({@link StorageAdds}), made on first use by whichever thread gets there (all
     * make the same arrays); volatile, so a thread that sees the arrays sees their bits.
     */
    private volatile long[][] adds;

    private long[][] adds() {
        long[][] a = adds;
        return a != null ? a : (adds = StorageAdds.analyze(padded, length));
    }

    /** Whether the SLOAD at {@code pc} only feeds an ADD whose sum is stored back to the same slot in its block. */
    public boolean sloadAdds(int pc) {
        long[] b = adds()[0];
        return (pc >>> 6) < b.length && (b[pc >>> 6] & (1L << pc)) != 0;
    }

    /** Whether the SSTORE at {@code pc} stores such a sum ({@link #sloadAdds}) back. */
    public boolean sstoreAdds(int pc) {
        long[] b = adds()[1];
        return (pc >>> 6) < b.length && (b[pc >>> 6] & (1L << pc)) != 0;
    }

    /** Whether the SLOAD at {@code loadPc} and the SSTORE at {@code storePc} are one such pair. */
    public boolean addPair(int loadPc, int storePc) {
        return java.util.Arrays.binarySearch(adds()[2], ((long) loadPc << 32) | storePc) >= 0;
    }

    public boolean isJumpdest(long dest) {
        return dest >= 0 && dest < length && (jumpdestBits()[(int) (dest >>> 6)] & (1L << dest)) != 0;
    }

    /** The JUMPDEST bitmap if it has been made, else null (see {@link #isJumpdestBeforeBitmap}). */
    public long[] jumpdestBitsIfMade() {
        return jumpdests;
    }

    /**
     * Work {@link #isJumpdestBeforeBitmap} did without the bitmap, in about the bitmap's cost per byte; racy on purpose
     * (threads may lose updates): it decides only when the bitmap is made, never an answer.
     */
    private int localWork;

    /** How far below a jump target {@link #isJumpdestBeforeBitmap} looks for an instruction to decode from. */
    private static final int LOCAL_REACH = 64;

    /**
     * {@link #isJumpdest}, for a jump made while the bitmap does not exist yet (a code's first executions): answered from
     * the bytes around {@code dest}, so that code run once and jumping a few times does not pay a pass over all of it
     * (1.1-1.3 ns a byte: a quarter of a 2 KB contract's first execution). A byte that is not 0x5b is no destination.
     * An offset is an instruction when no byte in the 32 before it is a PUSHk whose immediate would reach it (k at least
     * its distance): any PUSH whose data covered it would be such a byte, real instruction or not ({@link
     * #noPushReaches}); 79% of the true JUMPDESTs of the mainnet and evmone-benchmark codes pass that test at once. For
     * the others, the nearest offset below that passes it is an instruction too, and decoding forward from it reaches
     * {@code dest} exactly when {@code dest} is one. Where none lies within {@link #LOCAL_REACH} bytes below, or once the
     * local work, counted in about the bitmap's cost per byte, exceeds the code's length (a code that jumps that often
     * is better served by the bitmap: then the local checks cost at most as much again as the bitmap, as renting skis
     * until their price is spent), the bitmap is made and answers. Budgets of a quarter, half, one, two and four times
     * the length: swap_math's first execution at 1.04-1.05, 0.87-0.92, 0.80-0.86, 0.81-0.87 and 0.87-0.92 of its time
     * with the bitmap made on the first jump (one JVM each, docs/benchmarks.md, session 36).
     */
    public boolean isJumpdestBeforeBitmap(long dest) {
        if (dest < 0 || dest >= length) return false;
        int d = (int) dest;
        byte[] code = padded;
        if (code[d] != (byte) 0x5b) return false;
        int work = localWork;
        if (work <= length) {
            if (noPushReaches(code, d)) {
                localWork = work + 4;
                return true;
            }
            for (int p = d - 1, low = Math.max(0, d - LOCAL_REACH); p >= low; p--) {
                if (noPushReaches(code, p)) {
                    int pc = p;
                    while (pc < d) pc += STEP[code[pc] & 0xff];
                    localWork = work + 6 * (d - p);
                    return pc == d;
                }
            }
            localWork = work + 4 * LOCAL_REACH;
        }
        return (jumpdestBits()[d >>> 6] & (1L << d)) != 0;
    }

    private static final java.lang.invoke.VarHandle LONGS_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * Per byte of the eight-byte word ending k * 8 bytes before the destination (byte j of the little-endian word at
     * distance 8 * (k + 1) - j): 0x21 - distance, so that for the byte's low seven bits y, y + that carries into the
     * byte's top bit exactly when y >= 0x5f + distance, a PUSHk with k >= distance (0x60 + k - 1 = 0x5f + k); at most
     * 0x7f + 0x20, so no byte carries into the next.
     */
    private static final long[] REACH = new long[4];

    static {
        for (int k = 0; k < 4; k++) {
            long w = 0;
            for (int j = 0; j < 8; j++) w |= (long) (0x21 - (8 * (k + 1) - j)) << (8 * j);
            REACH[k] = w;
        }
    }

    private static final long HIGH = 0x8080808080808080L, LOW7 = 0x7f7f7f7f7f7f7f7fL;

    /**
     * Whether none of the (up to) 32 bytes before offset {@code d} is a PUSHk with k at least its distance to {@code d}
     * (bytes 0x80 and up are no PUSH: their top bit is masked out of the test). Eight bytes at a time.
     */
    static boolean noPushReaches(byte[] code, int d) {
        if (d >= 32) {
            for (int k = 0; k < 4; k++) {
                long x = (long) LONGS_LE.get(code, d - 8 * (k + 1));
                if ((((x & LOW7) + REACH[k]) & ~x & HIGH) != 0) return false;
            }
            return true;
        }
        for (int i = 1; i <= d; i++) {
            int b = code[d - i] & 0xff;
            if (b >= 0x5f + i && b <= 0x7f) return false;
        }
        return true;
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
