package dev.lanes.node;

import dev.lanes.node.store.StoreException;
import dev.lanes.node.store.StoreKind;
import java.nio.file.Path;

/**
 * The node as its own process for {@link CrashTest}: automine on a free port over the data directory given as
 * the first argument, with the store named by the second (rocksdb when absent). Prints {@code PORT n} once it serves, or {@code REFUSED why} and exits 3 when the store refuses
 * the directory; then runs until killed.
 */
public final class CrashNodeMain {
    private CrashNodeMain() {}

    public static void main(String[] args) throws Exception {
        Node node;
        try {
            node = Node.start(NodeConfig.defaults().withPort(0).withThreads(1).withMining(true, null)
                    .withDataDir(Path.of(args[0])).withStore(args.length > 1 ? StoreKind.parse(args[1]) : StoreKind.ROCKSDB), null);
        } catch (StoreException e) {
            System.out.println("REFUSED " + e.getMessage());
            System.out.flush();
            System.exit(3);
            return;
        }
        System.out.println("PORT " + node.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
