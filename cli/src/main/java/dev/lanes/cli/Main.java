package dev.lanes.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lanes} command: one subcommand per job. */
@Command(name = "lanes", mixinStandardHelpOptions = true, version = "lanes 0.1.0",
        description = "Lanes: a parallel EVM for the JVM.",
        subcommands = {NodeCommand.class, StateTestCommand.class, BlockTestCommand.class, EvmBenchCommand.class, ReplayCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        int rc = new CommandLine(new Main()).execute(args);
        System.exit(rc);
    }

    @Override public void run() {
        new CommandLine(this).usage(System.out);
    }
}
