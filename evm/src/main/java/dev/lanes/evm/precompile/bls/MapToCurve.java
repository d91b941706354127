package dev.lanes.evm.precompile.bls;

import java.math.BigInteger;
import supranational.blst.P1;
import supranational.blst.P1_Affine;
import supranational.blst.P2;
import supranational.blst.P2_Affine;

/**
 * The EIP-2537 field-to-curve maps: RFC 9380's map_to_curve with the simplified SWU map onto a curve isogenous
 * to BLS12-381 (11-isogenous for G1, 3-isogenous for G2), the isogeny back onto E (resp. E'), and cofactor
 * clearing by multiplication with h_eff. No hashing: the input is one field element.
 *
 * <p>The SWU map and the isogeny run on {@link BigInteger}s ({@link Fp2}). For G1 blst then multiplies by
 * h_eff; for G2 the same product comes from the psi endomorphism and two short multiplications
 * ({@link #clearCofactorG2}). The curve and isogeny constants are those of RFC 9380 section 8.8 and appendix E,
 * as restated in the EIP's assets/eip-2537/field_to_curve.md. Nothing here is constant time: precompile inputs
 * are public.
 */
final class MapToCurve {
    private MapToCurve() {}

    // ---- G1: E1': y^2 = x^3 + A x + B over F_p, Z = 11 ----

    private static final BigInteger G1_A = new BigInteger(
            "144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981aefd881ac98936f8da0e0f97f5cf428082d584c1d", 16);
    private static final BigInteger G1_B = new BigInteger(
            "12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef55a23215a316ceaa5d1cc48e98e172be0", 16);
    private static final BigInteger G1_Z = BigInteger.valueOf(11);
    private static final BigInteger G1_H_EFF = new BigInteger("d201000000010001", 16);
    private static final BigInteger G1_SQRT_EXP = Fp2.P.add(BigInteger.ONE).shiftRight(2);

