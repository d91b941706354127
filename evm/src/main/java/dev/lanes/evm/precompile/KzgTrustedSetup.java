package dev.lanes.evm.precompile;

import dev.lanes.primitives.Hex;
import ethereum.ckzg4844.CKZG4844JNI;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the c-kzg native library and the mainnet KZG trusted setup into it, once per process, on first use.
 *
 * <p>The setup (the EIP-4844 ceremony output, 4096 G1 points in Lagrange and monomial form and 65 G2 points)
 * comes from the classpath resource {@code /trusted_setup.txt}, which the {@code org.web3j:crypto} artifact
 * ships; nothing is downloaded at run time. Its SHA-256 is checked before use, so a different file on the
 * classpath under that name is refused rather than silently producing wrong verification results.
 *
 * <p>c-kzg holds a single global setup per process. Anything else in the process that needs KZG should call
 * {@link #ensureLoaded()} instead of loading its own.
 */
public final class KzgTrustedSetup {
    static final String RESOURCE = "/trusted_setup.txt";
    /** SHA-256 of the mainnet setup file in the c-kzg text format. */
    static final String SHA256_HEX = "e695ba9905a832de98dc3567febe326b760382bfd77a9a6880ca51b602a7d7ff";

    private KzgTrustedSetup() {}

    /**
     * True when the native library and the mainnet setup are loaded and KZG calls can be made. The first call
     * does the loading; a failure is reported once on stderr and every later call returns false at no cost.
     */
    public static boolean ensureLoaded() {
        return Holder.LOADED;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean PRELOADING = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Starts loading on a daemon thread and returns at once (only the first call does anything). Loading takes seconds
     * (2.5-3.6 s on the 2-vCPU machines here: c-kzg parses and checks 8,192 G1 and 65 G2 points), which a node would
     * otherwise pay inside its first blob transaction or point evaluation, and a replay inside the first block that
     * has one. A caller of {@link #ensureLoaded()} meanwhile waits for that same load (the class initialiser's lock),
     * never starts a second one.
     */
    public static void preloadInBackground() {
        if (PRELOADING.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("lanes-kzg-setup").start(KzgTrustedSetup::ensureLoaded);
        }
    }

    /** The JVM runs this initialiser exactly once, on first access, with the locking that guarantees. */
    private static final class Holder {
        static final boolean LOADED = load();
    }

    private static boolean load() {
        try {
            CKZG4844JNI.loadNativeLibrary();
        } catch (RuntimeException | LinkageError e) {
            report("the c-kzg native library could not be loaded", e);
            return false;
        }
        byte[] setup;
        try (InputStream in = KzgTrustedSetup.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                report("classpath resource " + RESOURCE + " is missing (it comes from org.web3j:crypto)", null);
                return false;
            }
            setup = in.readAllBytes();
        } catch (IOException e) {
            report("reading " + RESOURCE + " failed", e);
            return false;
        }
        if (!isMainnetSetup(setup)) {
            report(RESOURCE + " is not the mainnet setup: sha256 " + Hex.encode(Sha256.digest(setup))
                    + ", expected " + SHA256_HEX, null);
            return false;
        }
        try {
            // The library loads only from a file path; the file is read during the call and not needed after.
            Path file = Files.createTempFile("lanes-kzg-trusted-setup", ".txt");
            try {
                Files.write(file, setup);
                // precompute 0: the extra tables speed up cell proofs (PeerDAS), not point evaluation.
                CKZG4844JNI.loadTrustedSetup(file.toString(), 0);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (RuntimeException e) {
            // Something else in this process loaded a setup first (c-kzg keeps one per process); use it.
            if (String.valueOf(e.getMessage()).contains("already loaded")) return true;
            report("loading the trusted setup into c-kzg failed", e);
            return false;
        } catch (IOException e) {
            report("writing the trusted setup to a temporary file failed", e);
            return false;
        }
        return true;
    }

    /** True when {@code setup} is byte for byte the mainnet setup file this class expects. */
    static boolean isMainnetSetup(byte[] setup) {
        return Hex.encode(Sha256.digest(setup)).equals(SHA256_HEX);
    }

    private static void report(String what, Throwable cause) {
        System.err.println("lanes: KZG point evaluation (0x0a) is unavailable and will fail every call: " + what
                + (cause == null ? "" : " (" + cause + ")"));
    }
}
