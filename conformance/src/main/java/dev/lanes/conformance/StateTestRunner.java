package dev.lanes.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.evm.BlobGas;
import dev.lanes.evm.BlockEnv;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.Log;
import dev.lanes.evm.Tracer;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.tx.AccessListEntry;
import dev.lanes.evm.tx.Authorization;
import dev.lanes.evm.tx.InvalidTransactionException;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TransactionProcessor;
import dev.lanes.evm.tx.TxResult;
import dev.lanes.evm.tx.TxType;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.crypto.Secp256k1;
import dev.lanes.primitives.rlp.RlpWriter;
import dev.lanes.state.WorldState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Runs GeneralStateTests vectors (the ethereum/tests format, and the execution-spec-tests
 * {@code state_tests} format, which shares it): for every fork under {@code post} and every
 * data/gas/value index, build the pre-state, apply the one transaction, and compare the state root and
 * the logs hash. A vector with {@code expectException} passes when the transaction is rejected.
 */
public final class StateTestRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One vector's outcome. {@code message} is null on success. */
    public record Result(Path file, String test, String fork, int d, int g, int v, String message) {
        public boolean passed() {
            return message == null;
        }

        public String id() {
            return file.getFileName() + " " + test + " " + fork + " d" + d + " g" + g + " v" + v;
        }
    }

    private final Predicate<Fork> forkFilter;
    private final Pattern nameFilter;
    private final Tracer tracer;
    private int[] index;

    public StateTestRunner(Predicate<Fork> forkFilter, Pattern nameFilter, Tracer tracer) {
        this.forkFilter = forkFilter;
        this.nameFilter = nameFilter;
        this.tracer = tracer;
    }

    /** Restricts runs to one data/gas/value index triple. */
    public StateTestRunner onlyIndex(int d, int g, int v) {
        this.index = new int[] {d, g, v};
        return this;
    }

    /** Runs every vector in one file. Malformed input yields failed results naming file and vector, never a crash. */
    public List<Result> runFile(Path file, Evm evm) {
        List<Result> out = new ArrayList<>();
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            out.add(new Result(file, "-", "-", 0, 0, 0, "cannot read JSON: " + e.getMessage()));
            return out;
        }
        if (root == null || !root.isObject()) {
            out.add(new Result(file, "-", "-", 0, 0, 0, "not a JSON object of tests"));
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (nameFilter != null && !nameFilter.matcher(name).find()) continue;
            try {
                runTest(file, name, e.getValue(), evm, out);
            } catch (RuntimeException ex) {
                out.add(new Result(file, name, "-", 0, 0, 0, "malformed test: " + describe(ex)));
            }
        }
        return out;
    }

    private void runTest(Path file, String name, JsonNode test, Evm evm, List<Result> out) {
        JsonNode post = required(test, "post");
        for (Iterator<Map.Entry<String, JsonNode>> it = post.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> fe = it.next();
            Fork fork;
            try {
                fork = Fork.byName(fe.getKey());
            } catch (IllegalArgumentException ex) {
                continue; // transition forks such as "ShanghaiToCancunAtTime15k" belong to blockchain tests
            }
            if (!forkFilter.test(fork)) continue;
            for (JsonNode p : fe.getValue()) {
                JsonNode idx = required(p, "indexes");
                int d = idx.path("data").asInt(), g = idx.path("gas").asInt(), v = idx.path("value").asInt();
                if (index != null && (index[0] != d || index[1] != g || index[2] != v)) continue;
                String msg;
                try {
                    msg = runVector(test, fork, p, d, g, v, evm);
                } catch (RuntimeException ex) {
                    msg = "error: " + describe(ex);
                } catch (StackOverflowError ex) {
                    msg = "error: stack overflow in the runner";
                }
                out.add(new Result(file, name, fork.testName, d, g, v, msg));
            }
        }
    }

    private String runVector(JsonNode test, Fork fork, JsonNode post, int d, int g, int v, Evm evm) {
        ForkRules rules = ForkRules.of(fork);
        JsonNode schedule = test.path("config").path("blobSchedule").path(fork.testName);
        if (rules.eip4844 && schedule.isObject()) {
            rules = rules.withBlobSchedule(UInt256.parse(required(schedule, "target").asText()).longValueExact(),
                    UInt256.parse(required(schedule, "max").asText()).longValueExact(),
                    UInt256.parse(required(schedule, "baseFeeUpdateFraction").asText()).longValueExact());
        }
        WorldState state = loadState(required(test, "pre"));
        state.setBlockHashes(n -> Keccak.hashOf(Long.toString(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        JsonNode env = required(test, "env");
        // execution-spec-tests fixtures may name the chain in config.chainid; ethereum/tests use chain 1.
        JsonNode chain = test.path("config").path("chainid");
        UInt256 chainId = chain.isMissingNode() || chain.isNull() ? UInt256.ONE : UInt256.parse(chain.asText());
        BlockEnv block = blockEnv(env, rules, chainId);
        String expectException = post.path("expectException").asText(null);
        JsonNode txJson = required(test, "transaction");

        List<Log> logs = List.of();
        String rejected = null;
        try {
            Transaction tx = buildTransaction(txJson, d, g, v, chainId);
            tx.validate(fork, chainId.longValueExact());
            Address sender = tx.sender();
            TxResult r = TransactionProcessor.execute(evm, tx, sender, block, state, rules, tracer);
            state.apply(r.changes());
            logs = r.logs();
        } catch (InvalidTransactionException | IllegalArgumentException | IllegalStateException | ArithmeticException ex) {
            rejected = ex.getMessage();
        }
        Hash root = state.stateRoot();
        Hash expectedRoot = Hash.fromHex(required(post, "hash").asText());
        if (expectException != null && rejected == null) {
            return "expected exception " + expectException + " but the transaction was accepted (root " + root + ")";
        }
        if (expectException == null && rejected != null) {
            return "transaction rejected: " + rejected;
        }
        if (!root.equals(expectedRoot)) return "state root " + root + ", expected " + expectedRoot;
        Hash logsHash = logsHash(logs);
        Hash expectedLogs = Hash.fromHex(required(post, "logs").asText());
        if (!logsHash.equals(expectedLogs)) return "logs hash " + logsHash + ", expected " + expectedLogs;
        return null;
    }

    static JsonNode required(JsonNode n, String field) {
        JsonNode c = n.get(field);
        if (c == null || c.isNull()) throw new IllegalArgumentException("missing field '" + field + "'");
        return c;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        StackTraceElement[] st = t.getStackTrace();
        String where = st.length > 0 ? " at " + st[0] : "";
        return t.getClass().getSimpleName() + (m != null ? ": " + m : "") + where;
    }

    public static WorldState loadState(JsonNode pre) {
        WorldState state = new WorldState();
        for (Iterator<Map.Entry<String, JsonNode>> it = pre.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode a = e.getValue();
            Map<UInt256, UInt256> storage = new LinkedHashMap<>();
            JsonNode st = a.path("storage");
            for (Iterator<Map.Entry<String, JsonNode>> si = st.fields(); si.hasNext(); ) {
                Map.Entry<String, JsonNode> s = si.next();
                storage.put(UInt256.parse(s.getKey()), UInt256.parse(s.getValue().asText()));
            }
            state.put(Address.fromHex(e.getKey()), parseU64(a.path("nonce").asText("0"), "nonce"),
                    UInt256.parse(a.path("balance").asText("0")), Hex.decode(a.path("code").asText("0x")), storage);
        }
        return state;
    }

    private static BlockEnv blockEnv(JsonNode env, ForkRules rules, UInt256 chainId) {
        UInt256 baseFee = env.has("currentBaseFee") ? UInt256.parse(env.get("currentBaseFee").asText()) : UInt256.ZERO;
        UInt256 randao = rules.eip4399Prevrandao && env.has("currentRandom")
                ? UInt256.parse(env.get("currentRandom").asText())
                : UInt256.parse(env.path("currentDifficulty").asText("0"));
        UInt256 blobBaseFee = UInt256.ONE;
        if (rules.eip4844) {
            long excess = env.has("currentExcessBlobGas") ? UInt256.parse(env.get("currentExcessBlobGas").asText()).longValueExact() : 0;
            blobBaseFee = BlobGas.baseFee(excess, rules.blobBaseFeeUpdateFraction);
        }
        return new BlockEnv(Address.fromHex(required(env, "currentCoinbase").asText()),
                UInt256.parse(required(env, "currentNumber").asText()).longValueExact(),
                UInt256.parse(required(env, "currentTimestamp").asText()).longValueExact(),
                UInt256.parse(required(env, "currentGasLimit").asText()).longValueExact(),
                baseFee, randao, chainId, blobBaseFee);
    }

    static Transaction buildTransaction(JsonNode t, int d, int g, int v, UInt256 chainId) {
        byte[] key = Hex.decodeFixed(required(t, "secretKey").asText(), 32);
        JsonNode accessLists = t.get("accessLists");
        JsonNode accessList = accessLists != null && accessLists.size() > d ? accessLists.get(d) : null;
        if (accessList != null && accessList.isNull()) accessList = null;
        boolean blob = t.has("blobVersionedHashes") || t.has("maxFeePerBlobGas");
        boolean setCode = t.has("authorizationList") && !t.get("authorizationList").isNull();
        TxType type = setCode ? TxType.SET_CODE : blob ? TxType.BLOB : t.has("maxFeePerGas") ? TxType.DYNAMIC_FEE
                : accessList != null ? TxType.ACCESS_LIST : TxType.LEGACY;
        Transaction.Builder b = Transaction.builder(type);
        if (type != TxType.LEGACY) b.chainId(chainId);
        b.nonce(parseU64(required(t, "nonce").asText(), "nonce"));
        if (t.has("gasPrice") && (type == TxType.LEGACY || type == TxType.ACCESS_LIST)) {
            b.gasPrice(UInt256.parse(t.get("gasPrice").asText()));
        } else {
            b.maxFeePerGas(UInt256.parse(required(t, "maxFeePerGas").asText()));
            b.maxPriorityFeePerGas(UInt256.parse(required(t, "maxPriorityFeePerGas").asText()));
        }
        b.gasLimit(parseU64(required(t, "gasLimit").get(g).asText(), "gasLimit"));
        String to = t.path("to").asText("");
        if (!to.isEmpty()) b.to(Address.fromHex(to));
        b.value(UInt256.parse(required(t, "value").get(v).asText()));
        b.data(Hex.decode(required(t, "data").get(d).asText()));
        if (accessList != null) {
            List<AccessListEntry> list = new ArrayList<>();
            for (JsonNode e : accessList) {
                List<Hash> keys = new ArrayList<>();
                for (JsonNode k : e.path("storageKeys")) keys.add(Hash.wrap(Hex.decodeFixed(k.asText(), 32)));
                list.add(new AccessListEntry(Address.fromHex(e.path("address").asText()), keys));
            }
            b.accessList(list);
        }
        if (blob) {
            b.maxFeePerBlobGas(UInt256.parse(t.path("maxFeePerBlobGas").asText("0")));
            List<Hash> hashes = new ArrayList<>();
            for (JsonNode h : t.path("blobVersionedHashes")) hashes.add(Hash.wrap(Hex.decodeFixed(h.asText(), 32)));
            b.blobVersionedHashes(hashes);
        }
        if (setCode) {
            List<Authorization> auths = new ArrayList<>();
            for (JsonNode a : t.get("authorizationList")) {
                JsonNode parity = a.has("yParity") ? a.get("yParity") : required(a, "v");
                auths.add(new Authorization(UInt256.parse(required(a, "chainId").asText()),
                        Address.fromHex(required(a, "address").asText()),
                        parseU64(required(a, "nonce").asText(), "authorization nonce"), UInt256.parse(parity.asText()),
                        UInt256.parse(required(a, "r").asText()), UInt256.parse(required(a, "s").asText())));
            }
            b.authorizationList(auths);
        }
        return b.sign(key);
    }

    private static long parseU64(String s, String what) {
        UInt256 u = UInt256.parse(s);
        if ((u.u1() | u.u2() | u.u3()) != 0) throw new IllegalArgumentException(what + " exceeds 64 bits: " + s);
        return u.u0();
    }

    public static Hash logsHash(List<Log> logs) {
        RlpWriter w = new RlpWriter();
        Log.writeList(w, logs);
        return Keccak.hashOf(w.toByteArray());
    }

    static {
        Secp256k1.usingNative(); // load the library (and announce a fallback) once, up front
    }
}
