/**
 * LanesDB: the world state stored as what it is, Merkle Patricia Tries (Yellow Paper Appendix D), instead of trie
 * nodes hidden in a general key-value store under their hashes.
 *
 * <h2>Files (one directory)</h2>
 * <ul>
 *   <li>{@code seg-NNNNNN.lseg}: append-only segments of trie node records, the account trie and every storage trie
 *       together ({@link dev.lanes.state.db.Segments}, layout in {@link dev.lanes.state.db.NodeRecords}). A node is
 *       addressed by a {@link dev.lanes.state.db.Ptr} (segment, offset, length): a parent holds its children's
 *       addresses, not their hashes as keys, and beside each address the child's hash (so a changed parent is
 *       rehashed without reading its unchanged children, and proofs are re-encoded without hashing) and the smallest
 *       segment in the child's subtree (for compaction). An account leaf holds its storage trie's root address.
 *       Storage leaves name their owner, so the flat index can check a hit exactly.</li>
 *   <li>{@code versions.log}: one checksummed 128-byte record per version (block): root hash and address, where the
 *       version's data starts and ends, its CRC32C, the code log's end ({@link dev.lanes.state.db.VersionLog}).</li>
 *   <li>{@code code.log}: contract code by hash ({@link dev.lanes.state.db.CodeLog}).</li>
 *   <li>{@code index.snap}: the flat index as of a clean close (deleted when read at open).</li>
 * </ul>
 *
 * <h2>Flat latest-state index</h2>
 * The trie's leaves are the flat state: {@link dev.lanes.state.db.FlatIndex} maps a 64-bit fingerprint of
 * {@code keccak(address)} (or of the owner's and the slot's hashes) to the address of the newest leaf, so a point
 * read is one hash-table probe in memory and one positional read of a leaf record; the leaf's full key is compared.
 * In memory: 16 bytes per table slot, the table kept between 3/8 and 3/4 full (21 to 43 bytes per key). Values are not
 * written twice: a block writes each changed leaf once, into the trie.
 *
 * <h2>Commit</h2>
 * {@link dev.lanes.state.db.LanesDb#commit} applies a block's {@link dev.lanes.state.db.StateUpdate} at once:
 * <ol>
 *   <li>in parallel per account: its leaf through the index, wiped storage walked and dropped, its storage trie's
 *       touched paths loaded, updated copy-on-write ({@link dev.lanes.state.db.CowTrie}) and hashed;</li>
 *   <li>storage tries written (children before parents, so each parent knows its children's new addresses);</li>
 *   <li>the account trie updated (the root's sixteen subtries in parallel), compaction's share of old nodes marked
 *       for copying, hashed (subtries in parallel) and written;</li>
 *   <li>segments and code fsynced, then the version record appended and fsynced: the commit point;</li>
 *   <li>the switch, under a short write lock: the flat-index changes the commit recorded as it wrote are applied, the
 *       version becomes the newest, and segments no kept version reaches are deleted.</li>
 * </ol>
 * Only nodes on changed paths are loaded, rewritten and hashed; untouched children are never read. Reads of the newest
 * state (and of kept versions) run while a commit works, under the shared side of the same lock: until the switch
 * they see the version before, whole, since the commit only appends to the segments and records its index changes
 * aside. That is what lets a replay execute the next block while this one commits.
 *
 * <h2>Recovery</h2>
 * Open takes the newest version record whose own checksum and whose data checksum both hold, truncates the log,
 * the segment holding that version's end, and the code log there, and deletes later segments: a torn or damaged tail
 * (a kill at any point, a short write, flipped bytes) falls back to the last complete version. The flat index comes
 * from {@code index.snap} if it is for that version, else from a walk of that version's trie.
 *
 * <h2>Versions, pruning, compaction</h2>
 * Every version's root stays valid while its nodes' segments exist, since nodes are never overwritten. With
 * {@code keepVersions = N} the newest N versions are readable; archive mode ({@code 0}) keeps all. Compaction (simple
 * form): when the oldest segment the newest trie uses has under half of its bytes live (per-segment live counts are
 * kept as nodes are written and replaced), each commit copies up to a budget of that segment's live nodes forward,
 * with their ancestors, as part of its own write (found by descending only into subtrees whose smallest segment is
 * old; contents unchanged, so nothing is rehashed). The budget is paced by the commit: {@code compactPerWrite} nodes
 * per node the commit writes for its own update (at least a small floor, at most {@code compactBudget}), since the
 * garbage a commit makes is about the nodes it rewrites. Once no kept version reaches a segment it is deleted. With
 * {@code backgroundCompaction} (the default) a thread of the store's own does that copying between commits, in slices
 * under the store's monitor, while reads of the newest state go on: it defers its flat-index updates to the next commit
 * and leaves account-trie nodes marked for that commit to write, and the next commit takes the storage roots it moved;
 * a commit waits for at most one slice and copies only what the compactor left. Without it the commit copies its
 * allowance itself. What is simple about it: it picks only the oldest segment and reclaims nothing in archive mode.
 */
package dev.lanes.state.db;
