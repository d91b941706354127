package dev.lanes.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class KzgTrustedSetupTest {
    @Test
    void classpathCarriesTheMainnetSetup() throws IOException {
        byte[] setup;
        try (InputStream in = KzgTrustedSetup.class.getResourceAsStream(KzgTrustedSetup.RESOURCE)) {
            assertNotNull(in, "the org.web3j:crypto artifact should put " + KzgTrustedSetup.RESOURCE + " on the classpath");
            setup = in.readAllBytes();
        }
        assertTrue(KzgTrustedSetup.isMainnetSetup(setup));
        setup[setup.length / 2] ^= 1;
        assertFalse(KzgTrustedSetup.isMainnetSetup(setup));
    }

    @Test
    void loadsOnceAndStaysLoaded() {
        assertTrue(KzgTrustedSetup.ensureLoaded());
        assertTrue(KzgTrustedSetup.ensureLoaded());
    }

    @Test
    void preloadingStartsOneLoadThatEnsureLoadedShares() {
        KzgTrustedSetup.preloadInBackground();
        KzgTrustedSetup.preloadInBackground();
        long loaders = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("lanes-kzg-setup")).count();
        assertTrue(loaders <= 1, loaders + " loader threads");
        assertTrue(KzgTrustedSetup.ensureLoaded());
    }
}
