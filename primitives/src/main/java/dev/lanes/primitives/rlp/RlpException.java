package dev.lanes.primitives.rlp;

/** Malformed or non-canonical RLP; the message names the problem and the offset of the offending item. */
public final class RlpException extends IllegalArgumentException {
    private final int offset;

    public RlpException(String problem, int offset) {
        super(problem + " at offset " + offset);
        this.offset = offset;
    }

    /** Index, in the array being decoded, of the first byte of the item at fault. */
    public int offset() {
        return offset;
    }
}
