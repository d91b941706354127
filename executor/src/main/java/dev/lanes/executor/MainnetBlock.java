package dev.lanes.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.evm.ForkRules;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One block folder of the replay format: {@code block.json} (as {@code eth_getBlockByNumber(n, true)} returns
 * it), {@code pre_state.json} and optional {@code block_hashes.json}, as in {@code ../shared/mainnet-blocks};
 * and, optionally, three files those folders do not have:
 * <ul>
 *   <li>{@code chain.json}: {@code {"network": NAME, "chainId": N, "blobSchedule": {...}}}, each field optional:
 *       the fork schedule as a {@link ChainSpec} network name (default: mainnet's, {@link MainnetForks}), the
 *       chain id (default 1) and EIP-7840 blob schedules for that network's eras;</li>
 *   <li>{@code parent.json}: the parent block's header (an {@code eth_getBlockByNumber} object), whose state
 *       root is the root {@code pre_state.json} must have when it holds the whole state;</li>
 *   <li>{@code uncles.json}: the uncle headers (as {@code eth_getUncleByBlockHashAndIndex} returns them), in the
 *       order of the block's {@code uncles}, for the uncle miners' rewards and the block's encoding.</li>
 * </ul>
 * Parsed once; {@link #freshState()} builds a new world state for each replay.
 */
public final class MainnetBlock {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record PreAccount(Address address, long nonce, UInt256 balance, byte[] code, Map<UInt256, UInt256> storage) {}

    public final Path dir;
    public final BlockHeader header;
    /** The block's {@code hash} field: what {@code header.hash()} must equal. */
    public final Hash declaredHash;
    /** The block's {@code size} field (the length of its RLP encoding), or {@code null} when absent. */
    public final Long declaredSize;
    public final List<Transaction> transactions;
    /** The {@code from} field of each transaction (the sender the node recovered). */
    public final List<Address> declaredSenders;
    /** The {@code hash} field of each transaction. */
    public final List<Hash> declaredHashes;
    public final List<Withdrawal> withdrawals;
    public final int uncleCount;
    /** The block's {@code uncles}: the hashes of its uncle headers. */
    public final List<Hash> uncleHashes;
    /** The uncle headers from {@code uncles.json}, or {@code null} when the folder has none. */
    public final List<BlockHeader> uncles;
    /** The parent's header from {@code parent.json}, or {@code null} when the folder has none. */
    public final BlockHeader parent;
    /** The chain from {@code chain.json}'s {@code network}, or {@code null} for mainnet ({@link MainnetForks}). */
    public final ChainSpec chain;
    /** The chain id ({@code chain.json}'s {@code chainId}; 1, mainnet's, by default). */
    public final long chainId;
    private final List<PreAccount> preState;
    private final Map<Long, Hash> blockHashes;

    /** The optional files' contents, as {@link #load} gathers them. */
    private record Extras(List<BlockHeader> uncles, BlockHeader parent, ChainSpec chain, long chainId) {}

    private MainnetBlock(Path dir, BlockHeader header, Hash declaredHash, Long declaredSize, List<Transaction> txs, List<Address> from, List<Hash> hashes,
                         List<Withdrawal> withdrawals, List<Hash> uncleHashes, Extras extra, List<PreAccount> preState,
                         Map<Long, Hash> blockHashes) {
        this.dir = dir;
        this.header = header;
        this.declaredHash = declaredHash;
        this.declaredSize = declaredSize;
        this.transactions = txs;
        this.declaredSenders = from;
        this.declaredHashes = hashes;
        this.withdrawals = withdrawals;
        this.uncleCount = uncleHashes.size();
        this.uncleHashes = uncleHashes;
        this.uncles = extra.uncles;
        this.parent = extra.parent;
        this.chain = extra.chain;
        this.chainId = extra.chainId;
        this.preState = preState;
        this.blockHashes = blockHashes;
    }

    public static MainnetBlock load(Path dir) throws IOException {
        JsonNode b = JSON.readTree(dir.resolve("block.json").toFile());
        BlockHeader h;
        Hash declaredHash;
        Long declaredSize;
        try {
            h = BlockHeader.fromRpc(b);
            declaredHash = RpcFields.required(b, "hash", RpcFields::hash);
            declaredSize = RpcFields.optional(b, "size", RpcFields::u63);
        } catch (IllegalArgumentException e) {
            throw new IOException(dir.resolve("block.json") + ": " + e.getMessage(), e);
        }
        List<Transaction> txs = new ArrayList<>();
        List<Address> from = new ArrayList<>();
        List<Hash> hashes = new ArrayList<>();
        int i = 0;
        JsonNode txsNode = b.get("transactions");
        if (txsNode == null || !txsNode.isArray())
            throw new IOException(dir.resolve("block.json") + ": field 'transactions' must be an array");
        for (JsonNode t : txsNode) {
            if (!t.isObject()) throw new IOException(dir + ": transactions must be full objects (eth_getBlockByNumber(n, true))");
            try {
                txs.add(transaction(t));
                from.add(RpcFields.optional(t, "from", RpcFields::address));
                hashes.add(RpcFields.optional(t, "hash", RpcFields::hash));
            } catch (RuntimeException e) {
                throw new IOException(dir + ": transaction " + i + " cannot be built: " + e.getMessage(), e);
            }
            i++;
        }
        List<Withdrawal> ws = new ArrayList<>();
        JsonNode wsNode = b.path("withdrawals");
        if (!wsNode.isMissingNode() && !wsNode.isNull() && !wsNode.isArray())
            throw new IOException(dir.resolve("block.json") + ": field 'withdrawals' must be an array");
        int wi = 0;
        for (JsonNode w : wsNode) {
            try {
                ws.add(new Withdrawal(RpcFields.required(w, "index", RpcFields::u64),
                        RpcFields.required(w, "validatorIndex", RpcFields::u64),
                        RpcFields.required(w, "address", RpcFields::address),
                        RpcFields.required(w, "amount", RpcFields::u64)));
            } catch (IllegalArgumentException e) {
                throw new IOException(dir.resolve("block.json") + ": withdrawals[" + wi + "]: " + e.getMessage(), e);
            }
            wi++;
        }
        JsonNode uncles = b.path("uncles");
        if (!uncles.isMissingNode() && !uncles.isNull() && !uncles.isArray())
            throw new IOException(dir.resolve("block.json") + ": field 'uncles' must be an array");
        List<Hash> uncleHashes = new ArrayList<>();
        for (JsonNode u : uncles) {
            if (!u.isTextual()) throw new IOException(dir.resolve("block.json") + ": 'uncles' must hold hashes, got " + u);
            try {
                uncleHashes.add(RpcFields.hash(u.asText()));
            } catch (IllegalArgumentException e) {
                throw new IOException(dir.resolve("block.json") + ": uncles[" + uncleHashes.size() + "]: " + e.getMessage(), e);
            }
        }
        Extras extra = new Extras(headers(dir.resolve("uncles.json")), header(dir.resolve("parent.json")), null, BlockExecutor.CHAIN_ID);
        Path chainFile = dir.resolve("chain.json");
        if (Files.exists(chainFile)) {
            try {
                extra = chain(JSON.readTree(chainFile.toFile()), extra);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IOException(chainFile + ": " + e.getMessage(), e);
            }
        }
        List<PreAccount> pre = new ArrayList<>();
        JsonNode ps = JSON.readTree(dir.resolve("pre_state.json").toFile());
        for (Iterator<Map.Entry<String, JsonNode>> it = ps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode a = e.getValue();
            try {
                Map<UInt256, UInt256> storage = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> si = a.path("storage").fields(); si.hasNext(); ) {
                    Map.Entry<String, JsonNode> s = si.next();
                    storage.put(UInt256.parse(s.getKey()), UInt256.parse(s.getValue().asText()));
                }
                JsonNode n = a.path("nonce");
                long nonce = n.isNumber() ? n.asLong() : u64(n);
                pre.add(new PreAccount(Address.fromHex(e.getKey()), nonce, UInt256.parse(a.path("balance").asText("0x0")),
                        Hex.decode(a.path("code").asText("0x")), storage));
            } catch (IllegalArgumentException ex) {
                throw new IOException(dir.resolve("pre_state.json") + ": account " + e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
        Map<Long, Hash> bh = new HashMap<>();
        Path bhf = dir.resolve("block_hashes.json");
        if (Files.exists(bhf)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = JSON.readTree(bhf.toFile()).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                bh.put(Long.parseLong(e.getKey()), Hash.fromHex(e.getValue().asText()));
            }
        }
        return new MainnetBlock(dir, h, declaredHash, declaredSize, List.copyOf(txs), from, hashes, List.copyOf(ws),
                List.copyOf(uncleHashes), extra, List.copyOf(pre), Map.copyOf(bh));
    }

    /** A header file ({@code parent.json}), or {@code null} when absent. */
    private static BlockHeader header(Path f) throws IOException {
        if (!Files.exists(f)) return null;
        try {
            return BlockHeader.fromRpc(JSON.readTree(f.toFile()));
        } catch (IllegalArgumentException e) {
            throw new IOException(f + ": " + e.getMessage(), e);
        }
    }

    /** A file holding an array of headers ({@code uncles.json}), or {@code null} when absent. */
    private static List<BlockHeader> headers(Path f) throws IOException {
        if (!Files.exists(f)) return null;
        JsonNode a = JSON.readTree(f.toFile());
        if (a == null || !a.isArray()) throw new IOException(f + ": must be an array of headers");
        List<BlockHeader> out = new ArrayList<>();
        for (JsonNode u : a) {
            try {
                out.add(BlockHeader.fromRpc(u));
            } catch (IllegalArgumentException e) {
                throw new IOException(f + ": [" + out.size() + "]: " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }

    private static final java.util.Set<String> CHAIN_FIELDS = java.util.Set.of("network", "chainId", "blobSchedule");

    /** {@code chain.json}: strict, so that a misspelt field is an error rather than a silent mainnet default. */
    private static Extras chain(JsonNode c, Extras extra) {
        if (c == null || !c.isObject()) throw new IllegalArgumentException("must be a JSON object");
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!CHAIN_FIELDS.contains(f)) throw new IllegalArgumentException("unknown field '" + f + "' (known: network, chainId, blobSchedule)");
        }
        ChainSpec spec = null;
        JsonNode net = c.get("network");
        if (net != null && !net.isNull()) {
            if (!net.isTextual()) throw new IllegalArgumentException("'network' must be a string");
            spec = ChainSpec.forNetwork(net.asText(), ChainSpec.blobSchedules(c.get("blobSchedule")));
        } else if (c.hasNonNull("blobSchedule")) {
            throw new IllegalArgumentException("'blobSchedule' needs a 'network' (mainnet's schedules are built in)");
        }
        long chainId = extra.chainId;
        JsonNode id = c.get("chainId");
        if (id != null && !id.isNull()) {
            chainId = id.canConvertToExactIntegral() && id.canConvertToLong() ? id.asLong() : RpcFields.u63(id.asText());
            if (chainId <= 0) throw new IllegalArgumentException("'chainId' must be positive, got " + id);
        }
        return new Extras(extra.uncles, extra.parent, spec, chainId);
    }

    /** This block with another (equal) list of transactions, e.g. decoded afresh so that senders are not cached. */
    public MainnetBlock withTransactions(List<Transaction> txs) {
        if (txs.size() != transactions.size()) throw new IllegalArgumentException("transaction count differs");
        return new MainnetBlock(dir, header, declaredHash, declaredSize, txs, declaredSenders, declaredHashes, withdrawals,
                uncleHashes, new Extras(uncles, parent, chain, chainId), preState, blockHashes);
    }

    /**
     * The block's RLP encoding ({@link BlockRlp}), or empty when the block has uncles and the folder no
     * {@code uncles.json}: {@code block.json} holds only their hashes, and the encoding needs their headers.
     * (Blocks from Paris on never have uncles.)
     */
    public Optional<byte[]> rlp() {
        if (uncleCount > 0 && uncles == null) return Optional.empty();
        return Optional.of(BlockRlp.encode(header, transactions, uncles == null ? List.of() : uncles,
                header.withdrawalsRoot() == null ? null : withdrawals));
    }

    /** The era this block runs in when {@code chain.json} names a network, else {@code null} (mainnet). */
    public ChainSpec.Era era() {
        return chain == null ? null : chain.eraOfLoneBlock(header.number(), header.timestamp(), header.difficulty());
    }

    /** The execution rules for this block: its network's era's ({@link #era()}), or mainnet's fork's. */
    public ForkRules rules() {
        ChainSpec.Era e = era();
        return e != null ? e.rules() : ForkRules.of(MainnetForks.forkAt(header.number(), header.timestamp()));
    }

    /** The name of the rules this block runs under: its network's era, or mainnet's fork. */
    public String forkName() {
        ChainSpec.Era e = era();
        return e != null ? e.name() : MainnetForks.nameAt(header.number(), header.timestamp());
    }

    /** The block at which the DAO fork's balance move happens on this block's chain, or -1 when it has none. */
    public long daoBlock() {
        return chain == null ? MainnetForks.DAO_FORK : chain.daoBlock();
    }

    /** A new world state holding the pre-state, with BLOCKHASH answered from {@code block_hashes.json} (zero otherwise). */
    public WorldState freshState() {
        WorldState s = new WorldState();
        for (PreAccount a : preState) s.put(a.address, a.nonce, a.balance, a.code, a.storage);
        s.setBlockHashes(n -> blockHashes.getOrDefault(n, Hash.ZERO));
        return s;
    }

    /** Builds a signed transaction from an RPC transaction object. */
    public static Transaction transaction(JsonNode t) {
        TxType type = switch ((int) u64(t.path("type").isMissingNode() ? null : t.get("type"), 0)) {
            case 0 -> TxType.LEGACY;
            case 1 -> TxType.ACCESS_LIST;
            case 2 -> TxType.DYNAMIC_FEE;
            case 3 -> TxType.BLOB;
            case 4 -> TxType.SET_CODE;
            default -> throw new IllegalArgumentException("unsupported transaction type " + t.get("type"));
        };
        Transaction.Builder b = Transaction.builder(type);
        if (type != TxType.LEGACY) b.chainId(UInt256.parse(req(t, "chainId").asText()));
        b.nonce(u64(req(t, "nonce")));
        if (type == TxType.LEGACY || type == TxType.ACCESS_LIST) {
            b.gasPrice(UInt256.parse(req(t, "gasPrice").asText()));
        } else {
            b.maxFeePerGas(UInt256.parse(req(t, "maxFeePerGas").asText()));
            b.maxPriorityFeePerGas(UInt256.parse(req(t, "maxPriorityFeePerGas").asText()));
        }
        b.gasLimit(u64(req(t, "gas")));
        if (t.hasNonNull("to")) b.to(Address.fromHex(t.get("to").asText()));
        b.value(UInt256.parse(t.path("value").asText("0x0")));
        b.data(Hex.decode(t.path("input").asText("0x")));
        if (type != TxType.LEGACY) {
            List<AccessListEntry> list = new ArrayList<>();
            for (JsonNode e : t.path("accessList")) {
                List<Hash> keys = new ArrayList<>();
                for (JsonNode k : e.path("storageKeys")) keys.add(Hash.wrap(Hex.decodeFixed(k.asText(), 32)));
                list.add(new AccessListEntry(Address.fromHex(req(e, "address").asText()), keys));
            }
            b.accessList(list);
        }
        if (type == TxType.BLOB) {
            b.maxFeePerBlobGas(UInt256.parse(req(t, "maxFeePerBlobGas").asText()));
            List<Hash> hs = new ArrayList<>();
            for (JsonNode x : t.path("blobVersionedHashes")) hs.add(Hash.wrap(Hex.decodeFixed(x.asText(), 32)));
            b.blobVersionedHashes(hs);
        }
        if (type == TxType.SET_CODE) {
            List<Authorization> auths = new ArrayList<>();
            for (JsonNode a : t.path("authorizationList")) {
                auths.add(new Authorization(UInt256.parse(req(a, "chainId").asText()), Address.fromHex(req(a, "address").asText()),
                        u64(req(a, "nonce")), UInt256.parse(req(a, "yParity").asText()), UInt256.parse(req(a, "r").asText()),
                        UInt256.parse(req(a, "s").asText())));
            }
            b.authorizationList(auths);
        }
        UInt256 v = type != TxType.LEGACY && t.hasNonNull("yParity") ? UInt256.parse(t.get("yParity").asText())
                : UInt256.parse(req(t, "v").asText());
        return b.withSignature(v, UInt256.parse(req(t, "r").asText()), UInt256.parse(req(t, "s").asText()));
    }

    private static JsonNode req(JsonNode n, String f) {
        JsonNode c = n.get(f);
        if (c == null || c.isNull()) throw new IllegalArgumentException("missing field '" + f + "'");
        return c;
    }

    private static long u64(JsonNode n) {
        return u64(n, -1);
    }

    private static long u64(JsonNode n, long dflt) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            if (dflt >= 0) return dflt;
            throw new IllegalArgumentException("missing number");
        }
        if (n.isNumber()) return n.asLong();
        UInt256 u = UInt256.parse(n.asText());
        if ((u.u1() | u.u2() | u.u3()) != 0 || u.u0() < 0) throw new IllegalArgumentException("not a 63-bit number: " + n.asText());
        return u.u0();
    }
}
