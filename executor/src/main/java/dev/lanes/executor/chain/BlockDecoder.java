package dev.lanes.executor.chain;

import dev.lanes.evm.tx.Transaction;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.Withdrawal;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.RlpException;
import dev.lanes.primitives.rlp.RlpReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a block's RLP, {@code [header, transactions, ommers]} with {@code withdrawals} appended from
 * Shanghai, strictly: canonical RLP only, fixed-size fields of their exact size, integers without leading
 * zeros and within 64 bits where the header stores a long, nothing left over. Which fields a header must
 * have for its fork is the validator's business ({@link HeaderValidator}); here any 15 to 21 are read.
 *
 * <p>Every failure is a {@link MalformedBlockException} naming the part that is wrong.
 */
public final class BlockDecoder {
    private BlockDecoder() {}

    /** A block RLP that cannot be decoded. */
    public static final class MalformedBlockException extends IllegalArgumentException {
        public MalformedBlockException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A decoded block. {@code hash} is keccak256 of the header's bytes as received (the same as re-encoding,
     * since only canonical input is accepted); {@code withdrawals} is null when the body has no such list.
     */
    public record Block(BlockHeader header, Hash hash, List<Transaction> transactions, List<BlockHeader> ommers,
                        List<Hash> ommerHashes, List<Withdrawal> withdrawals, int size) {}

    public static Block decode(byte[] rlp) {
        if (rlp == null || rlp.length == 0) throw new MalformedBlockException("block RLP is empty", null);
        String part = "block";
        try {
            RlpReader r = new RlpReader(rlp);
            int end = r.enterList();
            part = "header";
            int headerStart = r.position();
            BlockHeader header = header(r);
            Hash hash = Keccak.hashOf(java.util.Arrays.copyOfRange(rlp, headerStart, r.position()));
            part = "transactions";
            List<Transaction> txs = transactions(r);
            part = "ommers";
            List<BlockHeader> ommers = new ArrayList<>();
            List<Hash> ommerHashes = new ArrayList<>();
            int oe = r.enterList();
            while (r.hasMore(oe)) {
                byte[] raw = r.readRaw();
                RlpReader or = new RlpReader(raw);
                ommers.add(header(or));
                or.requireEnd();
                ommerHashes.add(Keccak.hashOf(raw));
            }
            r.leaveList(oe);
            List<Withdrawal> withdrawals = null;
            if (r.hasMore(end)) {
                part = "withdrawals";
                withdrawals = withdrawals(r);
            }
            part = "block";
            if (r.hasMore(end)) throw new RlpException("more than four items in the block list", r.position());
            r.leaveList(end);
            r.requireEnd();
            return new Block(header, hash, List.copyOf(txs), List.copyOf(ommers), List.copyOf(ommerHashes),
                    withdrawals == null ? null : List.copyOf(withdrawals), rlp.length);
        } catch (IllegalArgumentException | IllegalStateException e) {
            if (e instanceof MalformedBlockException) throw e;
            throw new MalformedBlockException("malformed block RLP (" + part + "): " + e.getMessage(), e);
        }
    }

    private static final String[] NAMES = {"parentHash", "ommersHash", "coinbase", "stateRoot", "transactionsRoot",
        "receiptsRoot", "logsBloom", "difficulty", "number", "gasLimit", "gasUsed", "timestamp", "extraData", "mixHash",
        "nonce", "baseFeePerGas", "withdrawalsRoot", "blobGasUsed", "excessBlobGas", "parentBeaconBlockRoot",
        "requestsHash"};

    /** Reads one header list at the cursor. */
    public static BlockHeader header(RlpReader r) {
        int end = r.enterList();
        int field = 0;
        try {
            Hash parentHash = r.readHash();
            field++;
            Hash ommersHash = r.readHash();
            field++;
            Address coinbase = r.readAddress();
            field++;
            Hash stateRoot = r.readHash();
            field++;
            Hash txRoot = r.readHash();
            field++;
            Hash receiptsRoot = r.readHash();
            field++;
            byte[] bloom = r.readBytes();
            if (bloom.length != 256) throw new IllegalArgumentException("must be 256 bytes, got " + bloom.length);
            field++;
            UInt256 difficulty = r.readUInt256();
            field++;
            long number = u63(r);
            field++;
            long gasLimit = u63(r);
            field++;
            long gasUsed = u63(r);
            field++;
            long timestamp = u63(r);
            field++;
            byte[] extra = r.readBytes();
            field++;
            Hash mixHash = r.readHash();
            field++;
            byte[] nonce = r.readBytes();
            if (nonce.length != 8) throw new IllegalArgumentException("must be 8 bytes, got " + nonce.length);
            long n = 0;
            for (byte b : nonce) n = (n << 8) | (b & 0xff);
            field++;
            UInt256 baseFee = r.hasMore(end) ? r.readUInt256() : null;
            field++;
            Hash withdrawalsRoot = r.hasMore(end) ? r.readHash() : null;
            field++;
            Long blobGasUsed = r.hasMore(end) ? u63(r) : null;
            field++;
            Long excessBlobGas = r.hasMore(end) ? u63(r) : null;
            field++;
            Hash beaconRoot = r.hasMore(end) ? r.readHash() : null;
            field++;
            Hash requestsHash = r.hasMore(end) ? r.readHash() : null;
            field++;
            if (r.hasMore(end)) throw new IllegalArgumentException("more than " + NAMES.length + " header fields");
            r.leaveList(end);
            return new BlockHeader(parentHash, ommersHash, coinbase, stateRoot, txRoot, receiptsRoot, bloom, difficulty,
                    number, gasLimit, gasUsed, timestamp, extra, mixHash, n, baseFee, withdrawalsRoot, blobGasUsed,
                    excessBlobGas, beaconRoot, requestsHash);
        } catch (IllegalArgumentException e) {
            String name = field < NAMES.length ? NAMES[field] : "header";
            throw new IllegalArgumentException("header field " + name + ": " + e.getMessage(), e);
        }
    }

    /** Block numbers, gas and timestamps are 64-bit (Yellow Paper); values from 2^63 are not representable here. */
    private static long u63(RlpReader r) {
        long v = r.readLong();
        if (v < 0) throw new IllegalArgumentException("value " + Long.toUnsignedString(v) + " is 2^63 or more");
        return v;
    }

    private static List<Transaction> transactions(RlpReader r) {
        List<Transaction> out = new ArrayList<>();
        int end = r.enterList();
        while (r.hasMore(end)) {
            int i = out.size();
            try {
                // EIP-2718: a legacy transaction is its RLP list; a typed one is a string holding type || payload.
                if (r.isList()) {
                    out.add(Transaction.decode(r.readRaw()));
                } else {
                    byte[] typed = r.readBytes();
                    if (typed.length == 0 || (typed[0] & 0xff) >= 0x80)
                        throw new IllegalArgumentException("a typed transaction must start with its type byte (0x00-0x7f)");
                    out.add(Transaction.decode(typed));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("transaction " + i + ": " + e.getMessage(), e);
            }
        }
        r.leaveList(end);
        return out;
    }

    private static List<Withdrawal> withdrawals(RlpReader r) {
        List<Withdrawal> out = new ArrayList<>();
        int end = r.enterList();
        while (r.hasMore(end)) {
            int we = r.enterList();
            long index = r.readLong(), validator = r.readLong();
            Address address = r.readAddress();
            long amount = r.readLong();
            r.leaveList(we);
            out.add(new Withdrawal(index, validator, address, amount));
        }
        r.leaveList(end);
        return out;
    }
}
