package dev.lanes.executor;

import dev.lanes.evm.Log;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Execution-layer requests (EIP-7685, Prague): deposits parsed from the deposit contract's logs
 * (EIP-6110), withdrawal requests (EIP-7002) and consolidation requests (EIP-7251) returned by their
 * system contracts, and the header commitment {@code requestsHash}.
 */
public final class Requests {
    public static final int DEPOSIT = 0x00, WITHDRAWAL = 0x01, CONSOLIDATION = 0x02;
    /** EIP-6110: the mainnet deposit contract and its DepositEvent topic. */
    public static final Address DEPOSIT_CONTRACT = Address.fromHex("0x00000000219ab540356cbb839cbe05303d7705fa");
    public static final Hash DEPOSIT_EVENT = Hash.fromHex("0x649bbc62d0e31342afea4e5cd82d4049e7e1ee912fc0889aa790803be39038c5");
    /** EIP-7002 and EIP-7251 system contracts. */
    public static final Address WITHDRAWAL_REQUESTS = Address.fromHex("0x00000961ef480eb55e80d19ad83579a64c007002");
    public static final Address CONSOLIDATION_REQUESTS = Address.fromHex("0x0000bbddc7ce488642fb579f8b00f3a590007251");

    /** The five DepositEvent fields and their sizes: pubkey, withdrawal credentials, amount, signature, index. */
    private static final int[] DEPOSIT_FIELD_SIZES = {48, 32, 8, 96, 8};

    private Requests() {}

    /** The deposit request data of one block: each deposit's fields concatenated (192 bytes per deposit). */
    public static byte[] deposits(List<List<Log>> logsPerTx) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (List<Log> logs : logsPerTx) {
            for (Log l : logs) {
                if (l.address().equals(DEPOSIT_CONTRACT) && !l.topics().isEmpty() && l.topics().getFirst().equals(DEPOSIT_EVENT)) {
                    out.writeBytes(depositData(l.data()));
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * Decodes the ABI-encoded DepositEvent(bytes,bytes,bytes,bytes,bytes): five offsets, then each field as
     * a length word and its padded bytes. A log whose layout differs makes the block invalid.
     */
    static byte[] depositData(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(192);
        for (int i = 0; i < DEPOSIT_FIELD_SIZES.length; i++) {
            long offset = word(data, 32 * i);
            if (offset < 0 || offset + 32 > data.length) throw new IllegalArgumentException("deposit log: bad offset of field " + i);
            long len = word(data, (int) offset);
            if (len != DEPOSIT_FIELD_SIZES[i] || offset + 32 + len > data.length) {
                throw new IllegalArgumentException("deposit log: field " + i + " has length " + len + ", expected " + DEPOSIT_FIELD_SIZES[i]);
            }
            out.write(data, (int) offset + 32, (int) len);
        }
        return out.toByteArray();
    }

    /** A 32-byte big-endian word as a long, or -1 when it does not fit in 31 bits. */
    private static long word(byte[] data, int at) {
        if (at < 0 || at + 32 > data.length) return -1;
        for (int i = at; i < at + 28; i++) if (data[i] != 0) return -1;
        long v = Bytes.getInt(data, at + 28) & 0xffffffffL;
        return v > Integer.MAX_VALUE ? -1 : v;
    }

    /** EIP-7685: sha256(sha256(type || data) for each request type with non-empty data, in type order). */
    public static Hash hash(byte[]... dataByType) {
        MessageDigest outer = sha256();
        for (int type = 0; type < dataByType.length; type++) {
            byte[] d = dataByType[type];
            if (d == null || d.length == 0) continue;
            MessageDigest inner = sha256();
            inner.update((byte) type);
            inner.update(d);
            outer.update(inner.digest());
        }
        return Hash.adopt(outer.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
