package dev.lanes.cli;

import dev.lanes.conformance.StateTestRunner.Result;
import dev.lanes.conformance.StateTestRunner;
import dev.lanes.evm.Fork;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.evm.trace.Eip3155Tracer;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lanes statetest}: runs GeneralStateTests files or folders, files in parallel. */
@Command(name = "statetest", description = "Run GeneralStateTests JSON files or folders (recursively).")
final class StateTestCommand implements Callable<Integer> {
    @Option(names = "--fork", description = "Only this fork (Frontier .. Osaka).") String fork;
    @Option(names = "--run", description = "Only tests whose name matches this regular expression.") String run;
    @Option(names = "--index", description = "Only this data,gas,value index triple, e.g. 0,0,0.") String index;
    @Option(names = "--trace", description = "Print an EIP-3155 trace to stderr (use with one vector).") boolean trace;
    @Option(names = "--threads", description = "Worker threads (default: all cores).") int threads = Runtime.getRuntime().availableProcessors();
    @Parameters(arity = "1..*", paramLabel = "PATH") List<Path> paths;

    @Override public Integer call() throws Exception {
        Fork only = fork == null ? null : Fork.byName(fork);
        Pattern pattern = run == null ? null : Pattern.compile(run);
        List<Path> files = TestFiles.find(paths);
        if (files == null) return 1;
        StateTestRunner runner = new StateTestRunner(f -> only == null || f == only, pattern,
                trace ? new Eip3155Tracer(System.err) : null);
        if (index != null) {
            String[] p = index.split(",");
            if (p.length != 3) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--index wants D,G,V");
            runner.onlyIndex(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()));
        }
        int passed = 0, failed = 0;
        ThreadLocal<Evm> evms = ThreadLocal.withInitial(Evm::new);
        for (List<Result> rs : TestFiles.runAll(files, trace ? 1 : threads, "statetest", f -> runner.runFile(f, evms.get()))) {
            rs.sort(Comparator.comparing(Result::id));
            for (Result r : rs) {
                if (r.passed()) passed++;
                else {
                    failed++;
                    System.out.println("FAIL " + r.file() + " " + r.test() + " " + r.fork() + " d" + r.d() + " g" + r.g()
                            + " v" + r.v() + ": " + r.message());
                }
            }
        }
        System.out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
