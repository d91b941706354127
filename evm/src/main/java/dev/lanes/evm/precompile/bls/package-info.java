/**
 * The BLS12-381 precompiles of EIP-2537 (Prague), at their final addresses and prices:
 * <ul>
 *   <li>0x0b {@link dev.lanes.evm.precompile.bls.BlsG1Add} (375 gas) and 0x0d
 *       {@link dev.lanes.evm.precompile.bls.BlsG2Add} (600 gas): point addition, on-curve checks only;
 *   <li>0x0c {@link dev.lanes.evm.precompile.bls.BlsG1Msm} and 0x0e {@link dev.lanes.evm.precompile.bls.BlsG2Msm}:
 *       multi-scalar multiplication, priced by the EIP's discount tables, subgroup-checked; blst multiplies
 *       each term for short inputs, {@link dev.lanes.evm.precompile.bls.Pippenger} buckets longer ones;
 *   <li>0x0f {@link dev.lanes.evm.precompile.bls.BlsPairingCheck} (32600 k + 37700 gas), subgroup-checked;
 *   <li>0x10 {@link dev.lanes.evm.precompile.bls.BlsMapFpToG1} (5500 gas) and 0x11
 *       {@link dev.lanes.evm.precompile.bls.BlsMapFp2ToG2} (23800 gas): RFC 9380 simplified SWU plus isogeny,
 *       computed here on BigIntegers ({@link dev.lanes.evm.precompile.bls.MapToCurve}), then blst clears the
 *       cofactor.
 * </ul>
 * Curve arithmetic, subgroup checks and the pairing are supranational blst's, through the jblst bindings;
 * {@link dev.lanes.evm.precompile.bls.Codec} translates between the EIP's 64-byte padded field encoding and
 * blst's. All classes are stateless and thread-safe, and their execute methods return null rather than throw.
 */
package dev.lanes.evm.precompile.bls;
