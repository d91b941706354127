package dev.lanes.primitives.rlp;

import dev.lanes.primitives.Hex;
import java.util.Arrays;
import java.util.List;

/**
 * A decoded RLP item as a tree: a byte string or a list of items (the Yellow Paper's "byte array" and
 * "sequence"). Convenient for tests, tools and rarely decoded structures; hot paths use {@link RlpReader}.
 */
public sealed interface RlpItem {
    boolean isList();

    /** The string's bytes; fails for a list. */
    default byte[] bytes() {
        throw new IllegalStateException("RLP item is a list, not a string");
    }

    /** The list's items; fails for a string. */
    default List<RlpItem> items() {
        throw new IllegalStateException("RLP item is a string, not a list");
    }

    static RlpItem of(byte[] bytes) {
        return new ByteArray(bytes.clone());
    }

    static RlpItem list(RlpItem... items) {
        return new Sequence(List.of(items));
    }

    static RlpItem list(List<RlpItem> items) {
        return new Sequence(items);
    }

    /** A byte string. The array is shared, not copied: {@link Rlp#decode} hands over a fresh one, and callers must not mutate it. */
    record ByteArray(byte[] bytes) implements RlpItem {
        @Override public boolean isList() { return false; }

        @Override public boolean equals(Object o) {
            return o instanceof ByteArray b && Arrays.equals(bytes, b.bytes);
        }

        @Override public int hashCode() { return Arrays.hashCode(bytes); }

        @Override public String toString() { return Hex.prefixed(bytes); }
    }

    record Sequence(List<RlpItem> items) implements RlpItem {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override public boolean isList() { return true; }

        @Override public String toString() { return items.toString(); }
    }
}
