package dev.lanes.executor.chain;

import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.primitives.UInt256;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chain's fork schedule, as the consensus rules for headers need it: which {@link Era} a block belongs to
 * (by number, timestamp or, for the merge, the parent's total difficulty) and the DAO fork block.
 *
 * <p>Test networks are named as in ethereum/tests: a single era ({@code Cancun}: that era from genesis) or a
 * transition {@code XToYAt5} (by block number), {@code XToYAtTime15k} (by timestamp, thousands) and
 * {@code XToYAtDiffC0000} (the merge at a total difficulty, hexadecimal). {@code HomesteadToDaoAt5} is
 * Homestead with the DAO fork at block 5.
 */
public final class ChainSpec {
    /**
     * A set of header rules: the execution fork plus what only headers see, the difficulty bomb's delay in
     * blocks (EIP-649 Byzantium 3,000,000; EIP-1234 Constantinople 5,000,000; EIP-2384 Muir Glacier 9,000,000;
     * EIP-3554 London 9,700,000; EIP-4345 Arrow Glacier 10,700,000; EIP-5133 Gray Glacier 11,400,000).
     */
    public record Era(String name, Fork fork, long bombDelay, ForkRules rules) {
        /** An era under its fork's mainnet rules. */
        public Era(String name, Fork fork, long bombDelay) {
            this(name, fork, bombDelay, ForkRules.of(fork));
        }

        /** Whether blocks are proof of stake (EIP-3675): no difficulty, nonce or ommers. */
        public boolean merged() {
            return fork.isEnabled(Fork.PARIS);
        }

        /** This era with another blob schedule, in blobs per block (EIP-7840 {@code blobSchedule}). */
        public Era withBlobSchedule(BlobSchedule s) {
            return new Era(name, fork, bombDelay, ForkRules.of(fork).withBlobSchedule(s.target(), s.max(), s.baseFeeUpdateFraction()));
        }
    }

    /** A blob schedule entry (EIP-7840): target and maximum blobs per block, and the base fee update fraction. */
    public record BlobSchedule(long target, long max, long baseFeeUpdateFraction) {
        public BlobSchedule {
            if (target < 0 || max < target || max > 1L << 20 || baseFeeUpdateFraction <= 0)
                throw new IllegalArgumentException("bad blob schedule: target " + target + ", max " + max
                        + ", baseFeeUpdateFraction " + baseFeeUpdateFraction);
        }
    }

    /**
     * Blob-parameter-only forks (EIP-7892): Osaka's rules with another blob schedule. Mainnet's BPO1 and BPO2
     * have their schedules here; BPO3 to BPO5 exist only where a chain configuration gives theirs.
     */
    private static final List<Era> BPO_ERAS = List.of(
            new Era("BPO1", Fork.OSAKA, 0).withBlobSchedule(new BlobSchedule(10, 15, 8_346_193)),
            new Era("BPO2", Fork.OSAKA, 0).withBlobSchedule(new BlobSchedule(14, 21, 11_684_671)),
            new Era("BPO3", Fork.OSAKA, 0, null),
            new Era("BPO4", Fork.OSAKA, 0, null),
            new Era("BPO5", Fork.OSAKA, 0, null));

    public static final List<Era> ERAS = List.of(
            new Era("Frontier", Fork.FRONTIER, 0),
            new Era("Homestead", Fork.HOMESTEAD, 0),
            new Era("EIP150", Fork.TANGERINE_WHISTLE, 0),
            new Era("EIP158", Fork.SPURIOUS_DRAGON, 0),
            new Era("Byzantium", Fork.BYZANTIUM, 3_000_000),
            new Era("Constantinople", Fork.CONSTANTINOPLE, 5_000_000),
            new Era("ConstantinopleFix", Fork.PETERSBURG, 5_000_000),
            new Era("Istanbul", Fork.ISTANBUL, 5_000_000),
            new Era("MuirGlacier", Fork.ISTANBUL, 9_000_000),
            new Era("Berlin", Fork.BERLIN, 9_000_000),
            new Era("London", Fork.LONDON, 9_700_000),
            new Era("ArrowGlacier", Fork.LONDON, 10_700_000),
            new Era("GrayGlacier", Fork.LONDON, 11_400_000),
            new Era("Paris", Fork.PARIS, 0),
            new Era("Shanghai", Fork.SHANGHAI, 0),
            new Era("Cancun", Fork.CANCUN, 0),
            new Era("Prague", Fork.PRAGUE, 0),
            new Era("Osaka", Fork.OSAKA, 0));

    /** When an era starts: at a block number, a timestamp, or once the parent's total difficulty reaches a value. */
    private record Activation(Era era, long block, long time, UInt256 totalDifficulty) {
        boolean active(long number, long timestamp, UInt256 parentTd) {
            if (totalDifficulty != null) return parentTd != null && parentTd.compareTo(totalDifficulty) >= 0;
            return number >= block && timestamp >= time;
        }
    }

    private static final Pattern TRANSITION = Pattern.compile("(\\w+?)To(\\w+)At(Time|Diff)?(\\w+)");

    private final String name;
    private final List<Activation> activations;
    private final long daoBlock;

    private ChainSpec(String name, List<Activation> activations, long daoBlock) {
        this.name = name;
        this.activations = activations;
        this.daoBlock = daoBlock;
    }

    public String name() {
        return name;
    }

    /** One era from genesis. */
    public static ChainSpec of(Era era) {
        return new ChainSpec(era.name, List.of(new Activation(era, 0, 0, null)), -1);
    }

    /**
     * The chain a test's {@code network} names.
     *
     * @throws IllegalArgumentException for a name that is neither an era nor a transition between two
     */
    public static ChainSpec forNetwork(String network) {
        return forNetwork(network, Map.of());
    }

    /**
     * As {@link #forNetwork(String)}, with blob schedules by era name (a fixture's {@code config.blobSchedule},
     * EIP-7840) in place of the eras' defaults.
     *
     * @throws IllegalArgumentException also for a blob-parameter-only era (EIP-7892) that has no schedule
     */
    public static ChainSpec forNetwork(String network, Map<String, BlobSchedule> blobSchedules) {
        ChainSpec spec = forNetworkDefaults(network);
        List<Activation> acts = new ArrayList<>(spec.activations.size());
        for (Activation a : spec.activations) {
            Era era = a.era;
            BlobSchedule s = blobSchedules.get(era.name);
            if (s != null && era.fork.isEnabled(Fork.CANCUN)) era = era.withBlobSchedule(s);
            if (era.rules == null)
                throw new IllegalArgumentException(era.name + " has no blob schedule (EIP-7892): the chain configuration must give one");
            acts.add(new Activation(era, a.block, a.time, a.totalDifficulty));
        }
        return new ChainSpec(spec.name, acts, spec.daoBlock);
    }

    private static ChainSpec forNetworkDefaults(String network) {
        if (network == null || network.isBlank()) throw new IllegalArgumentException("network name is missing");
        Era single = eraNamed(network);
        if (single != null) return of(single);
        Matcher m = TRANSITION.matcher(network);
        if (!m.matches()) throw new IllegalArgumentException("unknown network: " + network);
        Era from = eraNamed(m.group(1));
        if (from == null) throw new IllegalArgumentException("unknown network: " + network + " (era " + m.group(1) + ")");
        String kind = m.group(3), at = m.group(4);
        List<Activation> acts = new ArrayList<>();
        acts.add(new Activation(from, 0, 0, null));
        if (m.group(2).equals("Dao")) {
            if (kind != null) throw new IllegalArgumentException("the DAO fork is by block number: " + network);
            return new ChainSpec(network, acts, Long.parseLong(at));
        }
        Era to = eraNamed(m.group(2));
        if (to == null) throw new IllegalArgumentException("unknown network: " + network + " (era " + m.group(2) + ")");
        if (kind == null) acts.add(new Activation(to, Long.parseLong(at), 0, null));
        else if (kind.equals("Time")) acts.add(new Activation(to, 0, thousands(at, network), null));
        else acts.add(new Activation(to, 0, 0, UInt256.parse("0x" + at)));
        return new ChainSpec(network, acts, -1);
    }

    private static long thousands(String s, String network) {
        String l = s.toLowerCase(Locale.ROOT);
        if (l.endsWith("k")) return Long.parseLong(l.substring(0, l.length() - 1)) * 1000;
        try {
            return Long.parseLong(l);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad activation time in network " + network);
        }
    }

    private static Era eraNamed(String n) {
        String k = n.toLowerCase(Locale.ROOT);
        for (Era e : ERAS) if (e.name.toLowerCase(Locale.ROOT).equals(k)) return e;
        for (Era e : BPO_ERAS) if (e.name.toLowerCase(Locale.ROOT).equals(k)) return e;
        return switch (k) {
            case "merge" -> eraNamed("Paris");
            case "petersburg" -> eraNamed("ConstantinopleFix");
            case "tangerinewhistle" -> eraNamed("EIP150");
            case "spuriousdragon" -> eraNamed("EIP158");
            default -> null;
        };
    }

    /**
     * The era of a block. {@code parentTd} is the parent's total difficulty (null for genesis): a chain that
     * merges by total difficulty turns proof of stake at the first block whose parent reached it.
     */
    public Era eraAt(long number, long timestamp, UInt256 parentTd) {
        Era e = activations.get(0).era;
        for (Activation a : activations) if (a.active(number, timestamp, parentTd)) e = a.era;
        return e;
    }

    /**
     * The era of a block whose ancestors are not at hand (a replayed block folder): as {@link #eraAt}, except
     * that a merge by total difficulty, which needs the parent's, counts as done exactly when the block's own
     * difficulty is zero, as it must be after the merge and may not be before it (EIP-3675).
     */
    public Era eraOfLoneBlock(long number, long timestamp, UInt256 difficulty) {
        Era e = activations.get(0).era;
        for (Activation a : activations) {
            boolean active = a.totalDifficulty != null ? difficulty.isZero() : a.active(number, timestamp, null);
            if (active) e = a.era;
        }
        return e;
    }

    /**
     * Blob schedules by era name from a chain configuration's {@code blobSchedule} object (EIP-7840: per era
     * {@code target}, {@code max} and {@code baseFeeUpdateFraction}, as numbers or hex strings); empty for a
     * missing or null node.
     *
     * @throws IllegalArgumentException naming the era and field that is missing or malformed
     */
    public static Map<String, BlobSchedule> blobSchedules(com.fasterxml.jackson.databind.JsonNode schedules) {
        Map<String, BlobSchedule> out = new java.util.HashMap<>();
        if (schedules == null || schedules.isNull() || schedules.isMissingNode()) return out;
        if (!schedules.isObject()) throw new IllegalArgumentException("blobSchedule must be an object of eras");
        for (var it = schedules.fields(); it.hasNext(); ) {
            var e = it.next();
            out.put(e.getKey(), new BlobSchedule(number(e, "target"), number(e, "max"), number(e, "baseFeeUpdateFraction")));
        }
        return out;
    }

    private static long number(Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> era, String field) {
        com.fasterxml.jackson.databind.JsonNode n = era.getValue().get(field);
        String where = "blobSchedule." + era.getKey() + "." + field;
        if (n == null || n.isNull()) throw new IllegalArgumentException("missing field '" + where + "'");
        try {
            return n.canConvertToExactIntegral() && n.canConvertToLong() ? n.asLong() : UInt256.parse(n.asText()).longValueExact();
        } catch (IllegalArgumentException | ArithmeticException ex) {
            throw new IllegalArgumentException(where + ": not a number: " + n, ex);
        }
    }

    /** Whether the merge is by total difficulty, so that a block's own difficulty decides between the eras. */
    public boolean mergesByDifficulty() {
        return activations.stream().anyMatch(a -> a.totalDifficulty != null);
    }

    /** The DAO fork block, or -1 when the chain has none. */
    public long daoBlock() {
        return daoBlock;
    }

    @Override public String toString() {
        return name;
    }
}
