import dev.lanes.evm.interpreter.Evm;
import dev.lanes.executor.BlockExecutor;
import dev.lanes.executor.MainnetBlock;
import dev.lanes.primitives.Address;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The mainnet blocks of ../shared/mainnet-blocks executed sequentially, setting A against setting B in one JVM,
 * alternating per round of all blocks (thread CPU time); the first third of the rounds is warm-up. {@code MainnetAB
 * CLASS FIELD A B ANALYSE_EVERY_CALL ROUNDS}: with ANALYSE_EVERY_CALL true every call is a code's first execution.
 */
public class MainnetAB {
    public static void main(String[] a) throws Exception {
        Toggle t = new Toggle(a[0], a[1], a[2], a[3]);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<MainnetBlock> blocks = new ArrayList<>();
        List<Address[]> senders = new ArrayList<>();
        try (var ds = Files.list(Path.of("../shared/mainnet-blocks"))) {
            for (Path p : ds.filter(Files::isDirectory).sorted().toList()) {
                MainnetBlock b = MainnetBlock.load(p);
                BlockExecutor.SenderError[] err = new BlockExecutor.SenderError[1];
                senders.add(BlockExecutor.recoverSenders(b.transactions, b.rules().fork(), null, err, b.chainId));
                blocks.add(b);
            }
        }
        Evm evm = new Evm();
        var noCache = Evm.class.getDeclaredField("noCodeCache");
        noCache.setAccessible(true);
        noCache.setBoolean(evm, Boolean.parseBoolean(a[4]));
        BlockExecutor ex = new BlockExecutor(evm);
        int rounds = Integer.parseInt(a[5]);
        long[][] ns = new long[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < 2; v++) {
                t.set(v);
                long c0 = mx.getCurrentThreadCpuTime();
                for (int k = 0; k < blocks.size(); k++) {
                    MainnetBlock b = blocks.get(k);
                    ex.chainId(b.chainId);
                    ex.execute(b, b.freshState(), senders.get(k));
                }
                ns[v][r] = mx.getCurrentThreadCpuTime() - c0;
            }
        }
        int from = rounds / 3, m = rounds - from;
        double[] ratio = new double[m];
        for (int r = from; r < rounds; r++) ratio[r - from] = (double) ns[1][r] / ns[0][r];
        Arrays.sort(ratio);
        long[] x = Arrays.copyOfRange(ns[0], from, rounds), y = Arrays.copyOfRange(ns[1], from, rounds);
        Arrays.sort(x);
        Arrays.sort(y);
        System.out.printf("A %.1f ms, B %.1f ms per round; B/A %.3f [%.3f..%.3f]%n", x[m / 2] / 1e6, y[m / 2] / 1e6,
                ratio[m / 2], ratio[m / 4], ratio[m - 1 - m / 4]);
    }
}
