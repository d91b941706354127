/**
 * Precompiled contracts: fixed addresses whose code is native, each priced and run by a {@link
 * dev.lanes.evm.precompile.Precompile}.
 *
 * <ul>
 *   <li>0x02 SHA-256, 0x03 RIPEMD-160, 0x04 identity: Yellow Paper, appendix E (Frontier).</li>
 *   <li>0x05 MODEXP: EIP-198 (Byzantium), repriced by EIP-2565 (Berlin) and EIP-7883 (Osaka), with operand
 *       lengths bounded to 1024 bytes by EIP-7823 (Osaka). See {@link dev.lanes.evm.precompile.ModExp.Rules}.</li>
 *   <li>0x09 BLAKE2 F: EIP-152 (Istanbul).</li>
 *   <li>0x0a KZG point evaluation: EIP-4844 (Cancun).</li>
 *   <li>0x100 P256VERIFY (secp256r1 ECDSA): EIP-7951 (Osaka).</li>
 * </ul>
 *
 * <p>Implementations are stateless and thread-safe. Fork-dependent pricing is fixed at construction, so each
 * fork's precompile table holds its own instances and nothing compares forks per call.
 */
package dev.lanes.evm.precompile;
