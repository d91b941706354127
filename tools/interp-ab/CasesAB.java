import dev.lanes.conformance.EvmBench;
import dev.lanes.evm.Code;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Keccak;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * evmbench's cases, setting A against setting B in one JVM (see README.md): after a shared warm-up, per case 15 rounds
 * of one sample each way (a sample repeats the execution for 30 ms of thread CPU time), then the median of B/A over
 * the rounds with its interquartile range. {@code CasesAB REGEX CLASS FIELD A B [cached]}: "analysed" (a fresh Code
 * per call, the default) or "cached" (one Code per variant, reused).
 */
public class CasesAB {
    public static void main(String[] a) throws Exception {
        Toggle t = new Toggle(a[1], a[2], a[3], a[4]);
        boolean cached = a.length > 5 && a[5].equals("cached");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ForkRules rules = ForkRules.of(Fork.ISTANBUL);
        Evm evm = new Evm();
        List<EvmBench.Case> sel = new ArrayList<>();
        for (var c : EvmBench.load(Path.of("../shared/evm-benchmarks"))) if (c.name().matches(".*(" + a[0] + ").*")) sel.add(c);
        long end = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < end) {
            for (var c : sel) for (int v = 0; v < 2; v++) {
                t.set(v);
                EvmBench.runOnce(evm, rules, Code.analyze(Keccak.hashOf(c.code()), c.code()), c.input());
            }
        }
        int rounds = 15;
        for (var c : sel) {
            Hash h = Keccak.hashOf(c.code());
            // One Code per variant: a variant may leave something in the code's tables (its run table's entries) that
            // the other must not inherit.
            Code[] one = {Code.analyze(h, c.code()), Code.analyze(h, c.code())};
            double[][] ns = new double[2][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int v = 0; v < 2; v++) {
                    t.set(v);
                    long t0 = mx.getCurrentThreadCpuTime();
                    int n = 0;
                    do {
                        EvmBench.runOnce(evm, rules, cached ? one[v] : Code.analyze(h, c.code()), c.input());
                        n++;
                    } while (mx.getCurrentThreadCpuTime() - t0 < 30_000_000L);
                    ns[v][r] = (mx.getCurrentThreadCpuTime() - t0) / (double) n;
                }
            }
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) ratio[r] = ns[1][r] / ns[0][r];
            Arrays.sort(ratio);
            Arrays.sort(ns[0]);
            Arrays.sort(ns[1]);
            System.out.printf("%-40s A %9.1f us  B %9.1f us  B/A %.3f [%.3f..%.3f]%n", c.name(), ns[0][rounds / 2] / 1e3,
                    ns[1][rounds / 2] / 1e3, ratio[rounds / 2], ratio[rounds / 4], ratio[rounds - 1 - rounds / 4]);
        }
    }
}
