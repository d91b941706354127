package dev.lanes.primitives.bench;

import dev.lanes.primitives.Keccak;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.jcajce.provider.digest.Keccak.Digest256;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Keccak-256 throughput: ours against BouncyCastle, both as the allocating one-shot call and in the form each
 * does best (ours into a reused buffer, BouncyCastle's low-level digest reused across calls).
 *
 * <p>Sample mode, because the percentiles hold up on a shared, loaded machine where the mean does not: a
 * preempted call lands in the tail, not in the median. Compare the {@code p0.50} rows. Run from the repository root:
 * <pre>
 * mvn -q -B -ntp -pl primitives test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
 * java -cp primitives/target/classes:primitives/target/test-classes:$(cat primitives/target/test.classpath) \
 *     org.openjdk.jmh.Main KeccakBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class KeccakBenchmark {
    @Param({"32", "64", "1024"})
    int size;

    byte[] input;
    final byte[] out = new byte[32];
    final KeccakDigest reusedBc = new KeccakDigest(256);

    @Setup public void setup() {
        input = new byte[size];
        new Random(size).nextBytes(input);
    }

    @Benchmark public byte[] lanes() {
        return Keccak.hash(input);
    }

    @Benchmark public byte[] lanesIntoBuffer() {
        Keccak.hash(input, 0, input.length, out, 0);
        return out;
    }

    /** What Keccak.hash did before: a fresh JCA digest per call. */
    @Benchmark public byte[] bouncyCastle() {
        Digest256 d = new Digest256();
        d.update(input, 0, input.length);
        return d.digest();
    }

    @Benchmark public byte[] bouncyCastleReused() {
        reusedBc.update(input, 0, input.length);
        reusedBc.doFinal(out, 0);
        return out;
    }
}
