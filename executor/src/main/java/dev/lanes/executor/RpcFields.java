package dev.lanes.executor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;
import java.util.function.Function;

/**
 * Reads fields of JSON-RPC objects ({@code eth_getBlockByNumber}): every value is a hex string, and any
 * problem (missing, not a string, malformed) is an {@link IllegalArgumentException} that names the field.
 */
final class RpcFields {
    private RpcFields() {}

    /** The parsed value of a field that must be present and not null. */
    static <T> T required(JsonNode obj, String name, Function<String, T> parse) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) throw new IllegalArgumentException("missing field '" + name + "'");
        return parse(n, name, parse);
    }

    /** The parsed value of a field, or {@code null} when it is absent or JSON null. */
    static <T> T optional(JsonNode obj, String name, Function<String, T> parse) {
        JsonNode n = obj.get(name);
        return n == null || n.isNull() ? null : parse(n, name, parse);
    }

    private static <T> T parse(JsonNode n, String name, Function<String, T> parse) {
        if (!n.isTextual()) throw new IllegalArgumentException("field '" + name + "' must be a hex string, got " + n.getNodeType() + " " + abbreviate(n.toString()));
        try {
            return parse.apply(n.asText());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("field '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Exactly 32 bytes: a short value is malformed here, not left-padded. */
    static Hash hash(String s) {
        return Hash.adopt(exactly(s, Hash.LENGTH));
    }

    /** Exactly 20 bytes. */
    static Address address(String s) {
        return Address.wrap(exactly(s, Address.LENGTH));
    }

    static byte[] exactly(String s, int length) {
        byte[] b = Hex.decode(s);
        if (b.length != length) throw new IllegalArgumentException("expected " + length + " bytes, got " + b.length + ": " + abbreviate(s));
        return b;
    }

    static byte[] bytes(String s) {
        return Hex.decode(s);
    }

    static UInt256 uint256(String s) {
        return UInt256.parse(s);
    }

    /** A quantity that must fit in 63 bits (block numbers, gas, timestamps, indices). */
    static long u63(String s) {
        UInt256 u = UInt256.parse(s);
        if ((u.u1() | u.u2() | u.u3()) != 0 || u.u0() < 0) throw new IllegalArgumentException("not a 63-bit number: " + abbreviate(s));
        return u.u0();
    }

    /** An unsigned 64-bit quantity (withdrawal fields), held in a long as its two's-complement bits. */
    static long u64(String s) {
        UInt256 u = UInt256.parse(s);
        if ((u.u1() | u.u2() | u.u3()) != 0) throw new IllegalArgumentException("not a 64-bit number: " + abbreviate(s));
        return u.u0();
    }

    /** Exactly eight bytes, read as an unsigned big-endian long (the proof-of-work nonce). */
    static long bytes8(String s) {
        return Bytes.getLong(exactly(s, 8), 0);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
