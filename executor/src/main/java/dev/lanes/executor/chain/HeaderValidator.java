package dev.lanes.executor.chain;

import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.BlockValidation;
import dev.lanes.executor.chain.ChainSpec.Era;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.UInt256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The rules a header must meet against its parent, by era, as the execution specification's
 * {@code validate_header} states them (ethereum/execution-specs, {@code forks/<fork>/fork.py}). Each check
 * returns {@code null} for a valid header and otherwise the reason, naming the rule.
 *
 * <p>The proof-of-work seal (mixHash and nonce against Ethash) is not checked: the conformance tests this
 * serves use the {@code NoProof} seal engine, and Lanes does not mine or import proof-of-work mainnet blocks.
 */
public final class HeaderValidator {
    /** Yellow Paper: the smallest difficulty a proof-of-work block may have. */
    public static final BigInteger MINIMUM_DIFFICULTY = BigInteger.valueOf(131_072);
    /** Yellow Paper: the gas limit may move by less than parent/1024 per block, and never below 5000. */
    public static final long GAS_LIMIT_ADJUSTMENT_FACTOR = 1024, GAS_LIMIT_MINIMUM = 5000;
    /** EIP-1559. */
    public static final long ELASTICITY_MULTIPLIER = 2, BASE_FEE_MAX_CHANGE_DENOMINATOR = 8;
    public static final UInt256 INITIAL_BASE_FEE = UInt256.of(1_000_000_000L);
    public static final int MAX_EXTRA_DATA = 32;
    /** The DAO fork (block 1,920,000 on mainnet): its block and the nine after it carry this extra data. */
    public static final byte[] DAO_EXTRA_DATA = "dao-hard-fork".getBytes(StandardCharsets.US_ASCII);
    public static final int DAO_EXTRA_DATA_BLOCKS = 10;

    private HeaderValidator() {}

    /**
     * Checks {@code h} (hash {@code hash}) against {@code parent} (hash {@code parentHash}). {@code era} and
     * {@code parentEra} are the two blocks' eras (they differ at a fork block).
     */
    public static String validate(BlockHeader h, Era era, BlockHeader parent, Hash parentHash, Era parentEra,
                                  ChainSpec spec) {
        Fork fork = era.fork();
        String shape = checkFields(h, fork);
        if (shape != null) return shape;
        if (!h.parentHash().equals(parentHash)) return "parent hash " + h.parentHash() + " is not the parent's " + parentHash;
        if (h.number() != parent.number() + 1)
            return "block number " + h.number() + " does not follow the parent's " + parent.number();
        if (h.timestamp() <= parent.timestamp())
            return "timestamp " + h.timestamp() + " is not after the parent's " + parent.timestamp();
        if (h.gasUsed() > h.gasLimit()) return "gas used " + h.gasUsed() + " exceeds the gas limit " + h.gasLimit();
        if (h.extraData().length > MAX_EXTRA_DATA)
            return "extra data is " + h.extraData().length + " bytes, more than " + MAX_EXTRA_DATA;

        // EIP-1559: the fork block measures its gas limit against twice the parent's (the target stays put).
        boolean londonBlock = fork.isEnabled(Fork.LONDON) && !parentEra.fork().isEnabled(Fork.LONDON);
        long parentLimit = parent.gasLimit();
        if (londonBlock) parentLimit = parentLimit > Long.MAX_VALUE / ELASTICITY_MULTIPLIER ? Long.MAX_VALUE : parentLimit * ELASTICITY_MULTIPLIER;
        String gas = checkGasLimit(h.gasLimit(), parentLimit);
        if (gas != null) return gas;
        if (fork.isEnabled(Fork.LONDON)) {
            UInt256 expected = londonBlock ? INITIAL_BASE_FEE : baseFee(parent);
            if (!h.baseFeePerGas().equals(expected))
                return "base fee " + h.baseFeePerGas().toBigInteger() + ", expected " + expected.toBigInteger() + " (EIP-1559)";
        }

        if (era.merged()) {
            // EIP-3675: proof-of-stake headers have these fields fixed.
            if (!h.difficulty().isZero()) return "difficulty " + h.difficulty().toBigInteger() + " after the merge, must be 0 (EIP-3675)";
            if (h.nonce() != 0) return "nonce " + Long.toHexString(h.nonce()) + " after the merge, must be 0 (EIP-3675)";
            if (!h.ommersHash().equals(Hash.EMPTY_LIST)) return "ommers hash after the merge must be that of an empty list (EIP-3675)";
        } else {
            BigInteger expected = difficulty(era, h.number(), h.timestamp(), parent);
            if (!h.difficulty().toBigInteger().equals(expected))
                return "difficulty " + h.difficulty().toBigInteger() + ", expected " + expected + " (" + era.name() + " rules)";
        }

        long dao = spec.daoBlock();
        if (dao >= 0 && h.number() >= dao && h.number() < dao + DAO_EXTRA_DATA_BLOCKS
                && !Arrays.equals(h.extraData(), DAO_EXTRA_DATA))
            return "extra data of DAO fork block " + h.number() + " must be \"dao-hard-fork\"";

        if (fork.isEnabled(Fork.CANCUN)) {
            ForkRules rules = era.rules();
            // The header's blobGasUsed is not compared with the block maximum here: as in the specification, the
            // limit is a transaction check (BlockExecutor, before each transaction) and the header must equal
            // the body's total, so a header over the limit is rejected at the transaction that exceeds it.
            String blob = BlockValidation.checkExcessBlobGas(parent, h, rules);
            if (blob != null) return blob + " (EIP-4844)";
        }
        return null;
    }

