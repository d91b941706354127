/**
 * The Merkle Patricia Trie of the Ethereum Yellow Paper, Appendix D ("Modified Merkle Patricia Tree"),
 * with the hex-prefix encoding of Appendix C and the RLP of Appendix B.
 *
 * <p>Two ways to a root hash:
 * <ul>
 *   <li>{@link dev.lanes.state.trie.MerklePatriciaTrie}: a mutable in-memory trie that caches each node's
 *       reference and clears it only along the paths an update touched, so the root after a block's few
 *       thousand writes costs a few thousand hashes, not a rehash of the whole state.
 *       {@link dev.lanes.state.trie.SecureTrie} is the same keyed by {@code keccak256(key)}, as the state trie
 *       and the storage tries are (Yellow Paper section 4.1).</li>
 *   <li>{@link dev.lanes.state.trie.TrieRoot}: a one-pass builder over keys already in order, which never
 *       materialises nodes; for transaction, receipt and withdrawal roots (keyed by {@code rlp(index)}) and
 *       for the state root of a state built from scratch.</li>
 * </ul>
 *
 * <p>Both share {@code NodeEncoder}, so there is one definition of how a node becomes bytes: the function
 * {@code c(J, i)} of Appendix D, with a node's reference inlined when its RLP is shorter than 32 bytes and
 * replaced by its Keccak-256 hash otherwise.
 */
package dev.lanes.state.trie;
