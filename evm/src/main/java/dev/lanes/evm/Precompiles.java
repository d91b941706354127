package dev.lanes.evm;

/** The precompiled contracts each fork adds, installed into {@link ForkRules#precompiles}. */
final class Precompiles {
    private Precompiles() {}

    static void install(Fork f, ForkRules r) {
        // Filled in as the precompile implementations land.
    }
}
