package dev.lanes.state.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.primitives.Hash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a damaged tail (truncated or corrupted segment bytes, a torn version record) falls back to the last
 * complete version; a writer process killed with SIGKILL at random points always leaves the last version whose commit
 * returned readable, with a flat index that agrees with the trie.
 *
 * <p>The kill test runs {@code -Dlanes.db.kills=N} kills (default 100, about a minute on two cores) for at most
 * {@code -Dlanes.db.killSeconds} (default 60); a longer run is a manual check:
 * {@code mvn -o -pl state -am test -Dtest='LanesDbCrashTest#killed*' -Dsurefire.failIfNoSpecifiedTests=false
 * -Dlanes.db.kills=500 -Dlanes.db.killSeconds=1200}.
 */
class LanesDbCrashTest {
    @TempDir Path dir;

    static LanesDb.Options options() {
        return LanesDb.Options.defaults().withSegmentBytes(128 << 10).withKeepVersions(4).withThreads(2);
    }

    private List<Hash> commitBlocks(int n) {
        StateModel m = new StateModel(5, CrashWriter.ADDRESSES, CrashWriter.SLOTS);
        List<Hash> roots = new ArrayList<>();
        try (LanesDb db = LanesDb.open(dir, options())) {
            for (int v = 0; v < n; v++) roots.add(db.commit(v, m.block(CrashWriter.ops(v) + 40)));
        }
        return roots;
    }

    private Path newestSegment() throws IOException {
        List<Integer> ids = Segments.list(dir);
        return Segments.file(dir, ids.getLast());
    }

    private void assertReopensAt(long version, Hash root) {
        try (LanesDb db = LanesDb.open(dir, options())) {
            assertEquals(version, db.version());
            assertEquals(root, db.root());
            assertEquals(root, db.checkConsistency());
            // And it goes on committing from there.
            db.commit(version + 1, new StateUpdate());
        }
    }

    @Test void truncatedSegmentTailFallsBackToThePreviousVersion() throws IOException {
        List<Hash> roots = commitBlocks(20);
        try (RandomAccessFile f = new RandomAccessFile(newestSegment().toFile(), "rw")) {
            f.setLength(f.length() - 7);
        }
        assertReopensAt(18, roots.get(18));
    }

    @Test void corruptedSegmentTailFallsBackToThePreviousVersion() throws IOException {
        List<Hash> roots = commitBlocks(20);
        try (RandomAccessFile f = new RandomAccessFile(newestSegment().toFile(), "rw")) {
            long at = f.length() - 30;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5a);
        }
        assertReopensAt(18, roots.get(18));
    }

    @Test void tornVersionRecordIsCutOff() throws IOException {
        List<Hash> roots = commitBlocks(20);
        Path log = dir.resolve("versions.log");
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.setLength(f.length() - 50);
        }
        assertReopensAt(18, roots.get(18));
    }

    @Test void garbageIsRefusedWithAClearError() throws IOException {
        Files.write(dir.resolve("versions.log"), "not a lanesdb version log, just some text long enough to have a header".getBytes());
        CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> LanesDb.open(dir, options()));
        assertTrue(e.getMessage().contains("not a LanesDB version log"), e.getMessage());
    }

    @Test void killedWriterAlwaysLeavesTheLastCommittedVersion() throws Exception {
        int kills = Integer.getInteger("lanes.db.kills", 100);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("lanes.db.killSeconds", 60));
        long seed = 42;
        Random rnd = new Random(1);
        StateModel model = new StateModel(seed, CrashWriter.ADDRESSES, CrashWriter.SLOTS);
        List<Hash> expected = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int done = 0;
        long lastVersion = -1;
        while (done < kills && System.nanoTime() < deadline) {
            Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    CrashWriter.class.getName(), dir.toString(), Long.toString(seed)).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("open "), "writer said: " + line);
            // Read what it reports on another thread (killing the process closes our end of its output).
            long[] committed = {Long.parseLong(line.substring(5))};
            String[] odd = {null};
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    for (String l; (l = out.readLine()) != null; ) {
                        if (l.startsWith("committed ")) committed[0] = Long.parseLong(l.substring(10));
                        else if (odd[0] == null) odd[0] = l;
                    }
                } catch (IOException e) {
                    // the stream closes when the process is killed
                }
            });
            // Let it commit for a random while, then SIGKILL it wherever it is.
            Thread.sleep(rnd.nextInt(250));
            long reported;
            synchronized (committed) {
                reported = committed[0];
            }
            p.destroyForcibly();
            if (!p.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("killed writer did not exit");
            reader.join(2000);
            assertTrue(odd[0] == null, "writer: " + odd[0]);
            if (rnd.nextInt(3) == 0) Files.deleteIfExists(dir.resolve("index.snap")); // also recover by walking the trie
            try (LanesDb db = LanesDb.open(dir, options())) {
                long v = db.version();
                // Every version reported before the kill was durable; the one in flight may or may not have made it.
                assertTrue(v >= reported, "reopened at " + v + " after " + reported + " was reported committed");
                while (expected.size() <= v) {
                    model.block(CrashWriter.ops(expected.size()));
                    expected.add(model.root());
                }
                // -1: killed before its first commit (a slow start on a loaded machine): the store is empty.
                assertEquals(v < 0 ? Hash.EMPTY_TRIE : expected.get((int) v), db.root(), "root of version " + v);
                assertEquals(db.root(), db.checkConsistency());
                lastVersion = v;
            }
            done++;
        }
        System.out.println("LanesDbCrashTest: " + done + " kills, reached version " + lastVersion);
        assertTrue(done >= Math.min(kills, 20), "only " + done + " kills ran");
        assertTrue(lastVersion > 20, "the writer hardly committed: " + lastVersion);
    }
}
