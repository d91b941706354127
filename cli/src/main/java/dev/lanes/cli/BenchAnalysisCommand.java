package dev.lanes.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.evm.Code;
import dev.lanes.primitives.Hex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Times the JUMPDEST analysis (the one pass over a code that every call of code not yet cached pays, and that
 * {@code ./lanes evmbench}'s "analysed" column includes) over the distinct contract codes of block folders' pre-states:
 * the one-pass decoding beside {@link Code#jumpdestBitmap}'s four overlapping chains, interleaved round by round, each
 * round over every code once (so no branch history carries one code's pattern to its next analysis), median ns per byte.
 */
@Command(name = "analysis", mixinStandardHelpOptions = true,
        description = "JUMPDEST analysis over the distinct contract codes of block folders (e.g. ../shared/mainnet-blocks):"
                + " one pass against four overlapping chains, ns per byte.")
final class BenchAnalysisCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", description = "Block folders, or folders of them.")
    List<Path> paths;
    @Option(names = "--rounds", description = "Timed rounds per method, interleaved; the median is reported (default: ${DEFAULT-VALUE}).")
    int rounds = 21;
    @Option(names = "--warmup-rounds", description = "Untimed rounds first (default: ${DEFAULT-VALUE}).")
    int warmupRounds = 20;

    @Override public Integer call() throws Exception {
        if (rounds < 1 || warmupRounds < 0) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "--rounds must be at least 1 and --warmup-rounds at least 0");
        ObjectMapper json = new ObjectMapper();
        Set<String> seen = new HashSet<>();
        List<byte[]> codes = new ArrayList<>();
        long bytes = 0;
        for (Path dir : BenchCommand.Parallel.blockDirs(paths)) {
            Path pre = dir.resolve("pre_state.json");
            if (!Files.isRegularFile(pre)) continue;
            JsonNode accounts = json.readTree(pre.toFile());
            for (JsonNode a : accounts) {
                JsonNode c = a.get("code");
                if (c == null || !c.isTextual() || c.asText().length() <= 2 || !seen.add(c.asText())) continue;
                byte[] code = Hex.decode(c.asText());
                codes.add(code);
                bytes += code.length;
            }
        }
        if (codes.isEmpty()) {
            System.err.println("bench analysis: no contract code in the pre-states of " + paths);
            return 2;
        }
        for (byte[] c : codes) {
            if (!Arrays.equals(Code.jumpdestBitmapOnePass(c), Code.jumpdestBitmap(c))) {
                System.err.println("bench analysis: the two decodings differ on a code of " + c.length + " bytes");
                return 1;
            }
        }
        long[][] nanos = new long[2][rounds];
        long sink = 0;
        for (int r = -warmupRounds; r < rounds; r++) {
            for (int m = 0; m < 2; m++) {
                long t0 = System.nanoTime();
                for (byte[] c : codes) sink += (m == 0 ? Code.jumpdestBitmapOnePass(c) : Code.jumpdestBitmap(c))[0];
                long t = System.nanoTime() - t0;
                if (r >= 0) nanos[m][r] = t;
            }
        }
        double one = BenchCommand.Parallel.median(nanos[0]) / (double) bytes, four = BenchCommand.Parallel.median(nanos[1]) / (double) bytes;
        System.out.printf("%d distinct codes, %,d bytes; JUMPDEST analysis, median of %d rounds:%n", codes.size(), bytes, rounds);
        System.out.printf("  one pass        %.3f ns/byte%n  four chains     %.3f ns/byte (%.2fx)%n", one, four, one / four);
        if (sink == 42) System.out.print(""); // keeps the results live
        return 0;
    }
}
