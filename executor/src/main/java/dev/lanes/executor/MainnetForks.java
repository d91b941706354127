package dev.lanes.executor;

import dev.lanes.evm.Fork;

/** Ethereum mainnet's fork schedule: by block number up to the merge, by timestamp after. */
public final class MainnetForks {
    public static final long HOMESTEAD = 1_150_000, TANGERINE_WHISTLE = 2_463_000, SPURIOUS_DRAGON = 2_675_000,
            BYZANTIUM = 4_370_000, CONSTANTINOPLE = 7_280_000, ISTANBUL = 9_069_000, MUIR_GLACIER = 9_200_000,
            BERLIN = 12_244_000, LONDON = 12_965_000, ARROW_GLACIER = 13_773_000, GRAY_GLACIER = 15_050_000,
            PARIS = 15_537_394,
            /** The DAO fork's irregular state change (balances of the DAO accounts moved to the refund contract). */
            DAO_FORK = 1_920_000;
    public static final long SHANGHAI_TIME = 1_681_338_455L, CANCUN_TIME = 1_710_338_135L, PRAGUE_TIME = 1_746_612_311L,
            /** Osaka (Fusaka), 2025-12-03 21:49:11 UTC. The later blob-parameter-only forks are not modelled. */
            OSAKA_TIME = 1_764_798_551L;

    private MainnetForks() {}

    /** The execution rules in force for a block. Constantinople and Petersburg activated together: Petersburg. */
    public static Fork forkAt(long number, long timestamp) {
        if (number < HOMESTEAD) return Fork.FRONTIER;
        if (number < TANGERINE_WHISTLE) return Fork.HOMESTEAD;
        if (number < SPURIOUS_DRAGON) return Fork.TANGERINE_WHISTLE;
        if (number < BYZANTIUM) return Fork.SPURIOUS_DRAGON;
        if (number < CONSTANTINOPLE) return Fork.BYZANTIUM;
        if (number < ISTANBUL) return Fork.PETERSBURG;
        if (number < BERLIN) return Fork.ISTANBUL;
        if (number < LONDON) return Fork.BERLIN;
        if (number < PARIS) return Fork.LONDON;
        if (timestamp < SHANGHAI_TIME) return Fork.PARIS;
        if (timestamp < CANCUN_TIME) return Fork.SHANGHAI;
        if (timestamp < PRAGUE_TIME) return Fork.CANCUN;
        if (timestamp < OSAKA_TIME) return Fork.PRAGUE;
        return Fork.OSAKA;
    }

    /** The mainnet name of the fork at a block, including the difficulty-bomb-only forks (Muir/Arrow/Gray Glacier). */
    public static String nameAt(long number, long timestamp) {
        Fork f = forkAt(number, timestamp);
        return switch (f) {
            case FRONTIER -> "Frontier";
            case HOMESTEAD -> "Homestead";
            case TANGERINE_WHISTLE -> "Tangerine Whistle";
            case SPURIOUS_DRAGON -> "Spurious Dragon";
            case BYZANTIUM -> "Byzantium";
            case PETERSBURG -> "Petersburg";
            case ISTANBUL -> number < MUIR_GLACIER ? "Istanbul" : "Muir Glacier";
            case BERLIN -> "Berlin";
            case LONDON -> number < ARROW_GLACIER ? "London" : number < GRAY_GLACIER ? "Arrow Glacier" : "Gray Glacier";
            case PARIS -> "Paris";
            default -> f.testName;
        };
    }

    /** The pre-merge block reward in wei (zero from Paris). */
    public static java.math.BigInteger blockReward(Fork f) {
        java.math.BigInteger eth = java.math.BigInteger.TEN.pow(18);
        if (f.isEnabled(Fork.PARIS)) return java.math.BigInteger.ZERO;
        if (f.isEnabled(Fork.CONSTANTINOPLE)) return eth.shiftLeft(1);
        if (f.isEnabled(Fork.BYZANTIUM)) return eth.multiply(java.math.BigInteger.valueOf(3));
        return eth.multiply(java.math.BigInteger.valueOf(5));
    }
}
