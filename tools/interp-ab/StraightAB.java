import dev.lanes.conformance.EvmBench;
import dev.lanes.evm.Code;
import dev.lanes.evm.Fork;
import dev.lanes.evm.ForkRules;
import dev.lanes.evm.interpreter.Evm;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.Keccak;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Straight-line micro-programs (4,000 repetitions of a short pattern), nanoseconds per instruction with the run table
 * ("table": the code's second and later executions) and checked (a fresh Code per call), setting A against setting B
 * in one JVM, alternating per sample (see README.md). {@code StraightAB CLASS FIELD A B}.
 */
public class StraightAB {
    public static void main(String[] a) throws Exception {
        Toggle t = new Toggle(a[0], a[1], a[2], a[3]);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ForkRules rules = ForkRules.of(Fork.ISTANBUL);
        Evm evm = new Evm();
        String[][] units = {
            {"push1 pop", "600150", "2"}, {"dup1 pop", "8050", "2"}, {"push1 add", "600101", "2"},
            {"push1 sub", "600103", "2"}, {"swap1", "90", "1"}, {"push1 shr", "60011c", "2"},
            {"mload(0) pop", "60005150", "3"}, {"push2 pop", "61010150", "2"}, {"jumpdest push2 jump", "", "3"},
        };
        int reps = 4000;
        List<byte[]> codes = new ArrayList<>();
        for (String[] u : units) {
            StringBuilder sb = new StringBuilder("600160016001");
            if (u[1].isEmpty()) {
                for (int i = 0, pc = 6; i < reps; i++, pc += 5) sb.append("5b61").append(String.format("%04x", pc + 5)).append("56");
            } else {
                sb.append(u[1].repeat(reps));
            }
            codes.add(Hex.decode(sb.append("5b00").toString()));
        }
        for (int i = 0; i < 3000; i++) {
            for (byte[] code : codes) for (int v = 0; v < 2; v++) {
                t.set(v);
                EvmBench.runOnce(evm, rules, Code.of(Keccak.hashOf(code), code), new byte[0]);
                EvmBench.runOnce(evm, rules, Code.analyze(null, code), new byte[0]);
            }
        }
        int rounds = 9;
        for (int k = 0; k < units.length; k++) {
            byte[] code = codes.get(k);
            Code cached = Code.of(Keccak.hashOf(code), code);
            double[][][] ns = new double[2][2][rounds];
            for (int r = 0; r < rounds; r++) for (int mode = 0; mode < 2; mode++) for (int v = 0; v < 2; v++) {
                t.set(v);
                long t0 = mx.getCurrentThreadCpuTime();
                int n = 0;
                do {
                    EvmBench.runOnce(evm, rules, mode == 0 ? cached : Code.analyze(null, code), new byte[0]);
                    n++;
                } while (mx.getCurrentThreadCpuTime() - t0 < 20_000_000L);
                ns[mode][v][r] = (mx.getCurrentThreadCpuTime() - t0) / (double) n / (reps * Integer.parseInt(units[k][2]) + 4);
            }
            StringBuilder out = new StringBuilder(String.format("%-20s", units[k][0]));
            for (int mode = 0; mode < 2; mode++) {
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) ratio[r] = ns[mode][1][r] / ns[mode][0][r];
                Arrays.sort(ratio);
                Arrays.sort(ns[mode][0]);
                Arrays.sort(ns[mode][1]);
                out.append(String.format("  %s A %.2f B %.2f ns B/A %.3f [%.3f..%.3f]", mode == 0 ? "table" : "checked",
                        ns[mode][0][rounds / 2], ns[mode][1][rounds / 2], ratio[rounds / 2], ratio[2], ratio[rounds - 3]));
            }
            System.out.println(out);
        }
    }
}
