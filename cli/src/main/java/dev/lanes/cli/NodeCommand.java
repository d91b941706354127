package dev.lanes.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code lanes node}: the sequencer node. Not built yet: it says so and exits non-zero. */
@Command(name = "node", description = "Run the sequencer node (JSON-RPC). Not implemented yet.")
final class NodeCommand implements Callable<Integer> {
    @Override public Integer call() {
        System.err.println("lanes node: the sequencer node is not implemented yet (see README.md);"
                + " available today: statetest, evmbench, replay");
        return 2;
    }
}
