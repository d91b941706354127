package dev.lanes.executor.workload;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little of the Solidity ABI the workloads need: function selectors, and argument encoding for
 * {@code address}, {@code uint256} ({@link UInt256}, {@link BigInteger}, {@link Long}), {@code bool},
 * {@code string} and {@code bytes} ({@code byte[]}).
 */
final class Abi {
    private Abi() {}

    /** The first four bytes of keccak256 of a canonical signature such as {@code "transfer(address,uint256)"}. */
    static byte[] selector(String signature) {
        return Arrays.copyOf(Keccak.hash(signature.getBytes(StandardCharsets.US_ASCII)), 4);
    }

    /** Calldata: the selector of {@code signature}, then the encoded arguments. */
    static byte[] call(String signature, Object... args) {
        byte[] sel = selector(signature);
        byte[] enc = encode(args);
        byte[] out = Arrays.copyOf(sel, 4 + enc.length);
        System.arraycopy(enc, 0, out, 4, enc.length);
        return out;
    }

    /** {@code abi.encode(args...)}: a head of 32-byte words (offsets for dynamic values), then their tails. */
    static byte[] encode(Object... args) {
        List<byte[]> heads = new ArrayList<>();
        List<byte[]> tails = new ArrayList<>();
        for (Object a : args) {
            byte[] dynamic = a instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : a instanceof byte[] b ? b : null;
            if (dynamic == null) {
                heads.add(word(a));
                tails.add(null);
            } else {
                heads.add(null);
                byte[] tail = new byte[32 + (dynamic.length + 31) / 32 * 32];
                System.arraycopy(UInt256.of(dynamic.length).toBytes(), 0, tail, 0, 32);
                System.arraycopy(dynamic, 0, tail, 32, dynamic.length);
                tails.add(tail);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long offset = 32L * args.length;
        for (int i = 0; i < args.length; i++) {
            if (heads.get(i) != null) {
                out.writeBytes(heads.get(i));
            } else {
                out.writeBytes(UInt256.of(offset).toBytes());
                offset += tails.get(i).length;
            }
        }
        for (byte[] t : tails) if (t != null) out.writeBytes(t);
        return out.toByteArray();
    }

    /** One static value as a 32-byte word. */
    static byte[] word(Object a) {
        return switch (a) {
            case Address addr -> {
                byte[] w = new byte[32];
                System.arraycopy(addr.unsafeBytes(), 0, w, 12, 20);
                yield w;
            }
            case UInt256 u -> u.toBytes();
            case BigInteger b -> UInt256.fromBigInteger(b).toBytes();
            case Long l -> {
                if (l < 0) throw new IllegalArgumentException("negative uint256: " + l);
                yield UInt256.of(l).toBytes();
            }
            case Boolean b -> UInt256.of(b ? 1 : 0).toBytes();
            default -> throw new IllegalArgumentException("no ABI encoding for " + a.getClass().getName());
        };
    }

    /** The storage slot of {@code mapping(address => ...)} at declaration slot {@code slot}: keccak256(key . slot). */
    static UInt256 mappingSlot(Address key, long slot) {
        byte[] buf = new byte[64];
        System.arraycopy(word(key), 0, buf, 0, 32);
        System.arraycopy(UInt256.of(slot).toBytes(), 0, buf, 32, 32);
        return UInt256.fromBytes(Keccak.hash(buf));
    }
}
