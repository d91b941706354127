package dev.lanes.executor.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.BlockHeader;
import dev.lanes.executor.BlockRlp;
import dev.lanes.executor.BlockValidation;
import dev.lanes.executor.chain.ChainSpec.Era;
import dev.lanes.executor.chain.ChainStore.Stored;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import dev.lanes.primitives.UInt256;
import dev.lanes.primitives.rlp.RlpWriter;
import dev.lanes.state.WorldState;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * Block import on small proof-of-work chains built here (empty blocks, Byzantium rules): the ommer rules, the
 * fork choice by total difficulty, and that a rejected block changes nothing. The official BlockchainTests
 * barely exercise the ommer rules once the block reward already exposes a wrong uncle, so they are pinned here.
 */
class BlockImporterTest {
    private static final Era BYZANTIUM = ChainSpec.ERAS.stream().filter(e -> e.name().equals("Byzantium")).findFirst().orElseThrow();
    private static final Address RICH = Address.fromHex("0x00000000000000000000000000000000000000f0");

    private final BlockImporter importer;

    BlockImporterTest() {
        WorldState state = new WorldState();
        state.put(RICH, 0, UInt256.of(1_000_000), new byte[0], Map.of());
        BlockHeader genesis = new BlockHeader(Hash.ZERO, Hash.EMPTY_LIST, Address.ZERO, state.stateRoot(), Hash.EMPTY_TRIE,
                Hash.EMPTY_TRIE, new byte[256], UInt256.of(131_072), 0, 5_000_000, 0, 0, new byte[0], Hash.ZERO, 0,
                null, null, null, null, null, null);
        importer = new BlockImporter(ChainSpec.of(BYZANTIUM), genesis, state);
    }

    private static Address miner(int i) {
        byte[] a = new byte[20];
        a[19] = (byte) i;
        a[0] = 1;
        return Address.wrap(a);
    }

    /** A valid empty block on {@code parent} mined by {@code miner} {@code dt} seconds later, with these ommers. */
    private static BlockHeader block(Stored parent, int miner, long dt, List<BlockHeader> ommers) {
        BlockHeader p = parent.header();
        long ts = p.timestamp() + dt;
        BigInteger difficulty = HeaderValidator.difficulty(BYZANTIUM, p.number() + 1, ts, p);
        RlpWriter w = new RlpWriter().startList();
        for (BlockHeader o : ommers) o.writeTo(w);
        Hash ommersHash = Keccak.hashOf(w.endList().toByteArray());
        BlockHeader draft = new BlockHeader(parent.hash(), ommersHash, miner(miner), Hash.ZERO, Hash.EMPTY_TRIE,
                Hash.EMPTY_TRIE, new byte[256], UInt256.fromBigInteger(difficulty), p.number() + 1, p.gasLimit(), 0, ts,
                new byte[0], Hash.ZERO, 0, null, null, null, null, null, null);
        WorldState post = parent.state().copy();
        new BlockExecutor(new Evm()).execute(draft, Fork.BYZANTIUM, List.of(), List.of(), ommers, post, new Address[0]);
        return new BlockHeader(draft.parentHash(), draft.ommersHash(), draft.coinbase(), post.stateRoot(),
                draft.transactionsRoot(), draft.receiptsRoot(), draft.logsBloom(), draft.difficulty(), draft.number(),
                draft.gasLimit(), draft.gasUsed(), draft.timestamp(), draft.extraData(), draft.mixHash(), draft.nonce(),
                null, null, null, null, null, null);
    }

    private static byte[] rlp(BlockHeader h, List<BlockHeader> ommers) {
        return BlockRlp.encode(h, List.of(), ommers, null);
    }

    private Stored add(Stored parent, int miner, long dt, List<BlockHeader> ommers) {
        BlockHeader h = block(parent, miner, dt, ommers);
        BlockImporter.Outcome o = importer.importBlock(rlp(h, ommers));
        assertTrue(o.imported(), o.error());
        return importer.store().get(o.hash());
    }

