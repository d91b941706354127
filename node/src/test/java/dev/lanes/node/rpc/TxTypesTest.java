package dev.lanes.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.evm.tx.AccessListEntry;
import dev.lanes.evm.tx.Authorization;
import dev.lanes.evm.tx.Transaction;
import dev.lanes.evm.tx.TxType;
import dev.lanes.node.DevAccounts;
import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hash;
import dev.lanes.primitives.Hex;
import dev.lanes.primitives.UInt256;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EIP-2930 (type 1) and EIP-7702 (type 4) transactions end to end through eth_sendRawTransaction. */
class TxTypesTest extends AutomineNodeTest {
    static final UInt256 GWEI = UInt256.of(1_000_000_000L);

    static long nonce(Address a) throws Exception {
        return Long.decode(rpc.result("eth_getTransactionCount", a.toString(), "pending").asText());
    }

    static JsonNode sendRaw(Transaction tx) throws Exception {
        assertEquals(tx.hash().toString(), rpc.result("eth_sendRawTransaction", Hex.prefixed(tx.encoded())).asText());
        return rpc.result("eth_getTransactionReceipt", tx.hash().toString());
    }

    @Test void accessListTransaction() throws Exception {
        DevAccounts.Account from = node.accounts().get(6);
        Address to = node.accounts().get(7).address(), listed = Address.fromHex("0x" + "42".repeat(20));
        Transaction tx = Transaction.builder(TxType.ACCESS_LIST).chainId(31337).nonce(nonce(from.address())).gasLimit(30_000)
                .gasPrice(GWEI.mul(5)).to(to).value(UInt256.of(7))
                .accessList(List.of(new AccessListEntry(listed, List.of(Hash.ZERO)))).sign(from.privateKey());
        JsonNode r = sendRaw(tx);
        assertEquals("0x1", r.get("type").asText());
        assertEquals("0x1", r.get("status").asText());
        // 21,000 + one address (2,400) + one key (1,900).
        assertEquals("0x" + Long.toHexString(21_000 + 2_400 + 1_900), r.get("gasUsed").asText());
        JsonNode got = rpc.result("eth_getTransactionByHash", tx.hash().toString());
        assertEquals("0x1", got.get("type").asText());
        assertEquals(listed.toString(), got.get("accessList").get(0).get("address").asText());
    }

    @Test void setCodeTransactionDelegatesTheEoa() throws Exception {
        // The delegate: SSTORE(0, 42) and LOG0 of CALLER, so its code visibly runs in the EOA's account.
        String runtime = "602a600055" + "33600052" + "60206000a0" + "00";
        DevAccounts.Account sponsor = node.accounts().get(8), authority = node.accounts().get(9);
        String hash = rpc.result("eth_sendTransaction", Map.of("from", EthApiTest.A0, "data", EthApiTest.deployer(runtime))).asText();
        Address delegate = Address.fromHex(rpc.result("eth_getTransactionReceipt", hash).get("contractAddress").asText());
        long authNonce = nonce(authority.address());
        Authorization auth = Authorization.sign(UInt256.of(31337), delegate, authNonce, authority.privateKey());
        Transaction tx = Transaction.builder(TxType.SET_CODE).chainId(31337).nonce(nonce(sponsor.address())).gasLimit(200_000)
                .maxFeePerGas(GWEI.mul(10)).maxPriorityFeePerGas(GWEI).to(authority.address())
                .authorizationList(List.of(auth)).sign(sponsor.privateKey());
        JsonNode r = sendRaw(tx);
        assertEquals("0x4", r.get("type").asText());
        assertEquals("0x1", r.get("status").asText());
        // The EOA now carries the delegation designator, its nonce moved by the authorization, and the delegate's
        // code ran with the EOA's storage, logging from the EOA's address with the sponsor as caller.
        assertEquals("0xef0100" + delegate.toString().substring(2), rpc.result("eth_getCode", authority.address().toString(), "latest").asText());
        assertEquals("0x" + Long.toHexString(authNonce + 1), rpc.result("eth_getTransactionCount", authority.address().toString(), "latest").asText());
        assertEquals("0x" + "%064x".formatted(42), rpc.result("eth_getStorageAt", authority.address().toString(), "0x0", "latest").asText());
        JsonNode log = r.get("logs").get(0);
        assertEquals(authority.address().toString(), log.get("address").asText());
        assertTrue(log.get("data").asText().endsWith(sponsor.address().toString().substring(2)));
        JsonNode got = rpc.result("eth_getTransactionByHash", tx.hash().toString());
        assertEquals("0x4", got.get("type").asText());
        // A second, plain call to the EOA runs the delegate again (no authorization needed now).
        JsonNode again = rpc.result("eth_getTransactionReceipt", rpc.result("eth_sendTransaction",
                Map.of("from", EthApiTest.A0, "to", authority.address().toString(), "gas", "0x30d40")).asText());
        assertEquals(1, again.get("logs").size());
        assertEquals(authority.address().toString(), again.get("logs").get(0).get("address").asText());
    }
}