    // 11-isogeny coefficients, lowest degree first. The denominators are monic; their leading 1 is appended below.
    private static final BigInteger[] G1_X_NUM = fp(
            "11a05f2b1e833340b809101dd99815856b303e88a2d7005ff2627b56cdb4e2c85610c2d5f2e62d6eaeac1662734649b7",
            "17294ed3e943ab2f0588bab22147a81c7c17e75b2f6a8417f565e33c70d1e86b4838f2a6f318c356e834eef1b3cb83bb",
            "d54005db97678ec1d1048c5d10a9a1bce032473295983e56878e501ec68e25c958c3e3d2a09729fe0179f9dac9edcb0",
            "1778e7166fcc6db74e0609d307e55412d7f5e4656a8dbf25f1b33289f1b330835336e25ce3107193c5b388641d9b6861",
            "e99726a3199f4436642b4b3e4118e5499db995a1257fb3f086eeb65982fac18985a286f301e77c451154ce9ac8895d9",
            "1630c3250d7313ff01d1201bf7a74ab5db3cb17dd952799b9ed3ab9097e68f90a0870d2dcae73d19cd13c1c66f652983",
            "d6ed6553fe44d296a3726c38ae652bfb11586264f0f8ce19008e218f9c86b2a8da25128c1052ecaddd7f225a139ed84",
            "17b81e7701abdbe2e8743884d1117e53356de5ab275b4db1a682c62ef0f2753339b7c8f8c8f475af9ccb5618e3f0c88e",
            "80d3cf1f9a78fc47b90b33563be990dc43b756ce79f5574a2c596c928c5d1de4fa295f296b74e956d71986a8497e317",
            "169b1f8e1bcfa7c42e0c37515d138f22dd2ecb803a0c5c99676314baf4bb1b7fa3190b2edc0327797f241067be390c9e",
            "10321da079ce07e272d8ec09d2565b0dfa7dccdde6787f96d50af36003b14866f69b771f8c285decca67df3f1605fb7b",
            "6e08c248e260e70bd1e962381edee3d31d79d7e22c837bc23c0bf1bc24c6b68c24b1b80b64d391fa9c8ba2e8ba2d229");
    private static final BigInteger[] G1_X_DEN = fp(
            "8ca8d548cff19ae18b2e62f4bd3fa6f01d5ef4ba35b48ba9c9588617fc8ac62b558d681be343df8993cf9fa40d21b1c",
            "12561a5deb559c4348b4711298e536367041e8ca0cf0800c0126c2588c48bf5713daa8846cb026e9e5c8276ec82b3bff",
            "b2962fe57a3225e8137e629bff2991f6f89416f5a718cd1fca64e00b11aceacd6a3d0967c94fedcfcc239ba5cb83e19",
            "3425581a58ae2fec83aafef7c40eb545b08243f16b1655154cca8abc28d6fd04976d5243eecf5c4130de8938dc62cd8",
            "13a8e162022914a80a6f1d5f43e7a07dffdfc759a12062bb8d6b44e833b306da9bd29ba81f35781d539d395b3532a21e",
            "e7355f8e4e667b955390f7f0506c6e9395735e9ce9cad4d0a43bcef24b8982f7400d24bc4228f11c02df9a29f6304a5",
            "772caacf16936190f3e0c63e0596721570f5799af53a1894e2e073062aede9cea73b3538f0de06cec2574496ee84a3a",
            "14a7ac2a9d64a8b230b3f5b074cf01996e7f63c21bca68a81996e1cdf9822c580fa5b9489d11e2d311f7d99bbdcc5a5e",
            "a10ecf6ada54f825e920b3dafc7a3cce07f8d1d7161366b74100da67f39883503826692abba43704776ec3a79a1d641",
            "95fc13ab9e92ad4476d6e3eb3a56680f682b4ee96f7d03776df533978f31c1593174e4b4b7865002d6384d168ecdd0a");
    private static final BigInteger[] G1_Y_NUM = fp(
            "90d97c81ba24ee0259d1f094980dcfa11ad138e48a869522b52af6c956543d3cd0c7aee9b3ba3c2be9845719707bb33",
            "134996a104ee5811d51036d776fb46831223e96c254f383d0f906343eb67ad34d6c56711962fa8bfe097e75a2e41c696",
            "cc786baa966e66f4a384c86a3b49942552e2d658a31ce2c344be4b91400da7d26d521628b00523b8dfe240c72de1f6",
            "1f86376e8981c217898751ad8746757d42aa7b90eeb791c09e4a3ec03251cf9de405aba9ec61deca6355c77b0e5f4cb",
            "8cc03fdefe0ff135caf4fe2a21529c4195536fbe3ce50b879833fd221351adc2ee7f8dc099040a841b6daecf2e8fedb",
            "16603fca40634b6a2211e11db8f0a6a074a7d0d4afadb7bd76505c3d3ad5544e203f6326c95a807299b23ab13633a5f0",
            "4ab0b9bcfac1bbcb2c977d027796b3ce75bb8ca2be184cb5231413c4d634f3747a87ac2460f415ec961f8855fe9d6f2",
            "987c8d5333ab86fde9926bd2ca6c674170a05bfe3bdd81ffd038da6c26c842642f64550fedfe935a15e4ca31870fb29",
            "9fc4018bd96684be88c9e221e4da1bb8f3abd16679dc26c1e8b6e6a1f20cabe69d65201c78607a360370e577bdba587",
            "e1bba7a1186bdb5223abde7ada14a23c42a0ca7915af6fe06985e7ed1e4d43b9b3f7055dd4eba6f2bafaaebca731c30",
            "19713e47937cd1be0dfd0b8f1d43fb93cd2fcbcb6caf493fd1183e416389e61031bf3a5cce3fbafce813711ad011c132",
            "18b46a908f36f6deb918c143fed2edcc523559b8aaf0c2462e6bfe7f911f643249d9cdf41b44d606ce07c8a4d0074d8e",
            "b182cac101b9399d155096004f53f447aa7b12a3426b08ec02710e807b4633f06c851c1919211f20d4c04f00b971ef8",
            "245a394ad1eca9b72fc00ae7be315dc757b3b080d4c158013e6632d3c40659cc6cf90ad1c232a6442d9d3f5db980133",
            "5c129645e44cf1102a159f748c4a3fc5e673d81d7e86568d9ab0f5d396a7ce46ba1049b6579afb7866b1e715475224b",
            "15e6be4e990f03ce4ea50b3b42df2eb5cb181d8f84965a3957add4fa95af01b2b665027efec01c7704b456be69c8b604");
    private static final BigInteger[] G1_Y_DEN = fp(
            "16112c4c3a9c98b252181140fad0eae9601a6de578980be6eec3232b5be72e7a07f3688ef60c206d01479253b03663c1",
            "1962d75c2381201e1a0cbd6c43c348b885c84ff731c4d59ca4a10356f453e01f78a4260763529e3532f6102c2e49a03d",
            "58df3306640da276faaae7d6e8eb15778c4855551ae7f310c35a5dd279cd2eca6757cd636f96f891e2538b53dbf67f2",
            "16b7d288798e5395f20d23bf89edb4d1d115c5dbddbcd30e123da489e726af41727364f2c28297ada8d26d98445f5416",
            "be0e079545f43e4b00cc912f8228ddcc6d19c9f0f69bbb0542eda0fc9dec916a20b15dc0fd2ededda39142311a5001d",
            "8d9e5297186db2d9fb266eaac783182b70152c65550d881c5ecd87b6f0f5a6449f38db9dfa9cce202c6477faaf9b7ac",
            "166007c08a99db2fc3ba8734ace9824b5eecfdfa8d0cf8ef5dd365bc400a0051d5fa9c01a58b1fb93d1a1399126a775c",
            "16a3ef08be3ea7ea03bcddfabba6ff6ee5a4375efa1f4fd7feb34fd206357132b920f5b00801dee460ee415a15812ed9",
            "1866c8ed336c61231a1be54fd1d74cc4f9fb0ce4c6af5920abc5750c4bf39b4852cfe2f7bb9248836b233d9d55535d4a",
            "167a55cda70a6e1cea820597d94a84903216f763e13d87bb5308592e7ea7d4fbc7385ea3d529b35e346ef48bb8913f55",
            "4d2f259eea405bd48f010a01ad2911d9c6dd039bb61a6290e591b36e636a5c871a5c29f4f83060400f8b49cba8f6aa8",
            "accbb67481d033ff5852c1e48c50c477f94ff8aefce42d28c0f9a88cea7913516f968986f7ebbea9684b529e2561092",
            "ad6b9514c767fe3c3613144b45f1496543346d98adf02267d5ceef9a00d9b8693000763e3b90ac11e99b138573345cc",
            "2660400eb2e4f3b628bdd0d53cd76f2bf565b94e72927c1cb748df27942480e420517bd8714cc80d1fadc1326ed06f7",
            "e0fa1d816ddc03e6b24255e0d7819c171c40f65e273b853324efcd6356caa205ca2f570f13497804415473a1d634b8f");

