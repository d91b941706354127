package dev.lanes.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.rlp.Rlp;
import dev.lanes.primitives.rlp.RlpItem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The whole-block encoding against the {@code size} field that the archive node reported for each block in
 * {@code ../shared/mainnet-blocks}. Of its 47 blocks, 44 have no uncles and are checked; 3 (1796867, 5283152,
 * 8889776) have uncles whose headers the data lack, so they cannot be encoded and {@link MainnetBlock#rlp()}
 * says so. The test counts both from the data and prints them.
 */
class BlockRlpTest {
    @Test
    void everyBlockWithoutUnclesEncodesToItsReportedSize() throws Exception {
        List<Path> dirs = MainnetData.blockDirs();
        assumeTrue(!dirs.isEmpty(), "no mainnet blocks under " + MainnetData.blocksDir());
        List<String> mismatches = new ArrayList<>();
        int checked = 0, withUncles = 0, typed = 0, legacy = 0;
        for (Path d : dirs) {
            MainnetBlock b = MainnetBlock.load(d);
            Optional<byte[]> rlp = b.rlp();
            if (b.uncleCount > 0) {
                assertTrue(rlp.isEmpty(), d.getFileName() + " has uncles: it cannot be encoded without their headers");
                withUncles++;
                continue;
            }
            byte[] enc = rlp.orElseThrow();
            if (enc.length != b.declaredSize) mismatches.add(d.getFileName() + ": " + enc.length + " bytes, size field says " + b.declaredSize);

            // Shape: [header, transactions, ommers] plus withdrawals from Shanghai; the header hashes to the block hash.
            List<RlpItem> parts = Rlp.decode(enc).items();
            assertEquals(b.header.withdrawalsRoot() == null ? 3 : 4, parts.size(), d.getFileName().toString());
            assertEquals(b.declaredHash, Keccak.hashOf(Rlp.encode(parts.get(0))));
            List<RlpItem> txs = parts.get(1).items();
            assertEquals(b.transactions.size(), txs.size());
            for (int i = 0; i < txs.size(); i++) {
                // Legacy transactions are lists; typed ones are byte strings holding type || payload.
                boolean isLegacy = b.transactions.get(i).type() == TxType.LEGACY;
                assertEquals(isLegacy, txs.get(i).isList(), d.getFileName() + " transaction " + i);
                if (isLegacy) legacy++;
                else typed++;
            }
            assertEquals(0, parts.get(2).items().size());
            if (parts.size() == 4) assertEquals(b.withdrawals.size(), parts.get(3).items().size());
            checked++;
        }
        assertEquals(List.of(), mismatches);
        assertEquals(dirs.size(), checked + withUncles);
        assertTrue(checked > 0 && typed > 0 && legacy > 0);
        System.out.println("BlockRlpTest: " + checked + " block sizes checked (" + legacy + " legacy and " + typed
                + " typed transactions); " + withUncles + " blocks with uncles skipped");
    }

    @Test
    void withdrawalsFollowTheHeader() throws Exception {
        assumeTrue(!MainnetData.blockDirs().isEmpty(), "no mainnet blocks");
        BlockHeader shanghai = BlockHeaderTest.header("17666333");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlockRlp.encode(shanghai, List.of(), List.of(), null));
        assertTrue(e.getMessage().contains("withdrawalsRoot"), e.getMessage());
        BlockHeader paris = BlockHeaderTest.header("17034869");
        e = assertThrows(IllegalArgumentException.class, () -> BlockRlp.encode(paris, List.<Transaction>of(), List.of(),
                List.of(new Withdrawal(0, 0, dev.lanes.primitives.Address.ZERO, 1))));
        assertTrue(e.getMessage().contains("withdrawalsRoot"), e.getMessage());
        // An empty withdrawal list is still a fourth item from Shanghai on.
        assertEquals(4, Rlp.decode(BlockRlp.encode(shanghai, List.of(), List.of(), List.of())).items().size());
        assertEquals(3, Rlp.decode(BlockRlp.encode(paris, List.of(), List.of(), null)).items().size());
    }

    @Test
    void ommerHeadersAreEncodedWhenGiven() throws Exception {
        assumeTrue(!MainnetData.blockDirs().isEmpty(), "no mainnet blocks");
        BlockHeader h = BlockHeaderTest.header("46147");
        BlockHeader uncle = BlockHeaderTest.header("116525");
        List<RlpItem> ommers = Rlp.decode(BlockRlp.encode(h, List.of(), List.of(uncle), null)).items().get(2).items();
        assertEquals(1, ommers.size());
        assertEquals(uncle.hash(), Keccak.hashOf(Rlp.encode(ommers.get(0))));
        assertFalse(ommers.get(0).items().isEmpty());
    }
}
