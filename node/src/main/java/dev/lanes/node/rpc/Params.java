package dev.lanes.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;

/**
 * The positional parameters of one request, read strictly: quantities are 0x-hex strings of at most 256 bits,
 * data is 0x-hex with an even number of digits, addresses are 20 bytes and hashes 32. Anything else is an
 * {@link RpcError#INVALID_PARAMS} error naming the parameter, so that no handler sees a malformed value.
 */
final class Params {
    private final JsonNode array;

    Params(JsonNode params) {
        if (params != null && !params.isNull() && !params.isArray())
            throw RpcError.invalidParams("params must be an array");
        this.array = params;
    }

    int size() {
        return array == null || array.isNull() ? 0 : array.size();
    }

    /** Fails when more than {@code max} parameters were given. */
    Params atMost(int max) {
        if (size() > max) throw RpcError.invalidParams("too many arguments, want at most " + max);
        return this;
    }

    boolean has(int i) {
        return i < size() && !array.get(i).isNull();
    }

    JsonNode node(int i) {
        if (!has(i)) throw RpcError.invalidParams("missing value for required argument " + i);
        return array.get(i);
    }

    String text(int i) {
        JsonNode n = node(i);
        if (!n.isTextual()) throw RpcError.invalidParams("argument " + i + ": expected a string, got " + n.getNodeType());
        return n.asText();
    }

    boolean bool(int i, boolean absent) {
        if (!has(i)) return absent;
        JsonNode n = node(i);
        if (!n.isBoolean()) throw RpcError.invalidParams("argument " + i + ": expected a boolean, got " + n.getNodeType());
        return n.asBoolean();
    }

    Address address(int i) {
        return address(node(i), "argument " + i);
    }

    Hash hash(int i) {
        return hash(node(i), "argument " + i);
    }

    byte[] data(int i) {
        return data(node(i), "argument " + i);
    }

    UInt256 quantity(int i) {
        return quantity(node(i), "argument " + i);
    }

    // ---- shared by object fields (call requests, filters) ----

    static String hexText(JsonNode n, String what) {
        if (n == null || !n.isTextual()) throw RpcError.invalidParams(what + ": expected a 0x-prefixed hex string");
        String s = n.asText();
        if (!s.startsWith("0x") && !s.startsWith("0X")) throw RpcError.invalidParams(what + ": hex string without 0x prefix");
        return s;
    }

    static byte[] data(JsonNode n, String what) {
        String s = hexText(n, what);
        if ((s.length() & 1) != 0) throw RpcError.invalidParams(what + ": hex string of odd length");
        try {
            return Hex.decode(s);
        } catch (IllegalArgumentException e) {
            throw RpcError.invalidParams(what + ": " + e.getMessage());
        }
    }

    static Address address(JsonNode n, String what) {
        byte[] b = data(n, what);
        if (b.length != Address.LENGTH) throw RpcError.invalidParams(what + ": an address is 20 bytes, got " + b.length);
        return Address.wrap(b);
    }

    static Hash hash(JsonNode n, String what) {
        byte[] b = data(n, what);
        if (b.length != Hash.LENGTH) throw RpcError.invalidParams(what + ": a hash is 32 bytes, got " + b.length);
        return Hash.adopt(b);
    }

    static UInt256 quantity(JsonNode n, String what) {
        String s = hexText(n, what);
        if (s.length() == 2) throw RpcError.invalidParams(what + ": empty hex number");
        if (s.length() > 66) throw RpcError.invalidParams(what + ": hex number larger than 256 bits");
        try {
            return UInt256.fromBytes(Hex.decode(s));
        } catch (IllegalArgumentException e) {
            throw RpcError.invalidParams(what + ": " + e.getMessage());
        }
    }

    /** A quantity that must fit in 63 bits (gas, block numbers, indices). */
    static long u63(JsonNode n, String what) {
        UInt256 v = quantity(n, what);
        if (!v.fitsLong()) throw RpcError.invalidParams(what + ": number too large");
        return v.u0();
    }
}
