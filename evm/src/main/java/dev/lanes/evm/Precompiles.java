package dev.lanes.evm;

import dev.lanes.evm.precompile.Blake2f;
import dev.lanes.evm.precompile.EcRecover;
import dev.lanes.evm.precompile.Identity;
import dev.lanes.evm.precompile.ModExp;
import dev.lanes.evm.precompile.P256Verify;
import dev.lanes.evm.precompile.PointEvaluation;
import dev.lanes.evm.precompile.Precompile;
import dev.lanes.evm.precompile.Ripemd160;
import dev.lanes.evm.precompile.Sha256;
import dev.lanes.evm.precompile.bls.BlsG1Add;
import dev.lanes.evm.precompile.bls.BlsG1Msm;
import dev.lanes.evm.precompile.bls.BlsG2Add;
import dev.lanes.evm.precompile.bls.BlsG2Msm;
import dev.lanes.evm.precompile.bls.BlsMapFp2ToG2;
import dev.lanes.evm.precompile.bls.BlsMapFpToG1;
import dev.lanes.evm.precompile.bls.BlsPairingCheck;
import dev.lanes.evm.precompile.bn254.Bn254Add;
import dev.lanes.evm.precompile.bn254.Bn254Mul;
import dev.lanes.evm.precompile.bn254.Bn254Pairing;
import java.util.Arrays;

/** The precompiled contracts each fork adds or reprices, installed into {@link ForkRules#precompiles}. */
final class Precompiles {
    private Precompiles() {}

    static void install(Fork f, ForkRules r) {
        switch (f) {
            case FRONTIER -> {
                r.precompiles = new Precompile[5];
                r.precompiles[1] = new EcRecover();
                r.precompiles[2] = new Sha256();
                r.precompiles[3] = new Ripemd160();
                r.precompiles[4] = new Identity();
            }
            case BYZANTIUM -> {                                        // EIP-196, EIP-197, EIP-198
                r.precompiles = Arrays.copyOf(r.precompiles, 9);
                r.precompiles[5] = new ModExp(ModExp.Rules.BYZANTIUM);
                r.precompiles[6] = new Bn254Add(500);
                r.precompiles[7] = new Bn254Mul(40_000);
                r.precompiles[8] = new Bn254Pairing(100_000, 80_000);
            }
            case ISTANBUL -> {                                         // EIP-1108 repricing, EIP-152 BLAKE2F
                r.precompiles = Arrays.copyOf(r.precompiles, 10);
                r.precompiles[6] = new Bn254Add(150);
                r.precompiles[7] = new Bn254Mul(6_000);
                r.precompiles[8] = new Bn254Pairing(45_000, 34_000);
                r.precompiles[9] = new Blake2f();
            }
            case BERLIN -> r.precompiles[5] = new ModExp(ModExp.Rules.BERLIN);   // EIP-2565
            case CANCUN -> {                                           // EIP-4844 point evaluation
                r.precompiles = Arrays.copyOf(r.precompiles, 11);
                r.precompiles[10] = new PointEvaluation();
            }
            case PRAGUE -> {                                           // EIP-2537 BLS12-381
                r.precompiles = Arrays.copyOf(r.precompiles, 0x12);
                r.precompiles[0x0b] = new BlsG1Add();
                r.precompiles[0x0c] = new BlsG1Msm();
                r.precompiles[0x0d] = new BlsG2Add();
                r.precompiles[0x0e] = new BlsG2Msm();
                r.precompiles[0x0f] = new BlsPairingCheck();
                r.precompiles[0x10] = new BlsMapFpToG1();
                r.precompiles[0x11] = new BlsMapFp2ToG2();
            }
            case OSAKA -> {
                r.precompiles[5] = new ModExp(ModExp.Rules.OSAKA);     // EIP-7823, EIP-7883
                r.p256Verify = new P256Verify();                       // EIP-7951
            }
            default -> { }
        }
    }
}
