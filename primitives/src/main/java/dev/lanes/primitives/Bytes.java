package dev.lanes.primitives;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Big-endian reads and writes on byte arrays through VarHandles (one bounds check, no allocation). */
public final class Bytes {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    public static final byte[] EMPTY = new byte[0];

    private Bytes() {}

    public static long getLong(byte[] b, int off) { return (long) LONG_BE.get(b, off); }
    public static void putLong(byte[] b, int off, long v) { LONG_BE.set(b, off, v); }
    public static int getInt(byte[] b, int off) { return (int) INT_BE.get(b, off); }
    public static void putInt(byte[] b, int off, int v) { INT_BE.set(b, off, v); }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** Minimal big-endian encoding of an unsigned long (empty for zero), as RLP wants scalars. */
    public static byte[] trimmed(long v) {
        if (v == 0) return EMPTY;
        int n = 8 - Long.numberOfLeadingZeros(v) / 8;
        byte[] out = new byte[n];
        for (int i = n - 1; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }

    /** Strips leading zero bytes. */
    public static byte[] trimLeadingZeros(byte[] b) {
        int i = 0;
        while (i < b.length && b[i] == 0) i++;
        return i == 0 ? b : java.util.Arrays.copyOfRange(b, i, b.length);
    }
}
