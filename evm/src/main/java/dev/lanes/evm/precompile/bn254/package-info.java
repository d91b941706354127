/**
 * The alt_bn128 (BN254) precompiles: ECADD at 0x06 and ECMUL at 0x07 (EIP-196), ECPAIRING at 0x08
 * (EIP-197), with the Byzantium prices those EIPs set and the Istanbul prices of EIP-1108 passed in by the
 * fork table.
 *
 * <p>The curve is E: y^2 = x^3 + 3 over F_p with p = 36u^4 + 36u^3 + 24u^2 + 6u + 1, u = 4965661367192848881;
 * G1 = E(F_p), of prime order r; G2 is the order-r subgroup of the sextic twist E': y^2 = x^3 + 3/(9+i)
 * over F_p^2. The code is layered bottom-up:
 * <ul>
 *   <li>{@link dev.lanes.evm.precompile.bn254.Fp}: F_p on four 64-bit limbs with Montgomery multiplication;
 *   <li>{@link dev.lanes.evm.precompile.bn254.Fp2}, {@link dev.lanes.evm.precompile.bn254.Fp6},
 *       {@link dev.lanes.evm.precompile.bn254.Fp12}: the tower F_p[i]/(i^2+1), [v]/(v^3-(9+i)), [w]/(w^2-v);
 *   <li>{@link dev.lanes.evm.precompile.bn254.JacobianPoint}: curve arithmetic shared by
 *       {@link dev.lanes.evm.precompile.bn254.G1} and {@link dev.lanes.evm.precompile.bn254.G2};
 *   <li>{@link dev.lanes.evm.precompile.bn254.Pairing}: the optimal ate Miller loop and final exponentiation;
 *   <li>{@link dev.lanes.evm.precompile.bn254.Bn254Add}, {@link dev.lanes.evm.precompile.bn254.Bn254Mul},
 *       {@link dev.lanes.evm.precompile.bn254.Bn254Pairing}: input framing, validation and gas.
 * </ul>
 * Nothing here is constant time: precompile inputs are public.
 */
package dev.lanes.evm.precompile.bn254;
