package dev.lanes.executor.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.Keccak;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Contract creation code the workloads deploy, read from the JSON artifacts beside this class
 * ({@code tools/build-workload-artifacts} writes them): OpenZeppelin-based ERC-20 and the swap helper compiled
 * with solc, and Uniswap V2's factory and pair from the published {@code @uniswap/v2-core} build.
 */
final class Artifacts {
    /** {@code Token(string name, string symbol, uint256 supply)}: OpenZeppelin ERC20, supply minted to the deployer. */
    static final byte[] TOKEN;
    /** {@code Swapper}: {@code swapExactIn(pair, tokenIn, amountIn, minOut, to)}. */
    static final byte[] SWAPPER;
    /** {@code UniswapV2Factory(address feeToSetter)}. */
    static final byte[] UNISWAP_FACTORY;
    /** {@code UniswapV2Pair}: the creation code the factory deploys with CREATE2 (not deployed on its own). */
    static final byte[] UNISWAP_PAIR;
    /** keccak256 of {@link #UNISWAP_PAIR}, the CREATE2 init-code hash of every pair. */
    static final Hash UNISWAP_PAIR_INIT_HASH;

    static {
        JsonNode erc20 = load("erc20.json"), swapper = load("swapper.json"), uni = load("uniswap-v2.json");
        TOKEN = code(erc20, "bytecode");
        SWAPPER = code(swapper, "bytecode");
        UNISWAP_FACTORY = code(uni.path("factory"), "bytecode");
        UNISWAP_PAIR = code(uni.path("pair"), "bytecode");
        UNISWAP_PAIR_INIT_HASH = Keccak.hashOf(UNISWAP_PAIR);
        Hash recorded = Hash.fromHex(uni.path("pair").path("initCodeHash").asText());
        if (!recorded.equals(UNISWAP_PAIR_INIT_HASH))
            throw new IllegalStateException("uniswap-v2.json: pair init code hash " + recorded + " does not match its bytecode");
    }

    private Artifacts() {}

    private static JsonNode load(String name) {
        try (InputStream in = Artifacts.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name + " (run tools/build-workload-artifacts)");
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name, e);
        }
    }

    private static byte[] code(JsonNode artifact, String field) {
        JsonNode n = artifact.path(field);
        if (!n.isTextual() || n.asText().length() <= 2)
            throw new IllegalStateException("workload artifact " + artifact.path("contract").asText() + " lacks " + field);
        return Hex.decode(n.asText());
    }
}
