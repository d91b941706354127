/**
 * Signed Ethereum transactions: decoding, encoding, hashes, sender recovery and the validity rules that need
 * neither state nor block.
 *
 * <ul>
 *   <li>Legacy transactions are a bare RLP list (Yellow Paper, section 4.2); EIP-155 (Spurious Dragon)
 *       folds the chain id into v and into the signing hash, for replay protection.
 *   <li>EIP-2718 (Berlin) wraps every later type as {@code type byte || payload}; this package decodes
 *       EIP-2930 access-list transactions (type 1, Berlin), EIP-1559 fee-market transactions (type 2,
 *       London) and EIP-4844 blob transactions (type 3, Cancun) in their canonical signed form.
 *       EIP-7702 set-code transactions (type 4, Prague) are rejected as not yet supported.
 *   <li>Signatures: EIP-2 (Homestead) requires s <= n/2 so that a signature cannot be flipped into a
 *       second valid one with a different hash; EIP-2681 caps the nonce below 2^64 - 1.
 *   <li>Intrinsic gas ({@link dev.lanes.evm.tx.IntrinsicGas}): EIP-2 creation surcharge, EIP-2028 calldata
 *       price, EIP-2930 access-list charges, EIP-3860 init-code words and size limit (Shanghai), EIP-7623
 *       calldata floor (Prague); EIP-7825 (Osaka) caps the gas limit itself.
 * </ul>
 *
 * <p>Decoding is strict: the bytes must be the one canonical encoding, so that the transaction hash is a
 * function of the transaction and not of how a peer chose to serialise it.
 */
package dev.lanes.evm.tx;
