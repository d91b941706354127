/**
 * Elliptic-curve cryptography on secp256k1 (SEC 2, section 2.4.1), the curve of Ethereum's account keys.
 *
 * <p>The protocol only ever needs public-key recovery: a transaction or an {@code ECRECOVER} call carries
 * (r, s, recovery id) over a 32-byte Keccak-256 digest, and the signer is the public key that makes the
 * signature valid (Yellow Paper, appendix F). Recovery runs in the native libsecp256k1 through the
 * secp256k1-kmp JNI binding when it loads, and otherwise in a pure-Java implementation over Bouncy
 * Castle's curve arithmetic; both back ends receive only inputs already range-checked in
 * {@link dev.lanes.primitives.crypto.Secp256k1}, so they must agree bit for bit, which the tests check on
 * random inputs.
 */
package dev.lanes.primitives.crypto;