    /**
     * Which of the appended header fields the fork requires: base fee (London, EIP-1559), withdrawals root
     * (Shanghai, EIP-4895), blob gas used and excess blob gas (Cancun, EIP-4844), parent beacon block root
     * (Cancun, EIP-4788), requests hash (Prague, EIP-7685). A header with more or fewer is of another fork.
     */
    public static String checkFields(BlockHeader h, Fork fork) {
        String[] names = {"baseFeePerGas", "withdrawalsRoot", "blobGasUsed", "excessBlobGas", "parentBeaconBlockRoot", "requestsHash"};
        Fork[] since = {Fork.LONDON, Fork.SHANGHAI, Fork.CANCUN, Fork.CANCUN, Fork.CANCUN, Fork.PRAGUE};
        Object[] values = {h.baseFeePerGas(), h.withdrawalsRoot(), h.blobGasUsed(), h.excessBlobGas(),
            h.parentBeaconBlockRoot(), h.requestsHash()};
        for (int i = 0; i < names.length; i++) {
            boolean need = fork.isEnabled(since[i]);
            if (need && values[i] == null) return "header has no " + names[i] + ", required from " + since[i].testName;
            if (!need && values[i] != null) return "header has " + names[i] + ", which " + fork.testName + " does not have";
        }
        return null;
    }

    /** Yellow Paper (45)-(47): the limit moves by less than parent/1024 and stays at least 5000. */
    public static String checkGasLimit(long gasLimit, long parentGasLimit) {
        long delta = parentGasLimit / GAS_LIMIT_ADJUSTMENT_FACTOR;
        // Both limits are below 2^63, so their difference cannot overflow where parent + delta could.
        if (gasLimit - parentGasLimit >= delta || parentGasLimit - gasLimit >= delta)
            return "gas limit " + gasLimit + " moves by parent/1024 or more from " + parentGasLimit;
        if (gasLimit < GAS_LIMIT_MINIMUM) return "gas limit " + gasLimit + " below the minimum " + GAS_LIMIT_MINIMUM;
        return null;
    }

    /** EIP-1559: the base fee a child of {@code parent} must have (parent not the London fork's parent). */
    public static UInt256 baseFee(BlockHeader parent) {
        BigInteger parentFee = parent.baseFee().toBigInteger();
        long target = parent.gasLimit() / ELASTICITY_MULTIPLIER;
        long used = parent.gasUsed();
        // A parent limit below 2 has no target to divide by; such a chain cannot grow (the limit minimum is 5000).
        if (used == target || target == 0) return parent.baseFee();
        if (used > target) {
            BigInteger delta = parentFee.multiply(BigInteger.valueOf(used - target)).divide(BigInteger.valueOf(target))
                    .divide(BigInteger.valueOf(BASE_FEE_MAX_CHANGE_DENOMINATOR)).max(BigInteger.ONE);
            return UInt256.fromBigInteger(parentFee.add(delta));
        }
        BigInteger delta = parentFee.multiply(BigInteger.valueOf(target - used)).divide(BigInteger.valueOf(target))
                .divide(BigInteger.valueOf(BASE_FEE_MAX_CHANGE_DENOMINATOR));
        return UInt256.fromBigInteger(parentFee.subtract(delta));
    }

    /**
     * The proof-of-work difficulty of block {@code number} at {@code timestamp} after {@code parent}: Frontier's
     * rule (13-second threshold), Homestead's (EIP-2, 10-second steps), or Byzantium's (EIP-100, 9-second
     * steps, uncles count), each with the exponential bomb counted from the era's delay.
     */
    public static BigInteger difficulty(Era era, long number, long timestamp, BlockHeader parent) {
        BigInteger pd = parent.difficulty().toBigInteger();
        BigInteger step = pd.shiftRight(11); // parent / 2048
        long elapsed = timestamp - parent.timestamp();
        BigInteger d;
        Fork fork = era.fork();
        if (!fork.isEnabled(Fork.HOMESTEAD)) {
            d = elapsed < 13 ? pd.add(step) : pd.subtract(step);
        } else if (!fork.isEnabled(Fork.BYZANTIUM)) {
            d = pd.add(step.multiply(BigInteger.valueOf(Math.max(1 - elapsed / 10, -99))));
        } else {
            long base = parent.ommersHash().equals(Hash.EMPTY_LIST) ? 1 : 2;
            d = pd.add(step.multiply(BigInteger.valueOf(Math.max(base - elapsed / 9, -99))));
        }
        long periods = Math.floorDiv(number - era.bombDelay(), 100_000) - 2;
        if (periods >= 0) d = d.add(BigInteger.ONE.shiftLeft((int) Math.min(periods, 1 << 20)));
        return d.max(MINIMUM_DIFFICULTY);
    }
}
