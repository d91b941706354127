package dev.lanes.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.evm.EvmThreads;
import dev.lanes.evm.Fork;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.state.WorldState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays every block in {@code ${lanes.shared}/mainnet-blocks} and checks gasUsed, logsBloom and, from
 * Byzantium, receiptsRoot against the header (plus tx hashes, senders, transactionsRoot, blobGasUsed, the
 * header hash and, for blocks without uncles, the block's RLP size).
 * Skips when the data are absent.
 */
class MainnetReplayTest {
    /** Blocks known to fail, with the reason. Empty: all 47 blocks pass. */
    private static final Map<Long, String> KNOWN_FAILURES = Map.of();

    private static Path blocksDir() {
        return MainnetData.blocksDir();
    }

    private static List<Path> blockDirs() throws Exception {
        return MainnetData.blockDirs();
    }

    /** Runs on a thread with a deep stack: 1024 nested call frames recurse. */
    private static <T> T onBigStack(java.util.concurrent.Callable<T> c) {
        return EvmThreads.call("replay-test", c);
    }

    @TestFactory
    List<DynamicTest> everyMainnetBlockMatchesItsHeader() throws Exception {
        List<Path> dirs = blockDirs();
        assumeTrue(!dirs.isEmpty(), "no mainnet blocks under " + blocksDir());
        Evm evm = new Evm();
        ForkJoinPool pool = new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
        List<DynamicTest> tests = new ArrayList<>();
        for (Path d : dirs) {
            tests.add(DynamicTest.dynamicTest("block " + d.getFileName(), () -> {
                MainnetBlock b = MainnetBlock.load(d);
                BlockReplay.Report r = onBigStack(() -> BlockReplay.replay(b, evm, pool));
                String known = KNOWN_FAILURES.get(b.header.number());
                if (known != null) {
                    assertFalse(r.passed(), "block " + r.number() + " is listed as failing (" + known + ") but passes: remove it");
                    return;
                }
                assertNull(r.mismatch(), "block " + r.number() + " (" + r.fork() + ")");
                assertEquals(b.header.gasUsed(), r.gasUsed());
                assertEquals(b.header.number() >= MainnetForks.BYZANTIUM, r.receiptsRootChecked());
            }));
        }
        return tests;
    }

    @Test
    void aBlockOnAnEmptyStateIsReportedWithTheTransactionIndex() throws Throwable {
        Path dir = blocksDir() == null ? null : blocksDir().resolve("46147");
        assumeTrue(dir != null && Files.isDirectory(dir), "mainnet block 46147 absent");
        MainnetBlock b = MainnetBlock.load(dir);
        BlockReplay.Report r = onBigStack(() -> BlockReplay.replay(b, BlockReplay.freshTransactions(b), new WorldState(), new Evm(), null));
        assertFalse(r.passed());
        assertTrue(r.mismatch().startsWith("transaction 0: rejected: "), r.mismatch());
    }

    /** A header field or the size changed in block.json is caught before execution. */
    @Test
    void anAlteredHeaderOrSizeIsReported(@TempDir Path tmp) throws Throwable {
        Path dir = blocksDir() == null ? null : blocksDir().resolve("46147");
        assumeTrue(dir != null && Files.isDirectory(dir), "mainnet block 46147 absent");
        ObjectMapper json = new ObjectMapper();
        Files.copy(dir.resolve("pre_state.json"), tmp.resolve("pre_state.json"));

        ObjectNode b = (ObjectNode) json.readTree(dir.resolve("block.json").toFile());
        b.put("extraData", "0x00");
        Files.writeString(tmp.resolve("block.json"), b.toString());
        MainnetBlock altered = MainnetBlock.load(tmp);
        BlockReplay.Report r = onBigStack(() -> BlockReplay.replay(altered, new Evm(), null));
        assertTrue(r.mismatch() != null && r.mismatch().startsWith("header hash "), r.mismatch());

        b = (ObjectNode) json.readTree(dir.resolve("block.json").toFile());
        b.put("size", "0x1");
        Files.writeString(tmp.resolve("block.json"), b.toString());
        MainnetBlock wrongSize = MainnetBlock.load(tmp);
        r = onBigStack(() -> BlockReplay.replay(wrongSize, new Evm(), null));
        assertTrue(r.mismatch() != null && r.mismatch().startsWith("block RLP is "), r.mismatch());
    }

    /**
     * The mainnet folders hold only the touched accounts: with the state root asked for, every block fails,
     * with both roots named, and a block with uncles says why its root cannot be checked at all.
     */
    @Test
    void aPartialPreStateCannotGiveTheStateRoot() throws Throwable {
        Path dir = blocksDir() == null ? null : blocksDir().resolve("46147");
        Path withUncle = blocksDir() == null ? null : blocksDir().resolve("1796867");
        assumeTrue(dir != null && Files.isDirectory(dir) && Files.isDirectory(withUncle), "mainnet blocks absent");
        MainnetBlock b = MainnetBlock.load(dir);
        BlockReplay.Report r = onBigStack(() -> BlockReplay.replay(b, BlockReplay.freshTransactions(b), b.freshState(),
                new BlockExecutor(1), null, true));
        assertTrue(r.mismatch() != null && r.mismatch().matches("stateRoot 0x[0-9a-f]{64}, expected "
                + b.header.stateRoot() + " \\(no parent\\.json to show that pre_state\\.json is the whole state.*"), r.mismatch());
        MainnetBlock u = MainnetBlock.load(withUncle);
        r = onBigStack(() -> BlockReplay.replay(u, BlockReplay.freshTransactions(u), u.freshState(), new BlockExecutor(1), null, true));
        assertEquals("stateRoot cannot be checked: the block has 1 uncle(s) and the folder no uncles.json (the uncle"
                + " miners' rewards are part of the state)", r.mismatch());
    }

    /** Every mainnet header written back as an RPC object reads back equal ({@code toRpc} is {@code fromRpc}'s inverse). */
    @Test
    void headersRoundTripThroughRpcJson() throws Exception {
        List<Path> dirs = blockDirs();
        assumeTrue(!dirs.isEmpty(), "no mainnet blocks");
        for (Path d : dirs) {
            BlockHeader h = MainnetBlock.load(d).header;
            assertEquals(h, BlockHeader.fromRpc(h.toRpc()), d.toString());
        }
    }

    @Test
    void forkSchedule() {
        assertEquals(Fork.FRONTIER, MainnetForks.forkAt(46147, 0));
        assertEquals(Fork.SPURIOUS_DRAGON, MainnetForks.forkAt(4_369_999, 0));
        assertEquals(Fork.BYZANTIUM, MainnetForks.forkAt(4_370_000, 0));
        assertEquals(Fork.PETERSBURG, MainnetForks.forkAt(7_280_000, 0));
        assertEquals("Muir Glacier", MainnetForks.nameAt(11_114_732, 0));
        assertEquals(Fork.LONDON, MainnetForks.forkAt(15_537_393, 0));
        assertEquals(Fork.PARIS, MainnetForks.forkAt(15_537_394, 1_681_338_454L));
        assertEquals(Fork.SHANGHAI, MainnetForks.forkAt(17_034_870, 1_681_338_455L));
        assertEquals(Fork.CANCUN, MainnetForks.forkAt(19_426_587, 1_710_338_135L));
    }
}
