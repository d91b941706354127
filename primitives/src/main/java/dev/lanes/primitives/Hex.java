package dev.lanes.primitives;

/** Hex encoding with strict decoding: malformed input raises {@link IllegalArgumentException} naming the problem. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {}

    public static String encode(byte[] bytes) {
        return encode(bytes, 0, bytes.length);
    }

    public static String encode(byte[] bytes, int off, int len) {
        char[] out = new char[len * 2];
        for (int i = 0; i < len; i++) {
            int b = bytes[off + i] & 0xff;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0xf];
        }
        return new String(out);
    }

    /** "0x"-prefixed lower-case hex. */
    public static String prefixed(byte[] bytes) {
        return "0x" + encode(bytes);
    }

    /** Decodes hex with or without "0x"; an odd number of digits is left-padded with a zero nibble. */
    public static byte[] decode(String s) {
        if (s == null) throw new IllegalArgumentException("hex string is null");
        int start = (s.startsWith("0x") || s.startsWith("0X")) ? 2 : 0;
        int digits = s.length() - start;
        int odd = digits & 1;
        byte[] out = new byte[(digits + 1) / 2];
        for (int i = 0; i < digits; i++) {
            int v = nibble(s, start + i);
            int pos = i + odd;
            if ((pos & 1) == 0) out[pos >> 1] = (byte) (v << 4);
            else out[pos >> 1] |= (byte) v;
        }
        return out;
    }

    /** Decodes exactly {@code len} bytes, left-padding shorter input with zeros; longer input is an error. */
    public static byte[] decodeFixed(String s, int len) {
        byte[] raw = decode(s);
        if (raw.length == len) return raw;
        if (raw.length > len) throw new IllegalArgumentException("hex value longer than " + len + " bytes: " + abbreviate(s));
        byte[] out = new byte[len];
        System.arraycopy(raw, 0, out, len - raw.length, raw.length);
        return out;
    }

    private static int nibble(String s, int i) {
        char c = s.charAt(i);
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        throw new IllegalArgumentException("invalid hex character '" + c + "' at index " + i + " in " + abbreviate(s));
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? '"' + s + '"' : '"' + s.substring(0, 37) + "...\"";
    }
}
