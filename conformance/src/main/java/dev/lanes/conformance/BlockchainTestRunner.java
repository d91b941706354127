package dev.lanes.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.BlockFolderWriter;
import dev.lanes.executor.chain.BlockDecoder;
import dev.lanes.executor.chain.BlockImporter;
import dev.lanes.executor.chain.ChainSpec;
import dev.lanes.executor.chain.ChainStore;
import dev.lanes.evm.AccountInfo;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.state.WorldState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Runs BlockchainTests (the ethereum/tests format, which execution-spec-tests {@code blockchain_tests}
 * share): from the genesis block and {@code pre} state, import every block of {@code blocks} in order with
 * {@link BlockImporter}. A test passes when each block with {@code expectException} is rejected and every
 * other block imports, the head's hash is {@code lastblockhash} and the head's state is {@code postState}
 * (or has the root {@code postStateHash}).
 *
 * <p>Only the {@code NoProof} seal engine is supported: proof-of-work seals are not verified.
 */
public final class BlockchainTestRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One test's outcome. {@code message} is null on success. */
    public record Result(Path file, String test, String network, String message) {
        public boolean passed() {
            return message == null;
        }

        public String id() {
            return file.getFileName() + " " + test;
        }
    }

    private final Predicate<String> networkFilter;
    private final Pattern nameFilter;
    private java.util.function.Consumer<String> explain = s -> {};
    private Path foldersDir;

    /** @param networkFilter which {@code network} values to run (e.g. all, or one name) */
    public BlockchainTestRunner(Predicate<String> networkFilter, Pattern nameFilter) {
        this.networkFilter = networkFilter;
        this.nameFilter = nameFilter;
    }

    /**
     * After each test that passes, writes every block of its final chain (genesis excluded) as a block folder
     * under {@code dir}/{@code <folder>}/{@code <file>}/{@code <test>}/{@code <number>} ({@link BlockFolderWriter}):
     * the parent's whole post-state as {@code pre_state.json}, the parent's header, the uncle headers, the
     * ancestors' hashes for BLOCKHASH and the test's network, for {@code ./lanes replay --state-root}. A test
     * folder that already exists is not overwritten: the test then fails with that reason.
     */
    public BlockchainTestRunner writeFolders(Path dir) {
        this.foldersDir = dir;
        return this;
    }

    /** Reports each expected rejection with the reason the importer gave, to compare with the fixture's exception. */
    public BlockchainTestRunner explain(java.util.function.Consumer<String> sink) {
        this.explain = sink;
        return this;
    }

    /**
     * Runs every test in one file; call it on a thread with a deep stack ({@code EvmThreads}). Malformed
     * input yields failed results naming file and test, never a crash.
     */
    public List<Result> runFile(Path file) {
        List<Result> out = new ArrayList<>();
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            out.add(new Result(file, "-", "-", "cannot read JSON: " + e.getMessage()));
            return out;
        }
        if (root == null || !root.isObject()) {
            out.add(new Result(file, "-", "-", "not a JSON object of tests"));
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (nameFilter != null && !nameFilter.matcher(name).find()) continue;
            JsonNode test = e.getValue();
            String network = test.path("network").asText("-");
            if (!networkFilter.test(network)) continue;
            String msg;
            try {
                msg = runTest(file, name, test);
            } catch (RuntimeException ex) {
                msg = "malformed test: " + ex;
            } catch (StackOverflowError ex) {
                msg = "error: stack overflow in the runner";
            }
            out.add(new Result(file, name, network, msg));
        }
        return out;
    }

    private String runTest(Path file, String name, JsonNode test) {
        Map<String, ChainSpec.BlobSchedule> schedules;
        try {
            // execution-spec-tests fixtures state each fork's blob schedule (EIP-7840), the blob-parameter-only
            // forks' (EIP-7892) among them; the chain runs with those, as the state tests do.
            schedules = ChainSpec.blobSchedules(test.path("config").path("blobSchedule"));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return "config.blobSchedule: " + e.getMessage();
        }
        ChainSpec spec;
        try {
            spec = ChainSpec.forNetwork(StateTestRunner.required(test, "network").asText(), schedules);
        } catch (IllegalArgumentException e) {
            return "unsupported network: " + e.getMessage();
        }
        String seal = test.path("sealEngine").asText("NoProof");
        if (!seal.equals("NoProof")) return "seal engine " + seal + " is not supported (proof-of-work seals are not verified)";

        byte[] genesisRlp = Hex.decode(StateTestRunner.required(test, "genesisRLP").asText());
        BlockDecoder.Block genesis = BlockDecoder.decode(genesisRlp);
        JsonNode declared = test.path("genesisBlockHeader").path("hash");
        if (declared.isTextual() && !Hash.fromHex(declared.asText()).equals(genesis.hash()))
            return "genesisRLP hashes to " + genesis.hash() + ", genesisBlockHeader.hash is " + declared.asText();
        WorldState pre = StateTestRunner.loadState(StateTestRunner.required(test, "pre"));
        BlockImporter importer;
        try {
            importer = new BlockImporter(spec, genesis.header(), pre);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }

        Map<Hash, byte[]> imported = new HashMap<>(); // for writeFolders: the RLP of each imported block
        int i = 0;
        for (JsonNode block : StateTestRunner.required(test, "blocks")) {
            String expect = block.path("expectException").asText(null);
            BlockImporter.Outcome o;
            byte[] rlp;
            try {
                rlp = Hex.decode(StateTestRunner.required(block, "rlp").asText());
            } catch (IllegalArgumentException e) {
                rlp = null;
                if (expect == null) return "block " + i + ": rlp is not hex: " + e.getMessage();
            }
            o = rlp == null ? new BlockImporter.Outcome(null, "rlp is not hex") : importer.importBlock(rlp);
            if (expect != null && !o.imported()) explain.accept(name + " block " + i + ": expected " + expect + "; rejected: " + o.error());
            if (expect != null && o.imported())
                return "block " + i + " (" + o.hash() + ") imported, expected " + expect;
            if (expect == null && !o.imported()) return "block " + i + " rejected: " + o.error();
            if (o.imported() && foldersDir != null) imported.put(o.hash(), rlp);
            i++;
        }

        ChainStore.Stored head = importer.store().head();
        Hash last = Hash.fromHex(StateTestRunner.required(test, "lastblockhash").asText());
        if (!head.hash().equals(last))
            return "head is block " + head.header().number() + " " + head.hash() + ", lastblockhash is " + last;
        JsonNode post = test.get("postState");
        if (post != null && !post.isNull()) {
            WorldState expected = StateTestRunner.loadState(post);
            if (!expected.stateRoot().equals(head.state().stateRoot())) return "post state differs: " + diff(expected, head.state());
        } else {
            Hash root = Hash.fromHex(StateTestRunner.required(test, "postStateHash").asText());
            if (!root.equals(head.state().stateRoot()))
                return "post state root " + head.state().stateRoot() + ", postStateHash is " + root;
        }
        if (foldersDir != null) {
            try {
                writeChain(file, name, test.path("network").asText(), schedules, head, imported);
            } catch (IOException | RuntimeException e) {
                return "passed, but its block folders cannot be written: " + e;
            }
        }
        return null;
    }

    /** The head's chain back to genesis, each block as a folder (see {@link #writeFolders}). */
    private void writeChain(Path file, String name, String network, Map<String, ChainSpec.BlobSchedule> schedules,
                            ChainStore.Stored head, Map<Hash, byte[]> imported) throws IOException {
        String stem = file.getFileName().toString().replaceFirst("\\.json$", "");
        Path parentDir = file.toAbsolutePath().getParent();
        Path testDir = foldersDir.resolve(safe(parentDir == null ? "-" : parentDir.getFileName().toString()))
                .resolve(safe(stem)).resolve(safe(name));
        Files.createDirectories(testDir.getParent());
        Files.createDirectory(testDir); // fails if it exists: two tests must not write into one folder
        for (ChainStore.Stored s = head; s.parent() != null; s = s.parent()) {
            ChainStore.Stored parent = s.parent();
            BlockDecoder.Block b = BlockDecoder.decode(imported.get(s.hash()));
            Map<Long, Hash> hashes = new HashMap<>();
            for (ChainStore.Stored a = parent; a != null && hashes.size() < 256; a = a.parent()) hashes.put(a.header().number(), a.hash());
            BlockFolderWriter.write(testDir.resolve(Long.toString(s.header().number())), new BlockFolderWriter.Contents(
                    b.header(), b.transactions(), b.ommers(), b.withdrawals(), parent.state(), hashes, parent.header(),
                    network, BlockExecutor.CHAIN_ID, schedules));
        }
    }

    /** A file or test name as a folder name: anything but letters, digits, '.', '_' and '-' becomes '_'. */
    private static String safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return t.isEmpty() || t.equals(".") || t.equals("..") ? "_" + t : t;
    }

    /** The first differences between an expected and an actual state, for the failure message. */
    static String diff(WorldState expected, WorldState actual) {
        List<String> out = new ArrayList<>();
        Set<Address> all = new HashSet<>(expected.addresses());
        all.addAll(actual.addresses());
        for (Address a : all.stream().sorted((x, y) -> x.toString().compareTo(y.toString())).toList()) {
            AccountInfo e = expected.account(a), g = actual.account(a);
            if (e == null) out.add(a + " exists, expected absent");
            else if (g == null) out.add(a + " is absent");
            else {
                if (e.nonce() != g.nonce()) out.add(a + " nonce " + g.nonce() + ", expected " + e.nonce());
                if (!e.balance().equals(g.balance()))
                    out.add(a + " balance " + g.balance().toBigInteger() + ", expected " + e.balance().toBigInteger());
                if (!e.codeHash().equals(g.codeHash())) out.add(a + " code differs");
                if (!expected.storageOf(a).equals(actual.storageOf(a)))
                    out.add(a + " storage " + actual.storageOf(a) + ", expected " + expected.storageOf(a));
            }
            if (out.size() >= 5) break;
        }
        return out.isEmpty() ? "(roots differ, accounts equal)" : String.join("; ", out);
    }
}