    // ---- G2: E2': y^2 = x^3 + A x + B over F_p2, Z = -(2 + i) ----

    private static final Fp2 G2_A = Fp2.of(0, 240);
    private static final Fp2 G2_B = Fp2.of(1012, 1012);
    private static final Fp2 G2_Z = Fp2.of(-2, -1);
    private static final BigInteger G2_H_EFF = new BigInteger(
            "bc69f08f2ee75b3584c6a0ea91b352888e2a8e9145ad7689986ff031508ffe1329c2f178731db956d82bf015d1212b02ec0ec69d7477c1ae954cbc06689f6a359894c0adebbf6b4e8020005aaa95551", 16);

    // 3-isogeny coefficients (c0, c1 pairs), lowest degree first; denominators monic as above.

    private static final Fp2[] G2_X_NUM = fp2(
            "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6", "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6",
            "0", "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a",
            "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e", "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d",
            "171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1", "0");
    private static final Fp2[] G2_X_DEN = fp2(
            "0", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63",
            "c", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f");
    private static final Fp2[] G2_Y_NUM = fp2(
            "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706", "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706",
            "0", "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be",
            "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c", "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f",
            "124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10", "0");
    private static final Fp2[] G2_Y_DEN = fp2(
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb",
            "0", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3",
            "12", "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99");

    private static BigInteger[] fp(String... hex) {
        BigInteger[] out = new BigInteger[hex.length];
        for (int i = 0; i < hex.length; i++) out[i] = new BigInteger(hex[i], 16);
        return out;
    }

    private static Fp2[] fp2(String... hex) {
        Fp2[] out = new Fp2[hex.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Fp2(new BigInteger(hex[2 * i], 16), new BigInteger(hex[2 * i + 1], 16));
        }
        return out;
    }

    private static BigInteger[] monic(BigInteger[] low) {
        BigInteger[] out = java.util.Arrays.copyOf(low, low.length + 1);
        out[low.length] = BigInteger.ONE;
        return out;
    }

    private static Fp2[] monic(Fp2[] low) {
        Fp2[] out = java.util.Arrays.copyOf(low, low.length + 1);
        out[low.length] = Fp2.ONE;
        return out;
    }

    private static final BigInteger[] G1_X_DEN_MONIC = monic(G1_X_DEN);
    private static final BigInteger[] G1_Y_DEN_MONIC = monic(G1_Y_DEN);
    private static final Fp2[] G2_X_DEN_MONIC = monic(G2_X_DEN);
    private static final Fp2[] G2_Y_DEN_MONIC = monic(G2_Y_DEN);

    // ---- G1 ----

    private static final BigInteger G1_MINUS_B_OVER_A = Fp2.mod(G1_B.negate().multiply(G1_A.modInverse(Fp2.P)));
    private static final BigInteger G1_B_OVER_ZA = Fp2.mod(G1_B.multiply(G1_Z.multiply(G1_A).modInverse(Fp2.P)));
    /** sqrt(-Z^3): -1 and Z = 11 are both non-squares in F_p, so -Z^3 = -11 * 11^2 is a square. */
    private static final BigInteger G1_SQRT_MINUS_Z3 = Fp2.sqrt(Fp2.mod(G1_Z.pow(3).negate()));

    /** map_to_curve(u) then clear_cofactor, for u in [0, p). */
    static P1 g1(BigInteger u) {
        // Simplified SWU onto E1' (RFC 9380 section 6.6.2), with one exponentiation: when g(x1) is not a square,
        // g(x2) = Z^3 u^6 g(x1), and a^((p+1)/4) for the non-square a = g(x1) is a root of -g(x1), so
        // sqrt(-Z^3) * u^3 * g(x1)^((p+1)/4) is a root of g(x2).
        BigInteger u2 = Fp2.mod(u.multiply(u));
        BigInteger zu2 = Fp2.mod(G1_Z.multiply(u2));
        BigInteger den = Fp2.mod(zu2.multiply(zu2).add(zu2));
        BigInteger x;
        BigInteger y;
        if (den.signum() == 0) { // exceptional u (0, or Z u^2 = -1): g(B / (Z A)) is a square by the choice of Z
            x = G1_B_OVER_ZA;
            y = Fp2.sqrt(g1Rhs(x));
        } else {
            BigInteger x1 = Fp2.mod(G1_MINUS_B_OVER_A.multiply(BigInteger.ONE.add(den.modInverse(Fp2.P))));
            BigInteger gx1 = g1Rhs(x1);
            BigInteger r = gx1.modPow(G1_SQRT_EXP, Fp2.P);
            if (r.multiply(r).mod(Fp2.P).equals(gx1)) {
                x = x1;
                y = r;
            } else {
                x = Fp2.mod(zu2.multiply(x1));
                y = Fp2.mod(G1_SQRT_MINUS_Z3.multiply(u2).mod(Fp2.P).multiply(u).mod(Fp2.P).multiply(r));
            }
        }
        if (y == null) throw new IllegalStateException("simplified SWU found no square root");
        if (Fp2.sgn0(u) != Fp2.sgn0(y)) y = Fp2.mod(y.negate());

        // The 11-isogeny E1' -> E1, one inversion for both denominators; a vanishing one means the identity.
        BigInteger xDen = horner(G1_X_DEN_MONIC, x);
        BigInteger yDen = horner(G1_Y_DEN_MONIC, x);
        BigInteger dens = Fp2.mod(xDen.multiply(yDen));
        if (dens.signum() == 0) return new P1();
        BigInteger inv = dens.modInverse(Fp2.P);
        BigInteger ex = Fp2.mod(horner(G1_X_NUM, x).multiply(yDen).mod(Fp2.P).multiply(inv));
        BigInteger ey = Fp2.mod(y.multiply(horner(G1_Y_NUM, x)).mod(Fp2.P).multiply(xDen).mod(Fp2.P).multiply(inv));

        return clearCofactorG1(ex, ey);
    }

    /** h_eff * (x, y) for an affine point (x, y) on E1. */
    static P1 clearCofactorG1(BigInteger x, BigInteger y) {
        P1_Affine onCurve;
        if (x.signum() == 0) {
            // (0, +-2), of order 3, which blst's parser refuses; h_eff takes it to infinity all the same.
            onCurve = Codec.g1FromCoordinates(x, y);
        } else {
            byte[] raw = new byte[96];
            System.arraycopy(Codec.toBytes48(x), 0, raw, 0, 48);
            System.arraycopy(Codec.toBytes48(y), 0, raw, 48, 48);
            onCurve = Codec.g1FromRaw(raw);
            if (onCurve == null) throw new IllegalStateException("isogeny image off the curve");
        }
        return new P1(onCurve).mult(G1_H_EFF);
    }

    private static BigInteger g1Rhs(BigInteger x) {
        return Fp2.mod(x.multiply(x).add(G1_A).multiply(x).add(G1_B));
    }

    private static BigInteger horner(BigInteger[] coefficients, BigInteger x) {
        BigInteger acc = BigInteger.ZERO;
        for (int i = coefficients.length - 1; i >= 0; i--) acc = Fp2.mod(acc.multiply(x).add(coefficients[i]));
        return acc;
    }

    // ---- G2 ----

    private static final Fp2 G2_MINUS_B_OVER_A = G2_B.neg().mul(G2_A.inv0());
    private static final Fp2 G2_B_OVER_ZA = G2_B.mul(G2_Z.mul(G2_A).inv0());

    /** map_to_curve(u) then clear_cofactor, for u in F_p2. */
    static P2 g2(Fp2 u) {
        // Simplified SWU onto E2' (RFC 9380 section 6.6.2).
        Fp2 zu2 = G2_Z.mul(u.square());
        Fp2 den = zu2.square().add(zu2);
        Fp2 x;
        Fp2 y;
        if (den.isZero()) { // exceptional u: g(B / (Z A)) is a square by the choice of Z
            x = G2_B_OVER_ZA;
            y = g2Rhs(x).sqrt();
        } else {
            Fp2 x1 = G2_MINUS_B_OVER_A.mul(Fp2.ONE.add(den.inv0()));
            y = g2Rhs(x1).sqrt();
            if (y != null) {
                x = x1;
            } else {
                x = zu2.mul(x1); // g(x2) = Z^3 u^6 g(x1) is then a square
                y = g2Rhs(x).sqrt();
            }
        }
        if (y == null) throw new IllegalStateException("simplified SWU found no square root");
        if (u.sgn0() != y.sgn0()) y = y.neg();

        // The 3-isogeny E2' -> E2, one inversion for both denominators.
        Fp2 xDen = horner(G2_X_DEN_MONIC, x);
        Fp2 yDen = horner(G2_Y_DEN_MONIC, x);
        Fp2 dens = xDen.mul(yDen);
        if (dens.isZero()) return new P2();
        Fp2 inv = dens.inv0();
        Fp2 ex = horner(G2_X_NUM, x).mul(yDen).mul(inv);
        Fp2 ey = y.mul(horner(G2_Y_NUM, x)).mul(xDen).mul(inv);

        P2_Affine onCurve = Codec.g2FromRaw(raw(ex, ey));
        if (onCurve == null) throw new IllegalStateException("isogeny image off the twist");
        return clearCofactorG2(new P2(onCurve));
    }

    /** blst's 192-byte uncompressed form of the affine point (x, y): x.c1 x.c0 y.c1 y.c0. */
    private static byte[] raw(Fp2 x, Fp2 y) {
        byte[] raw = new byte[192];
        System.arraycopy(Codec.toBytes48(x.c1()), 0, raw, 0, 48);
        System.arraycopy(Codec.toBytes48(x.c0()), 0, raw, 48, 48);
        System.arraycopy(Codec.toBytes48(y.c1()), 0, raw, 96, 48);
        System.arraycopy(Codec.toBytes48(y.c0()), 0, raw, 144, 48);
        return raw;
    }

    // ---- G2 cofactor clearing ----

    /** |x| for the BLS parameter x = -0xd201000000010000. */
    private static final BigInteger X_ABS = new BigInteger("d201000000010000", 16);
    /** psi's constants 1 / (1 + i)^((p - 1) / 3) and 1 / (1 + i)^((p - 1) / 2). */
    private static final Fp2 PSI_X = Fp2.of(1, 1).pow(Fp2.P.subtract(BigInteger.ONE).divide(BigInteger.valueOf(3))).inv0();
    private static final Fp2 PSI_Y = Fp2.of(1, 1).pow(Fp2.P.subtract(BigInteger.ONE).shiftRight(1)).inv0();

    /**
     * h_eff * q for q on E2', computed as RFC 9380 appendix G.3 does with the endomorphism psi (untwist,
     * Frobenius, twist): h_eff * q = (x^2 - x - 1) q + (x - 1) psi(q) + psi^2(2 q). Two 64-bit multiplications
     * instead of one by the 636-bit h_eff ({@link #G2_H_EFF}, which the tests use to check this).
     */
    static P2 clearCofactorG2(P2 q) {
        P2 t1 = q.dup().mult(X_ABS).neg(); // x q (x is negative); blst's operations update the receiver
        P2 t2 = psi(q);
        P2 t3 = psi(psi(q.dup().dbl()));
        t3 = t3.add(t2.dup().neg());
        t2 = t2.add(t1).mult(X_ABS).neg(); // x (x q + psi(q))
        t3 = t3.add(t2);
        t3 = t3.add(t1.neg());
        return t3.add(q.dup().neg());
    }

    /** psi(x, y) = (conj(x) * PSI_X, conj(y) * PSI_Y), through the affine form. */
    private static P2 psi(P2 q) {
        if (q.is_inf()) return new P2();
        byte[] raw = q.serialize();
        Fp2 x = new Fp2(unsigned(raw, 48), unsigned(raw, 0));
        Fp2 y = new Fp2(unsigned(raw, 144), unsigned(raw, 96));
        P2_Affine image = Codec.g2FromRaw(raw(x.conjugate().mul(PSI_X), y.conjugate().mul(PSI_Y)));
        if (image == null) throw new IllegalStateException("psi image off the twist");
        return new P2(image);
    }

    private static BigInteger unsigned(byte[] b, int offset) {
        return new BigInteger(1, java.util.Arrays.copyOfRange(b, offset, offset + 48));
    }

    /** h_eff * q by plain scalar multiplication; the reference for {@link #clearCofactorG2}. */
    static P2 clearCofactorG2ByScalar(P2 q) {
        return q.dup().mult(G2_H_EFF);
    }

    private static Fp2 g2Rhs(Fp2 x) {
        return x.square().add(G2_A).mul(x).add(G2_B);
    }

    private static Fp2 horner(Fp2[] coefficients, Fp2 x) {
        Fp2 acc = Fp2.ZERO;
        for (int i = coefficients.length - 1; i >= 0; i--) acc = acc.mul(x).add(coefficients[i]);
        return acc;
    }
}
