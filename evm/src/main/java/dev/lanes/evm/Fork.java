package dev.lanes.evm;

import java.util.Locale;

/**
 * Ethereum execution-layer forks in activation order. Fork-dependent behaviour is looked up in per-fork
 * tables built once (see {@code ForkRules}); nothing on the interpreter's hot path compares forks.
 */
public enum Fork {
    FRONTIER("Frontier"),
    HOMESTEAD("Homestead"),
    TANGERINE_WHISTLE("EIP150"),        // EIP-150 gas repricing
    SPURIOUS_DRAGON("EIP158"),          // EIP-155/160/161/170
    BYZANTIUM("Byzantium"),
    CONSTANTINOPLE("Constantinople"),
    PETERSBURG("ConstantinopleFix"),    // Constantinople without EIP-1283
    ISTANBUL("Istanbul"),
    BERLIN("Berlin"),
    LONDON("London"),
    PARIS("Merge"),
    SHANGHAI("Shanghai"),
    CANCUN("Cancun"),
    PRAGUE("Prague"),
    OSAKA("Osaka");

    /** The name the official test fixtures use as the key under {@code post}. */
    public final String testName;

    Fork(String testName) {
        this.testName = testName;
    }

    /** True when this fork includes everything {@code other} introduced. */
    public boolean isEnabled(Fork other) {
        return ordinal() >= other.ordinal();
    }

    /** Resolves a fork from a test-fixture key or a plain name ("Cancun", "EIP150", "TangerineWhistle", "Paris"...). */
    public static Fork byName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        for (Fork f : values()) {
            if (f.testName.toLowerCase(Locale.ROOT).equals(n) || f.name().toLowerCase(Locale.ROOT).replace("_", "").equals(n)) return f;
        }
        return switch (n) {
            case "tangerine", "tangerinewhistle" -> TANGERINE_WHISTLE;
            case "spurious", "spuriousdragon" -> SPURIOUS_DRAGON;
            case "petersburg", "constantinoplefix" -> PETERSBURG;
            case "merge", "paris" -> PARIS;
            case "fusaka" -> OSAKA;
            case "pectra" -> PRAGUE;
            default -> throw new IllegalArgumentException("unknown fork: " + name);
        };
    }
}
