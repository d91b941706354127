package dev.lanes.evm.precompile.bn254;

/**
 * The operations curve arithmetic needs from a coordinate field, so {@link JacobianPoint} serves both G1
 * (coordinates in F_p) and G2 (coordinates in F_p^2) with one set of formulas.
 */
interface FieldElement<F extends FieldElement<F>> {
    F add(F o);

    F sub(F o);

    F mul(F o);

    F square();

    F dbl();

    F neg();

    F inverse();

    boolean isZero();

    F zero();

    F one();
}
