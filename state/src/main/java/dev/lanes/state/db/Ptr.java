package dev.lanes.state.db;

/**
 * A node's address, packed in a long: segment id (20 bits, from 1), byte offset in the segment (32 bits) and the
 * record's length (12 bits). Carrying the length lets a read fetch exactly one record with one positional read.
 * 0 is "no node".
 */
final class Ptr {
    static final int MAX_LENGTH = (1 << 12) - 1;
    static final int MAX_SEGMENT = (1 << 20) - 1;
    static final long MAX_OFFSET = (1L << 32) - 1;

    private Ptr() {}

    static long of(int segment, long offset, int length) {
        if (segment <= 0 || segment > MAX_SEGMENT) throw new IllegalArgumentException("segment id " + segment);
        if (offset < 0 || offset > MAX_OFFSET) throw new IllegalArgumentException("segment offset " + offset);
        if (length <= 0 || length > MAX_LENGTH) throw new IllegalArgumentException("record of " + length + " bytes");
        return (long) segment << 44 | offset << 12 | length;
    }

    static int segment(long ptr) {
        return (int) (ptr >>> 44);
    }

    static long offset(long ptr) {
        return (ptr >>> 12) & MAX_OFFSET;
    }

    static int length(long ptr) {
        return (int) (ptr & MAX_LENGTH);
    }

    static String toString(long ptr) {
        return ptr == 0 ? "none" : segment(ptr) + ":" + offset(ptr) + "+" + length(ptr);
    }
}
