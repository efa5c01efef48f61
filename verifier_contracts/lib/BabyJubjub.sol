// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title BabyJubjub
/// @notice The few Baby Jubjub checks contracts need on keys they are given: on the curve, and in
///         the prime-order subgroup (with a helper point the caller supplies). Twin of
///         zkgov.crypto.babyjub.
library BabyJubjub {
    /// @dev The BN254 scalar field modulus r: Baby Jubjub's base field.
    uint256 private constant _P = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @dev Baby Jubjub: a*x^2 + y^2 = 1 + d*x^2*y^2.
    uint256 private constant _BABYJUB_A = 168700;
    uint256 private constant _BABYJUB_D = 168696;

    /// @notice Coordinates below r, on Baby Jubjub, and not the identity (0, 1).
    function isCurvePoint(uint256 x, uint256 y) internal pure returns (bool) {
        uint256 p = _P;
        if (x >= p || y >= p || (x == 0 && y == 1)) return false;
        uint256 x2 = mulmod(x, x, p);
        uint256 y2 = mulmod(y, y, p);
        uint256 lhs = addmod(mulmod(_BABYJUB_A, x2, p), y2, p);
        uint256 rhs = addmod(1, mulmod(_BABYJUB_D, mulmod(x2, y2, p), p), p);
        return lhs == rhs;
    }

    /// @dev Whether 8 * (qx, qy) = (x, y) for a curve point (qx, qy): then (x, y) lies in the
    ///      prime-order subgroup, since the curve's group is cyclic of order 8 * l and its multiples
    ///      of 8 are exactly that subgroup (and every subgroup point P is 8 * ((8^-1 mod l) * P), so
    ///      an honest creator always has a Q). Three doublings, ~3k gas, where computing l * P
    ///      would cost ~350k.
    function isEightTimes(uint256 x, uint256 y, uint256 qx, uint256 qy) internal pure returns (bool) {
        if (!isCurvePoint(qx, qy)) return false;
        (uint256 rx, uint256 ry, uint256 rz) = _double(qx, qy, 1);
        (rx, ry, rz) = _double(rx, ry, rz);
        (rx, ry, rz) = _double(rx, ry, rz);
        return rx == mulmod(x, rz, _P) && ry == mulmod(y, rz, _P);
    }

    /// @dev (X:Y:Z) + (X:Y:Z) in projective coordinates, with the complete twisted Edwards
    ///      addition law add-2008-bbjlp (complete because a is a square and d is not, so Z3 != 0):
    ///      A = Z^2, B = A^2, C = X^2, D = Y^2, E = d*C*D, F = B - E, G = B + E,
    ///      X3 = A*F*((X+Y)^2 - C - D), Y3 = A*G*(D - a*C), Z3 = F*G. Variables are reused to stay
    ///      within the stack.
    function _double(uint256 x, uint256 y, uint256 z) private pure returns (uint256, uint256, uint256) {
        uint256 c = mulmod(x, x, _P);
        uint256 d = mulmod(y, y, _P);
        x = addmod(mulmod(addmod(x, y, _P), addmod(x, y, _P), _P), _P - addmod(c, d, _P), _P);
        y = addmod(d, _P - mulmod(_BABYJUB_A, c, _P), _P);
        c = mulmod(_BABYJUB_D, mulmod(c, d, _P), _P); // E
        z = mulmod(z, z, _P); // A
        d = mulmod(z, z, _P); // B
        uint256 f = addmod(d, _P - c, _P);
        d = addmod(d, c, _P); // G
        return (mulmod(mulmod(z, f, _P), x, _P), mulmod(mulmod(z, d, _P), y, _P), mulmod(f, d, _P));
    }
}
