package dev.lanes.executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.evm.AccountInfo;
import dev.lanes.evm.tx.AccessListEntry;
import dev.lanes.evm.tx.Authorization;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.executor.chain.ChainSpec;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;
import dev.lanes.state.WorldState;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a block and the state before it as a block folder that {@link MainnetBlock} reads and {@code ./lanes
 * replay} replays: {@code block.json}, {@code pre_state.json}, {@code block_hashes.json}, and, when given, {@code
 * parent.json}, {@code uncles.json} and {@code chain.json}. Used to turn chains whose whole state is known (the
 * official BlockchainTests) into folders whose state root replay can check.
 *
 * <p>{@code block.json} has the fields the reader needs, as {@code eth_getBlockByNumber(n, true)} names them
 * (header, {@code hash}, {@code size}, full transactions with {@code hash} and {@code from}, uncle hashes,
 * withdrawals), not every field a node adds ({@code totalDifficulty}, each transaction's block position).
 */
public final class BlockFolderWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /**
     * What a folder holds. {@code withdrawals} is null before Shanghai; {@code parent} may be null (then the
     * replay cannot show the pre-state to be whole); {@code network} null means mainnet's schedule, and then
     * {@code blobSchedules} must be empty.
     */
    public record Contents(BlockHeader header, List<Transaction> transactions, List<BlockHeader> ommers,
                           List<Withdrawal> withdrawals, WorldState preState, Map<Long, Hash> blockHashes,
                           BlockHeader parent, String network, long chainId, Map<String, ChainSpec.BlobSchedule> blobSchedules) {}

    private BlockFolderWriter() {}

    /** Writes the folder {@code dir} (created if needed; files of the same names are replaced). */
    public static void write(Path dir, Contents c) throws IOException {
        if (c.network == null && !c.blobSchedules.isEmpty()) throw new IllegalArgumentException("blob schedules need a network");
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("block.json").toFile(), block(c));
        JSON.writeValue(dir.resolve("pre_state.json").toFile(), state(c.preState));
        ObjectNode hashes = F.objectNode();
        new TreeMap<>(c.blockHashes).forEach((n, h) -> hashes.put(Long.toString(n), h.toString()));
        JSON.writeValue(dir.resolve("block_hashes.json").toFile(), hashes);
        if (c.parent != null) JSON.writeValue(dir.resolve("parent.json").toFile(), withHash(c.parent));
        if (!c.ommers.isEmpty()) {
            ArrayNode uncles = F.arrayNode();
            for (BlockHeader o : c.ommers) uncles.add(withHash(o));
            JSON.writeValue(dir.resolve("uncles.json").toFile(), uncles);
        }
        if (c.network != null || c.chainId != BlockExecutor.CHAIN_ID) {
            ObjectNode chain = F.objectNode();
            if (c.network != null) chain.put("network", c.network);
            chain.put("chainId", c.chainId);
            if (!c.blobSchedules.isEmpty()) {
                ObjectNode schedules = chain.putObject("blobSchedule");
                new TreeMap<>(c.blobSchedules).forEach((era, s) -> schedules.putObject(era).put("target", s.target())
                        .put("max", s.max()).put("baseFeeUpdateFraction", s.baseFeeUpdateFraction()));
            }
            JSON.writeValue(dir.resolve("chain.json").toFile(), chain);
        }
    }

    private static ObjectNode withHash(BlockHeader h) {
        ObjectNode o = h.toRpc();
        o.put("hash", h.hash().toString());
        return o;
    }

    private static ObjectNode block(Contents c) {
        ObjectNode o = withHash(c.header);
        o.put("size", BlockHeader.quantity(BlockRlp.encode(c.header, c.transactions, c.ommers, c.withdrawals).length));
        ArrayNode txs = o.putArray("transactions");
        for (Transaction tx : c.transactions) txs.add(transaction(tx));
        ArrayNode uncles = o.putArray("uncles");
        for (BlockHeader u : c.ommers) uncles.add(u.hash().toString());
        if (c.withdrawals != null) {
            ArrayNode ws = o.putArray("withdrawals");
            for (Withdrawal w : c.withdrawals) {
                ws.addObject().put("index", BlockHeader.quantity(w.index()))
                        .put("validatorIndex", BlockHeader.quantity(w.validator()))
                        .put("address", w.address().toString())
                        .put("amount", BlockHeader.quantity(w.amountGwei()));
            }
        }
        return o;
    }

    /** A transaction as an RPC object, with the fields {@link MainnetBlock#transaction} reads plus its hash and sender. */
    public static ObjectNode transaction(Transaction tx) {
        ObjectNode o = F.objectNode();
        o.put("type", BlockHeader.quantity(tx.type().id));
        o.put("hash", tx.hash().toString());
        o.put("from", tx.sender().toString());
        if (tx.chainId() != null) o.put("chainId", tx.chainId().toHex());
        o.put("nonce", BlockHeader.quantity(tx.nonce()));
        o.put("gas", BlockHeader.quantity(tx.gasLimit()));
        if (tx.type() == TxType.LEGACY || tx.type() == TxType.ACCESS_LIST) {
            o.put("gasPrice", tx.gasPrice().toHex());
        } else {
            o.put("maxFeePerGas", tx.maxFeePerGas().toHex());
            o.put("maxPriorityFeePerGas", tx.maxPriorityFeePerGas().toHex());
        }
        o.put("to", tx.to() == null ? null : tx.to().toString());
        o.put("value", tx.value().toHex());
        o.put("input", Hex.prefixed(tx.unsafeData()));
        if (tx.type() != TxType.LEGACY) {
            ArrayNode list = o.putArray("accessList");
            for (AccessListEntry e : tx.accessList()) {
                ObjectNode entry = list.addObject().put("address", e.address().toString());
                ArrayNode keys = entry.putArray("storageKeys");
                for (Hash k : e.storageKeys()) keys.add(k.toString());
            }
        }
        if (tx.type() == TxType.BLOB) {
            o.put("maxFeePerBlobGas", tx.maxFeePerBlobGas().toHex());
            ArrayNode hashes = o.putArray("blobVersionedHashes");
            for (Hash h : tx.blobVersionedHashes()) hashes.add(h.toString());
        }
        if (tx.type() == TxType.SET_CODE) {
            ArrayNode auths = o.putArray("authorizationList");
            for (Authorization a : tx.authorizationList()) {
                auths.addObject().put("chainId", a.chainId().toHex()).put("address", a.address().toString())
                        .put("nonce", BlockHeader.quantity(a.nonce())).put("yParity", a.yParity().toHex())
                        .put("r", a.r().toHex()).put("s", a.s().toHex());
            }
        }
        o.put("v", tx.v().toHex());
        o.put("r", tx.r().toHex());
        o.put("s", tx.s().toHex());
        if (tx.type() != TxType.LEGACY) o.put("yParity", tx.v().toHex());
        return o;
    }

    /** The whole state in {@code pre_state.json}'s format, accounts and slots in order. */
    static ObjectNode state(WorldState s) {
        ObjectNode out = F.objectNode();
        for (Address a : s.addresses().stream().sorted(Comparator.comparing(Address::toString)).toList()) {
            AccountInfo info = s.account(a);
            ObjectNode acc = out.putObject(a.toString());
            acc.put("balance", info.balance().toHex());
            acc.put("nonce", new BigInteger(Long.toUnsignedString(info.nonce()))); // unsigned 64-bit
            acc.put("code", info.hasCode() ? Hex.prefixed(s.code(info.codeHash())) : "0x");
            ObjectNode storage = acc.putObject("storage");
            s.storageOf(a).entrySet().stream().sorted(Map.Entry.comparingByKey(UInt256::compareTo))
                    .forEach(e -> storage.put(e.getKey().toHex(), e.getValue().toHex()));
        }
        return out;
    }
}