    private String reject(Stored parent, int miner, List<BlockHeader> ommers) {
        int before = importer.store().size();
        Stored head = importer.store().head();
        BlockImporter.Outcome o = importer.importBlock(rlp(block(parent, miner, 10, ommers), ommers));
        assertFalse(o.imported(), "expected a rejection");
        assertEquals(before, importer.store().size(), "a rejected block is not stored");
        assertEquals(head, importer.store().head(), "nor does it move the head");
        return o.error();
    }

    private Stored chain(int length) {
        Stored s = importer.store().head();
        for (int i = 0; i < length; i++) s = add(s, 1, 10, List.of());
        return s;
    }

    @Test void aValidUncleIsIncludedAndItsMinerPaid() {
        Stored g = importer.store().head();
        Stored b1 = add(g, 1, 10, List.of());
        Stored uncle = add(g, 7, 11, List.of()); // a sibling of b1
        Stored b2 = add(b1, 1, 10, List.of(uncle.header()));
        // Byzantium reward 3 ETH; the uncle is one generation back: 3 * 7/8 (its own block reward is on its branch only).
        BigInteger three = BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(3));
        assertEquals(three.multiply(BigInteger.valueOf(7)).divide(BigInteger.valueOf(8)),
                b2.state().account(miner(7)).balance().toBigInteger());
        assertEquals(three.multiply(BigInteger.TWO).add(three.divide(BigInteger.valueOf(32))),
                b2.state().account(miner(1)).balance().toBigInteger(), "two blocks, plus 1/32 for the uncle");
        // Including the same uncle again in a descendant is not allowed.
        assertTrue(reject(b2, 1, List.of(uncle.header())).contains("already included"));
    }

    @Test void ommerRules() {
        Stored g = importer.store().head();
        Stored b1 = add(g, 1, 10, List.of());
        Stored side1 = add(g, 7, 11, List.of());
        Stored side2 = add(g, 8, 12, List.of());
        Stored side3 = add(g, 9, 13, List.of());
        Stored b2 = add(b1, 1, 10, List.of());

        assertTrue(reject(b2, 1, List.of(side1.header(), side2.header(), side3.header())).contains("at most 2"));
        assertTrue(reject(b2, 1, List.of(side1.header(), side1.header())).contains("twice"));
        assertTrue(reject(b2, 1, List.of(b1.header())).contains("ancestors"), "an ancestor is not an uncle");
        Stored sibling = add(b1, 5, 11, List.of());
        assertTrue(reject(b1, 1, List.of(sibling.header())).contains("generations"), "a sibling is not an uncle");

        // An uncle whose header breaks a rule against its own parent (here: its difficulty).
        BlockHeader s = side1.header();
        BlockHeader bad = new BlockHeader(s.parentHash(), s.ommersHash(), s.coinbase(), s.stateRoot(), s.transactionsRoot(),
                s.receiptsRoot(), s.logsBloom(), s.difficulty().add(UInt256.ONE), s.number(), s.gasLimit(), s.gasUsed(),
                s.timestamp(), s.extraData(), s.mixHash(), s.nonce(), null, null, null, null, null, null);
        assertTrue(reject(b2, 1, List.of(bad)).contains("invalid header: difficulty"));

        // The valid uncle still goes in after all those rejections.
        add(b2, 1, 10, List.of(side1.header(), side2.header()));
    }

    @Test void unclesAtMostSixGenerationsBack() {
        Stored g = importer.store().head();
        Stored b1 = add(g, 1, 10, List.of());
        Stored old = add(g, 7, 11, List.of());
        Stored s = b1;
        for (int i = 0; i < 5; i++) s = add(s, 1, 10, List.of()); // s is block 6: the uncle at 1 is 5 back from block 7
        Stored b7 = add(s, 1, 10, List.of(old.header()));
        assertEquals(7, b7.header().number());
        Stored s2 = b1;
        for (int i = 0; i < 6; i++) s2 = add(s2, 2, 10, List.of()); // another branch to block 7
        assertTrue(reject(s2, 1, List.of(old.header())).contains("generations"), "seven back is too old");
    }

    @Test void headFollowsTheMostTotalDifficulty() {
        Stored g = importer.store().head();
        Stored a = chain(3); // three blocks 10 s apart: difficulty stays at the minimum
        assertEquals(a, importer.store().head());
        // Blocks 1 s apart raise the difficulty by parent/2048 each; two of them still weigh less than three slow ones.
        Stored f1 = add(g, 3, 1, List.of());
        Stored f2 = add(f1, 3, 1, List.of());
        assertEquals(a, importer.store().head(), "two blocks do not outweigh three of about the same difficulty");
        Stored f3 = add(f2, 3, 1, List.of());
        assertTrue(f3.totalDifficulty().compareTo(a.totalDifficulty()) > 0);
        assertEquals(f3, importer.store().head(), "re-org to the heavier branch");
        Stored a4 = add(a, 1, 10, List.of());
        assertEquals(a4, importer.store().head(), "and back when the first branch grows heavier");
    }

    @Test void aBlockWithAnUnknownParentOrBrokenEncodingIsRejected() {
        Stored g = importer.store().head();
        BlockHeader h = block(g, 1, 10, List.of());
        byte[] good = rlp(h, List.of());
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        assertTrue(importer.importBlock(truncated).error().startsWith("malformed block RLP"));
        BlockHeader orphan = new BlockHeader(Hash.ZERO, h.ommersHash(), h.coinbase(), h.stateRoot(), h.transactionsRoot(),
                h.receiptsRoot(), h.logsBloom(), h.difficulty(), h.number(), h.gasLimit(), h.gasUsed(), h.timestamp(),
                h.extraData(), h.mixHash(), h.nonce(), null, null, null, null, null, null);
        assertTrue(importer.importBlock(rlp(orphan, List.of())).error().startsWith("unknown parent"));
        BlockHeader wrongRoot = new BlockHeader(h.parentHash(), h.ommersHash(), h.coinbase(), Hash.ZERO, h.transactionsRoot(),
                h.receiptsRoot(), h.logsBloom(), h.difficulty(), h.number(), h.gasLimit(), h.gasUsed(), h.timestamp(),
                h.extraData(), h.mixHash(), h.nonce(), null, null, null, null, null, null);
        assertTrue(importer.importBlock(rlp(wrongRoot, List.of())).error().startsWith("state root"));
        assertEquals(1, importer.store().size());
        assertTrue(importer.importBlock(good).imported(), "the next good block still imports");
    }

    @Test void cancunBlobGasUsedMustMatchTheTransactions() {
        Era cancun = ChainSpec.ERAS.stream().filter(e -> e.name().equals("Cancun")).findFirst().orElseThrow();
        WorldState state = new WorldState();
        state.put(RICH, 0, UInt256.of(1_000_000), new byte[0], Map.of());
        BlockHeader genesis = new BlockHeader(Hash.ZERO, Hash.EMPTY_LIST, Address.ZERO, state.stateRoot(), Hash.EMPTY_TRIE,
                Hash.EMPTY_TRIE, new byte[256], UInt256.ZERO, 0, 30_000_000, 0, 0, new byte[0], Hash.ZERO, 0,
                UInt256.of(7), Hash.EMPTY_TRIE, 0L, 0L, Hash.ZERO, null);
        BlockImporter cancunChain = new BlockImporter(ChainSpec.of(cancun), genesis, state);
        long excess = BlockValidation.expectedExcessBlobGas(genesis, ForkRules.of(Fork.CANCUN));
        LongFunction<byte[]> withBlobGas = used -> BlockRlp.encode(new BlockHeader(genesis.hash(),
                Hash.EMPTY_LIST, Address.ZERO, genesis.stateRoot(), Hash.EMPTY_TRIE, Hash.EMPTY_TRIE, new byte[256],
                UInt256.ZERO, 1, 30_000_000, 0, 12, new byte[0], Hash.ZERO, 0, HeaderValidator.baseFee(genesis),
                Hash.EMPTY_TRIE, used, excess, Hash.ZERO, null), List.of(), List.of(), List.of());
        BlockImporter.Outcome lying = cancunChain.importBlock(withBlobGas.apply(131_072));
        assertTrue(!lying.imported() && lying.error().startsWith("blob gas used 0, header says 131072"), lying.error());
        BlockImporter.Outcome ok = cancunChain.importBlock(withBlobGas.apply(0));
        assertTrue(ok.imported(), ok.error());
        assertEquals(ok.hash(), cancunChain.store().head().hash());
    }
}
