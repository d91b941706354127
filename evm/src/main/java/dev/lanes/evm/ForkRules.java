package dev.lanes.evm;

import dev.lanes.evm.precompile.Precompile;
import java.util.Arrays;
import java.util.EnumMap;

/**
 * Everything that differs between forks, as data. Each fork's rules are its parent's, copied, with
 * that fork's EIPs applied on top ({@link #derive}); the interpreter reads the tables and flags and never
 * asks which fork it is in. Dynamic-gas paths read the flags below; the per-opcode static gas lives in
 * {@link #gas}, where {@link #UNDEFINED} marks an opcode the fork does not have.
 */
public final class ForkRules implements Cloneable {
    /** Static cost of an opcode that does not exist in a fork: larger than any gas limit, so it halts. */
    public static final int UNDEFINED = Integer.MAX_VALUE;

    private Fork fork;
    public int[] gas = new int[256];

    // Homestead
    public boolean eip2CreateOogFails;      // EIP-2: code-deposit OOG fails the creation
    public boolean eip2LowS;                 // EIP-2: signatures with s > n/2 are invalid
    public boolean eip7DelegateCall;
    // Tangerine Whistle
    public boolean eip150;                   // all-but-one-64th rule; new costs
    // Spurious Dragon
    public boolean eip155;
    public boolean eip161;                   // state clearing, CALL new-account charge only for value
    public int maxCodeSize = Integer.MAX_VALUE; // EIP-170
    public int expByteGas = 10;              // EIP-160: 50
    // Byzantium
    public boolean eip140Revert, eip211ReturnData, eip214Static;
    public boolean eip658Status;
    // Constantinople
    public boolean eip145Shifts, eip1014Create2, eip1052ExtCodeHash;
    public boolean eip1283NetMetering;       // Constantinople only
    // Istanbul
    public boolean eip2200NetMetering;       // with the 2300-gas sentry
    public boolean eip1884, eip1344ChainId, eip2028;
    // Berlin
    public boolean eip2929;                  // warm/cold access
    public boolean eip2930;
    // London
    public boolean eip1559, eip3529, eip3541, eip3198BaseFee;
    // Paris
    public boolean eip4399Prevrandao;
    // Shanghai
    public boolean eip3651WarmCoinbase, eip3855Push0, eip3860InitcodeLimit;
    // Cancun
    public boolean eip1153Transient, eip5656Mcopy, eip6780, eip4844, eip7516BlobBaseFee, eip4788;
    // Prague / Osaka
    public boolean eip7702, eip7623, eip2935, eip7685Requests;
    public boolean eip7939Clz;
    /** EIP-7918 (Osaka): the excess-blob-gas update stops lowering the blob price below BLOB_BASE_COST x base fee. */
    public boolean eip7918BlobReservePrice;
    /** EIP-7934 (Osaka): a block's RLP encoding is capped (the limit is the block executor's business). */
    public boolean eip7934BlockSizeLimit;

    public int sloadGas, balanceGas, extcodeGas, extcodehashGas, callGas, selfdestructGas;
    public int sstoreSetGas = 20000, sstoreResetGas = 5000, sstoreClearRefund = 15000;
    public int selfdestructRefund = 24000;
    public int refundQuotient = 2;
    public int txDataNonZeroGas = 68;
    public int createGas = 32000;
    public int maxInitcodeSize = Integer.MAX_VALUE;

    /** Precompiled contracts by address 1..0x11 (index = low byte), plus 0x100 handled separately. */
    public Precompile[] precompiles = new Precompile[0];
    public Precompile p256Verify;

    // Blob parameters (EIP-4844; EIP-7691 raises them in Prague).
    public long targetBlobGasPerBlock, maxBlobGasPerBlock, blobBaseFeeUpdateFraction;
    /** EIP-7594 (Osaka) caps blobs per transaction; before it only the block limit applies. */
    public int maxBlobsPerTx = Integer.MAX_VALUE;

    private ForkRules(Fork fork) {
        this.fork = fork;
    }

    /** A copy of these rules for the next fork, which {@link GasTable#apply} then amends. */
    private ForkRules derive(Fork next) {
        try {
            ForkRules copy = (ForkRules) super.clone();
            copy.fork = next;
            copy.gas = Arrays.copyOf(gas, 256);
            copy.precompiles = Arrays.copyOf(precompiles, precompiles.length);
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    public Fork fork() {
        return fork;
    }

    /**
     * These rules with another blob schedule (targets and maxima in blobs per block), as a chain
     * configuration or an execution-spec-tests fixture's {@code config.blobSchedule} may set it.
     */
    public ForkRules withBlobSchedule(long targetBlobs, long maxBlobs, long baseFeeUpdateFraction) {
        ForkRules copy = derive(fork);
        copy.targetBlobGasPerBlock = targetBlobs * (1L << 17);
        copy.maxBlobGasPerBlock = maxBlobs * (1L << 17);
        copy.blobBaseFeeUpdateFraction = baseFeeUpdateFraction;
        return copy;
    }

    private static final EnumMap<Fork, ForkRules> RULES = new EnumMap<>(Fork.class);

    public static ForkRules of(Fork fork) {
        return RULES.get(fork);
    }

    public boolean isPrecompile(dev.lanes.primitives.Address a) {
        if (a.isLowInRange(1, precompiles.length - 1)) return precompiles[(int) a.limb0()] != null;
        return p256Verify != null && a.isLowInRange(0x100, 0x100);
    }

    public Precompile precompile(dev.lanes.primitives.Address a) {
        if (a.isLowInRange(1, precompiles.length - 1)) return precompiles[(int) a.limb0()];
        if (p256Verify != null && a.isLowInRange(0x100, 0x100)) return p256Verify;
        return null;
    }

    static {
        ForkRules r = new ForkRules(Fork.FRONTIER);
        Arrays.fill(r.gas, UNDEFINED);
        GasTable.frontier(r);
        Precompiles.install(Fork.FRONTIER, r);
        RULES.put(Fork.FRONTIER, r);
        for (Fork f : Fork.values()) {
            if (f == Fork.FRONTIER) continue;
            r = r.derive(f);
            GasTable.apply(f, r);
            // Forks whose static gas tables are equal share one array: code analysed and compiled for one
            // (BasicBlocks, keyed by the table's identity) then serves the others, instead of being analysed and
            // compiled again whenever blocks of those forks alternate (replay across forks).
            for (ForkRules earlier : RULES.values()) {
                if (Arrays.equals(earlier.gas, r.gas)) {
                    r.gas = earlier.gas;
                    break;
                }
            }
            RULES.put(f, r);
        }
    }
}
