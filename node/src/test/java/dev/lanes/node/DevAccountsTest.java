package dev.lanes.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.primitives.Address;
import dev.lanes.primitives.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevAccountsTest {
    @Test void testMnemonicGivesTheAccountsEveryDevToolPrints() {
        List<DevAccounts.Account> a = DevAccounts.derive(DevAccounts.TEST_MNEMONIC, 10);
        assertEquals(10, a.size());
        assertEquals(Address.fromHex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), a.get(0).address());
        assertEquals("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", Hex.prefixed(a.get(0).privateKey()));
        assertEquals(Address.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), a.get(1).address());
        assertEquals("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", Hex.prefixed(a.get(1).privateKey()));
        assertEquals(Address.fromHex("0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"), a.get(9).address());
    }

    @Test void bip39SeedMatchesTheReferenceVector() {
        // BIP-39's published vector: "abandon" x11 + "about" with passphrase "TREZOR".
        String words = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
        assertEquals("c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04",
                Hex.encode(DevAccounts.seed(words, "TREZOR")));
    }
}
