package dev.lanes.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Bytes;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.RlpWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * A consensus block header: the fifteen fields every fork has, then the fields later forks append, in this
 * order. The block hash is {@code keccak256(rlp(header))}, integers as minimal big-endian scalars and
 * {@code nonce} as a fixed 8-byte string.
 *
 * <p>The appended fields are {@code null} in blocks from before their fork: {@code baseFeePerGas} (London,
 * EIP-1559), {@code withdrawalsRoot} (Shanghai, EIP-4895), {@code blobGasUsed} and {@code excessBlobGas}
 * (Cancun, EIP-4844), {@code parentBeaconBlockRoot} (Cancun, EIP-4788), {@code requestsHash} (Prague,
 * EIP-7685). The encoding has no way to skip one, so a field may be set only when every field before it is.
 *
 * <p>The {@code long} fields are unsigned 64-bit values, as the encoding writes them. The byte-array components
 * are copied in and out.
 */
public record BlockHeader(
        Hash parentHash, Hash ommersHash, Address coinbase, Hash stateRoot, Hash transactionsRoot,
        Hash receiptsRoot, byte[] logsBloom, UInt256 difficulty, long number, long gasLimit, long gasUsed,
        long timestamp, byte[] extraData, Hash mixHash, long nonce,
        UInt256 baseFeePerGas, Hash withdrawalsRoot, Long blobGasUsed, Long excessBlobGas,
        Hash parentBeaconBlockRoot, Hash requestsHash) {

    /** Header fields every fork has ({@code parentHash} .. {@code nonce}). */
    public static final int BASE_FIELDS = 15;
    private static final String[] OPTIONAL_NAMES = {"baseFeePerGas", "withdrawalsRoot", "blobGasUsed", "excessBlobGas",
        "parentBeaconBlockRoot", "requestsHash"};

    public BlockHeader {
        need(parentHash, "parentHash");
        need(ommersHash, "ommersHash");
        need(coinbase, "coinbase");
        need(stateRoot, "stateRoot");
        need(transactionsRoot, "transactionsRoot");
        need(receiptsRoot, "receiptsRoot");
        need(logsBloom, "logsBloom");
        need(difficulty, "difficulty");
        need(extraData, "extraData");
        need(mixHash, "mixHash");
        if (logsBloom.length != Bloom.BYTES)
            throw new IllegalArgumentException("logsBloom must be " + Bloom.BYTES + " bytes, got " + logsBloom.length);
        Object[] optional = {baseFeePerGas, withdrawalsRoot, blobGasUsed, excessBlobGas, parentBeaconBlockRoot, requestsHash};
        for (int i = 1; i < optional.length; i++) {
            if (optional[i] != null && optional[i - 1] == null)
                throw new IllegalArgumentException(OPTIONAL_NAMES[i] + " is set but " + OPTIONAL_NAMES[i - 1]
                        + " is not: a header's later fields need all the earlier ones");
        }
        logsBloom = logsBloom.clone();
        extraData = extraData.clone();
    }

    private static void need(Object v, String name) {
        if (v == null) throw new IllegalArgumentException("header field " + name + " is missing");
    }

    /**
     * Parses the header fields of a block object as {@code eth_getBlockByNumber} returns it (the RPC names:
     * {@code sha3Uncles} is {@code ommersHash}, {@code miner} is {@code coinbase}). An appended field is taken
     * when the object has it; other members ({@code hash}, {@code size}, {@code transactions}...) are ignored.
     *
     * @throws IllegalArgumentException naming the field that is missing or malformed
     */
    public static BlockHeader fromRpc(JsonNode block) {
        if (block == null || !block.isObject()) throw new IllegalArgumentException("a block must be a JSON object");
        return new BlockHeader(
                RpcFields.required(block, "parentHash", RpcFields::hash),
                RpcFields.required(block, "sha3Uncles", RpcFields::hash),
                RpcFields.required(block, "miner", RpcFields::address),
                RpcFields.required(block, "stateRoot", RpcFields::hash),
                RpcFields.required(block, "transactionsRoot", RpcFields::hash),
                RpcFields.required(block, "receiptsRoot", RpcFields::hash),
                RpcFields.required(block, "logsBloom", s -> RpcFields.exactly(s, Bloom.BYTES)),
                RpcFields.required(block, "difficulty", RpcFields::uint256),
                RpcFields.required(block, "number", RpcFields::u63),
                RpcFields.required(block, "gasLimit", RpcFields::u63),
                RpcFields.required(block, "gasUsed", RpcFields::u63),
                RpcFields.required(block, "timestamp", RpcFields::u63),
                RpcFields.required(block, "extraData", RpcFields::bytes),
                RpcFields.required(block, "mixHash", RpcFields::hash),
                RpcFields.required(block, "nonce", RpcFields::bytes8),
                RpcFields.optional(block, "baseFeePerGas", RpcFields::uint256),
                RpcFields.optional(block, "withdrawalsRoot", RpcFields::hash),
                RpcFields.optional(block, "blobGasUsed", RpcFields::u63),
                RpcFields.optional(block, "excessBlobGas", RpcFields::u63),
                RpcFields.optional(block, "parentBeaconBlockRoot", RpcFields::hash),
                RpcFields.optional(block, "requestsHash", RpcFields::hash));
    }

    /**
     * This header as {@code eth_getBlockByNumber} names its fields (the inverse of {@link #fromRpc}): quantities
     * as minimal 0x-hex, hashes and data as 0x-hex, the nonce as eight bytes; an appended field only when set.
     * The block's own members ({@code hash}, {@code size}, {@code transactions}...) are the caller's to add.
     */
    public ObjectNode toRpc() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("parentHash", parentHash.toString());
        o.put("sha3Uncles", ommersHash.toString());
        o.put("miner", coinbase.toString());
        o.put("stateRoot", stateRoot.toString());
        o.put("transactionsRoot", transactionsRoot.toString());
        o.put("receiptsRoot", receiptsRoot.toString());
        o.put("logsBloom", Hex.prefixed(logsBloom));
        o.put("difficulty", difficulty.toHex());
        o.put("number", quantity(number));
        o.put("gasLimit", quantity(gasLimit));
        o.put("gasUsed", quantity(gasUsed));
        o.put("timestamp", quantity(timestamp));
        o.put("extraData", Hex.prefixed(extraData));
        o.put("mixHash", mixHash.toString());
        o.put("nonce", String.format("0x%016x", nonce));
        if (baseFeePerGas != null) o.put("baseFeePerGas", baseFeePerGas.toHex());
        if (withdrawalsRoot != null) o.put("withdrawalsRoot", withdrawalsRoot.toString());
        if (blobGasUsed != null) o.put("blobGasUsed", quantity(blobGasUsed));
        if (excessBlobGas != null) o.put("excessBlobGas", quantity(excessBlobGas));
        if (parentBeaconBlockRoot != null) o.put("parentBeaconBlockRoot", parentBeaconBlockRoot.toString());
        if (requestsHash != null) o.put("requestsHash", requestsHash.toString());
        return o;
    }

    /** An unsigned 64-bit value as an RPC quantity. */
    static String quantity(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** The base fee, or zero before London (what the BASEFEE environment needs). */
    public UInt256 baseFee() {
        return baseFeePerGas == null ? UInt256.ZERO : baseFeePerGas;
    }

    /** How many fields the encoding has: 15, plus one per appended field present (16 London .. 21 Prague). */
    public int fieldCount() {
        Object[] optional = {baseFeePerGas, withdrawalsRoot, blobGasUsed, excessBlobGas, parentBeaconBlockRoot, requestsHash};
        int n = BASE_FIELDS;
        for (Object o : optional) if (o != null) n++;
        return n;
    }

    /** Appends this header's RLP list to {@code w}. */
    public RlpWriter writeTo(RlpWriter w) {
        w.startList()
                .writeBytes(parentHash.unsafeBytes())
                .writeBytes(ommersHash.unsafeBytes())
                .writeBytes(coinbase.unsafeBytes())
                .writeBytes(stateRoot.unsafeBytes())
                .writeBytes(transactionsRoot.unsafeBytes())
                .writeBytes(receiptsRoot.unsafeBytes())
                .writeBytes(logsBloom)
                .writeUInt256(difficulty)
                .writeLong(number)
                .writeLong(gasLimit)
                .writeLong(gasUsed)
                .writeLong(timestamp)
                .writeBytes(extraData)
                .writeBytes(mixHash.unsafeBytes());
        byte[] n = new byte[8];
        Bytes.putLong(n, 0, nonce);
        w.writeBytes(n);
        if (baseFeePerGas != null) w.writeUInt256(baseFeePerGas);
        if (withdrawalsRoot != null) w.writeBytes(withdrawalsRoot.unsafeBytes());
        if (blobGasUsed != null) w.writeLong(blobGasUsed);
        if (excessBlobGas != null) w.writeLong(excessBlobGas);
        if (parentBeaconBlockRoot != null) w.writeBytes(parentBeaconBlockRoot.unsafeBytes());
        if (requestsHash != null) w.writeBytes(requestsHash.unsafeBytes());
        return w.endList();
    }

    /** {@code rlp(header)}. */
    public byte[] rlp() {
        return writeTo(new RlpWriter(512 + extraData.length)).toByteArray();
    }

    /** The block hash, {@code keccak256(rlp(header))}. Computed on each call. */
    public Hash hash() {
        return Keccak.hashOf(rlp());
    }

    @Override
    public byte[] logsBloom() {
        return logsBloom.clone();
    }

    @Override
    public byte[] extraData() {
        return extraData.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockHeader h && parentHash.equals(h.parentHash) && ommersHash.equals(h.ommersHash)
                && coinbase.equals(h.coinbase) && stateRoot.equals(h.stateRoot)
                && transactionsRoot.equals(h.transactionsRoot) && receiptsRoot.equals(h.receiptsRoot)
                && Arrays.equals(logsBloom, h.logsBloom) && difficulty.equals(h.difficulty) && number == h.number
                && gasLimit == h.gasLimit && gasUsed == h.gasUsed && timestamp == h.timestamp
                && Arrays.equals(extraData, h.extraData) && mixHash.equals(h.mixHash) && nonce == h.nonce
                && Objects.equals(baseFeePerGas, h.baseFeePerGas) && Objects.equals(withdrawalsRoot, h.withdrawalsRoot)
                && Objects.equals(blobGasUsed, h.blobGasUsed) && Objects.equals(excessBlobGas, h.excessBlobGas)
                && Objects.equals(parentBeaconBlockRoot, h.parentBeaconBlockRoot)
                && Objects.equals(requestsHash, h.requestsHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(parentHash, stateRoot, number, timestamp, Arrays.hashCode(extraData), nonce);
    }

    @Override
    public String toString() {
        return "BlockHeader[number=" + number + ", timestamp=" + timestamp + ", parentHash=" + parentHash
                + ", stateRoot=" + stateRoot + ", gasUsed=" + gasUsed + ", fields=" + fieldCount()
                + ", extraData=" + Hex.prefixed(extraData) + "]";
    }
}
