/**
 * Recursive Length Prefix, the serialization behind Ethereum's blocks, transactions, receipts and trie nodes,
 * as defined in the Yellow Paper, Appendix B ("Recursive Length Prefix").
 *
 * <p>An item is a byte string or a list of items. Its first byte says which, and how long:
 * <pre>
 *   0x00..0x7f  a one-byte string that is its own encoding
 *   0x80..0xb7  a string of 0..55 bytes; length = first - 0x80
 *   0xb8..0xbf  a longer string; the next (first - 0xb7) bytes hold its length, big-endian
 *   0xc0..0xf7  a list whose items take 0..55 bytes; length = first - 0xc0
 *   0xf8..0xff  a longer list; the next (first - 0xf7) bytes hold its payload length
 * </pre>
 * Scalars (nonces, balances, gas) are strings holding the minimal big-endian bytes, so zero is the empty string.
 *
 * <p>{@link dev.lanes.primitives.rlp.RlpWriter} encodes into one growable buffer. {@link dev.lanes.primitives.rlp.RlpReader}
 * decodes in place without building a tree; {@link dev.lanes.primitives.rlp.Rlp#decode(byte[])} builds an
 * {@link dev.lanes.primitives.rlp.RlpItem} tree when convenience matters more than allocation. Decoding accepts
 * only the canonical encoding, because two encodings of one value would give one transaction or block two hashes:
 * every other form is an {@link dev.lanes.primitives.rlp.RlpException}.
 */
package dev.lanes.primitives.rlp;
