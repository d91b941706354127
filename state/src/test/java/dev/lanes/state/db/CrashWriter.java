package dev.lanes.state.db;

import java.nio.file.Path;

/**
 * The writer process of {@link LanesDbCrashTest}: opens the store, replays the seeded block stream up to the store's
 * version (in the model only) and then commits block after block, printing each version once its commit returned,
 * until killed.
 */
public final class CrashWriter {
    static final int ADDRESSES = 300, SLOTS = 30;

    static int ops(long v) {
        return v == 0 ? 500 : 1 + (int) ((v * 37) % 120);
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        try (LanesDb db = LanesDb.open(dir, LanesDbCrashTest.options())) {
            StateModel m = new StateModel(seed, ADDRESSES, SLOTS);
            for (long v = 0; v <= db.version(); v++) m.block(ops(v));
            System.out.println("open " + db.version());
            System.out.flush();
            for (long v = db.version() + 1; ; v++) {
                db.commit(v, m.block(ops(v)));
                System.out.println("committed " + v);
                System.out.flush();
            }
        }
    }
}
