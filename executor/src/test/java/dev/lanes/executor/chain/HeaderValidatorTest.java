package dev.lanes.executor.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.Fork;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.chain.ChainSpec.Era;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderValidatorTest {
    private static Era era(String name) {
        return ChainSpec.ERAS.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    static BlockHeader header(long number, long timestamp, long difficulty, Hash ommersHash, long gasLimit, long gasUsed,
                              UInt256 baseFee, byte[] extra, Hash parentHash) {
        return new BlockHeader(parentHash, ommersHash, Address.ZERO, Hash.ZERO, Hash.EMPTY_TRIE, Hash.EMPTY_TRIE,
                new byte[256], UInt256.of(difficulty), number, gasLimit, gasUsed, timestamp, extra, Hash.ZERO, 0,
                baseFee, null, null, null, null, null);
    }

    private static BlockHeader parent(long number, long timestamp, long difficulty, boolean ommers) {
        return header(number, timestamp, difficulty, ommers ? Hash.ZERO : Hash.EMPTY_LIST, 10_000_000, 0, null,
                new byte[0], Hash.ZERO);
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    @Test void frontierDifficultyOfMainnetBlockOne() {
        // Mainnet genesis: difficulty 2^34 at time 0; block 1 (time 1438269988) has 17,171,480,576 = 2^34 - 2^34/2048.
        BlockHeader genesis = parent(0, 0, 17_179_869_184L, false);
        assertEquals(big(17_171_480_576L), HeaderValidator.difficulty(era("Frontier"), 1, 1_438_269_988L, genesis));
        // Under 13 seconds the difficulty rises by the same step.
        assertEquals(big(17_179_869_184L + 8_388_608), HeaderValidator.difficulty(era("Frontier"), 1, 12, genesis));
    }

    @Test void homesteadSteps() {
        BlockHeader p = parent(99, 1000, 1_000_000_000L, false); // step 488,281
        Era h = era("Homestead");
        assertEquals(big(1_000_488_281L), HeaderValidator.difficulty(h, 100, 1005, p));
        assertEquals(big(1_000_000_000L), HeaderValidator.difficulty(h, 100, 1010, p));
        assertEquals(big(999_511_719L), HeaderValidator.difficulty(h, 100, 1025, p));
        assertEquals(big(1_000_000_000L - 99 * 488_281L), HeaderValidator.difficulty(h, 100, 1000 + 100_000, p), "clamped at -99 steps");
    }

    @Test void byzantiumCountsParentUnclesAndDelaysTheBomb() {
        Era b = era("Byzantium");
        assertEquals(big(1_000_488_281L), HeaderValidator.difficulty(b, 100, 1005, parent(99, 1000, 1_000_000_000L, false)));
        assertEquals(big(1_000_976_562L), HeaderValidator.difficulty(b, 100, 1005, parent(99, 1000, 1_000_000_000L, true)));
        assertEquals(big(1_000_000_000L), HeaderValidator.difficulty(b, 100, 1009, parent(99, 1000, 1_000_000_000L, false)));
        // Bomb: ((number - 3,000,000) / 100,000) - 2 periods, so 3,500,000 adds 2^3 and 3,199,999 nothing.
        BlockHeader p = parent(3_499_999, 1000, 1_000_000_000L, false);
        assertEquals(big(1_000_000_008L), HeaderValidator.difficulty(b, 3_500_000, 1009, p));
        assertEquals(big(1_000_000_000L), HeaderValidator.difficulty(b, 3_199_999, 1009, p));
        // Without a delay (Frontier) the bomb starts at block 200,000.
        assertEquals(big(1_000_000_000L - 488_281 + 1), HeaderValidator.difficulty(era("Frontier"), 200_000, 1013, p));
        // Gray Glacier (EIP-5133) delays it by 11,400,000 blocks.
        assertEquals(big(1_000_000_000L + 1024), HeaderValidator.difficulty(era("GrayGlacier"), 12_600_000, 1009, p));
    }

    @Test void neverBelowTheMinimum() {
        BlockHeader p = parent(10, 1000, 131_072, false);
        assertEquals(big(131_072), HeaderValidator.difficulty(era("Frontier"), 11, 2000, p));
        assertEquals(big(131_072), HeaderValidator.difficulty(era("Homestead"), 11, 2000, p));
    }

    @Test void gasLimitBounds() {
        long parent = 5_120_000; // parent / 1024 = 5000
        assertNull(HeaderValidator.checkGasLimit(5_124_999, parent));
        assertNotNull(HeaderValidator.checkGasLimit(5_125_000, parent));
        assertNull(HeaderValidator.checkGasLimit(5_115_001, parent));
        assertNotNull(HeaderValidator.checkGasLimit(5_115_000, parent));
        assertNotNull(HeaderValidator.checkGasLimit(4_999, 5_000), "below the 5000 minimum");
        assertNotNull(HeaderValidator.checkGasLimit(Long.MAX_VALUE, 1), "no overflow on huge limits");
    }

    @Test void eip1559BaseFee() {
        UInt256 fee = UInt256.of(1_000_000_000L);
        assertEquals(fee, HeaderValidator.baseFee(header(1, 1, 0, Hash.EMPTY_LIST, 30_000_000, 15_000_000, fee, new byte[0], Hash.ZERO)));
        assertEquals(UInt256.of(1_125_000_000L), HeaderValidator.baseFee(header(1, 1, 0, Hash.EMPTY_LIST, 30_000_000, 30_000_000, fee, new byte[0], Hash.ZERO)));
        assertEquals(UInt256.of(875_000_000L), HeaderValidator.baseFee(header(1, 1, 0, Hash.EMPTY_LIST, 30_000_000, 0, fee, new byte[0], Hash.ZERO)));
        // Above target the fee rises by at least 1.
        assertEquals(UInt256.of(9), HeaderValidator.baseFee(header(1, 1, 0, Hash.EMPTY_LIST, 30_000_000, 15_000_001, UInt256.of(8), new byte[0], Hash.ZERO)));
    }

    @Test void londonForkBlockDoublesTheParentLimitAndStartsAtTheInitialFee() {
        ChainSpec spec = ChainSpec.forNetwork("BerlinToLondonAt5");
        BlockHeader parent = header(4, 1000, 131_072, Hash.EMPTY_LIST, 10_000_000, 0, null, new byte[0], Hash.ZERO);
        Hash ph = parent.hash();
        long diff = HeaderValidator.difficulty(era("London"), 5, 1013, parent).longValueExact();
        BlockHeader ok = header(5, 1013, diff, Hash.EMPTY_LIST, 19_990_000, 0, HeaderValidator.INITIAL_BASE_FEE, new byte[0], ph);
        assertNull(HeaderValidator.validate(ok, era("London"), parent, ph, era("Berlin"), spec));
        BlockHeader tooHigh = header(5, 1013, diff, Hash.EMPTY_LIST, 20_000_000 + 20_000, 0, HeaderValidator.INITIAL_BASE_FEE, new byte[0], ph);
        assertNotNull(HeaderValidator.validate(tooHigh, era("London"), parent, ph, era("Berlin"), spec));
        BlockHeader wrongFee = header(5, 1013, diff, Hash.EMPTY_LIST, 19_990_000, 0, UInt256.of(7), new byte[0], ph);
        assertTrue(HeaderValidator.validate(wrongFee, era("London"), parent, ph, era("Berlin"), spec).contains("base fee"));
        BlockHeader noFee = header(5, 1013, diff, Hash.EMPTY_LIST, 19_990_000, 0, null, new byte[0], ph);
        assertTrue(HeaderValidator.validate(noFee, era("London"), parent, ph, era("Berlin"), spec).contains("baseFeePerGas"));
    }

    @Test void daoExtraDataForTheForkBlockAndTheNineAfter() {
        ChainSpec spec = ChainSpec.forNetwork("HomesteadToDaoAt5");
        byte[] dao = "dao-hard-fork".getBytes(StandardCharsets.US_ASCII);
        for (long n = 4; n <= 16; n++) {
            BlockHeader parent = header(n - 1, 1000, 131_072, Hash.EMPTY_LIST, 10_000_000, 0, null, new byte[0], Hash.ZERO);
            long diff = HeaderValidator.difficulty(era("Homestead"), n, 1013, parent).longValueExact();
            BlockHeader plain = header(n, 1013, diff, Hash.EMPTY_LIST, 10_000_000, 0, null, new byte[0], parent.hash());
            BlockHeader marked = header(n, 1013, diff, Hash.EMPTY_LIST, 10_000_000, 0, null, dao, parent.hash());
            boolean window = n >= 5 && n < 15;
            assertEquals(window, HeaderValidator.validate(plain, era("Homestead"), parent, parent.hash(), era("Homestead"), spec) != null, "block " + n);
            assertNull(HeaderValidator.validate(marked, era("Homestead"), parent, parent.hash(), era("Homestead"), spec), "block " + n);
        }
    }

    @Test void proofOfStakeHeadersHaveNoDifficultyNonceOrOmmers() {
        ChainSpec spec = ChainSpec.forNetwork("Paris");
        UInt256 fee = UInt256.of(7);
        BlockHeader parent = header(1, 1000, 0, Hash.EMPTY_LIST, 30_000_000, 15_000_000, fee, new byte[0], Hash.ZERO);
        Hash ph = parent.hash();
        BlockHeader ok = header(2, 1012, 0, Hash.EMPTY_LIST, 30_000_000, 0, fee, new byte[0], ph);
        assertNull(HeaderValidator.validate(ok, era("Paris"), parent, ph, era("Paris"), spec));
        BlockHeader pow = header(2, 1012, 1, Hash.EMPTY_LIST, 30_000_000, 0, fee, new byte[0], ph);
        assertTrue(HeaderValidator.validate(pow, era("Paris"), parent, ph, era("Paris"), spec).contains("difficulty"));
        BlockHeader uncles = header(2, 1012, 0, Hash.ZERO, 30_000_000, 0, fee, new byte[0], ph);
        assertTrue(HeaderValidator.validate(uncles, era("Paris"), parent, ph, era("Paris"), spec).contains("ommers"));
        BlockHeader late = header(2, 1000, 0, Hash.EMPTY_LIST, 30_000_000, 0, fee, new byte[0], ph);
        assertTrue(HeaderValidator.validate(late, era("Paris"), parent, ph, era("Paris"), spec).contains("timestamp"));
        BlockHeader longExtra = header(2, 1012, 0, Hash.EMPTY_LIST, 30_000_000, 0, fee, new byte[33], ph);
        assertTrue(HeaderValidator.validate(longExtra, era("Paris"), parent, ph, era("Paris"), spec).contains("extra data"));
    }

    @Test void fieldsByFork() {
        BlockHeader berlin = header(1, 1, 0, Hash.EMPTY_LIST, 1, 0, null, new byte[0], Hash.ZERO);
        assertNull(HeaderValidator.checkFields(berlin, Fork.BERLIN));
        assertNotNull(HeaderValidator.checkFields(berlin, Fork.LONDON));
        BlockHeader london = header(1, 1, 0, Hash.EMPTY_LIST, 1, 0, UInt256.ONE, new byte[0], Hash.ZERO);
        assertNull(HeaderValidator.checkFields(london, Fork.PARIS));
        assertNotNull(HeaderValidator.checkFields(london, Fork.SHANGHAI));
        assertNotNull(HeaderValidator.checkFields(london, Fork.BERLIN));
    }
}
