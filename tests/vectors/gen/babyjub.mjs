// Writes tests/vectors/babyjub.json: Baby Jubjub constants, additions, scalar multiplications,
// subgroup checks and point packings from circomlibjs@0.1.7 (buildBabyjub) and
// @zk-kit/baby-jubjub@1.0.3. Run from the repository root:
//     node tests/vectors/gen/babyjub.mjs
// Every value is computed by both libraries; the script stops where they disagree, except for
// `unpack_edge_cases`, which records each library's own answer on encodings packPoint never
// produces (the libraries differ there, and so may zkgov; see zkgov/crypto/babyjub.py).
import { createHash } from "node:crypto";
import { buildBabyjub } from "circomlibjs";
import * as zk from "@zk-kit/baby-jubjub";
import { dec, fromLeHex, leHex, pkg, writeVectors } from "./common.mjs";

const bj = await buildBabyjub();
const F = bj.F;
const r = zk.r;
const toObj = (p) => [F.toObject(p[0]), F.toObject(p[1])];
const toF = (p) => [F.e(p[0]), F.e(p[1])];
const same = (a, b, what) => {
    if (a[0] !== b[0] || a[1] !== b[1]) throw new Error(`circomlibjs and zk-kit differ: ${what}`);
    return a;
};
const pt = (p) => p.map(dec);
// Deterministic scalars: sha256("zkgov babyjub <tag>") as a 256-bit integer, optionally reduced.
const rnd = (tag) => BigInt("0x" + createHash("sha256").update(`zkgov babyjub ${tag}`).digest("hex"));

// --- constants ---------------------------------------------------------------------------------
if (bj.subOrder !== zk.subOrder || bj.order !== zk.order) throw new Error("orders differ");
same(toObj(bj.Base8), zk.Base8, "Base8");
const base8 = zk.Base8;
const generator = toObj(bj.Generator);
const constants = {
    a: dec(F.toObject(bj.A)),
    d: dec(F.toObject(bj.D)),
    order: dec(bj.order),
    sub_order: dec(bj.subOrder),
    base8: pt(base8),
    generator: pt(generator),
};

// Both libraries' scalar multiplication (double-and-add on affine points).
const mul = (p, k, what) => same(toObj(bj.mulPointEscalar(toF(p), k)), zk.mulPointEscalar(p, k), `mul ${what}`);
const add = (p, q, what) => same(toObj(bj.addPoint(toF(p), toF(q))), zk.addPoint(p, q), `add ${what}`);

// --- special points ----------------------------------------------------------------------------
const identity = [0n, 1n];
const order2 = [0n, r - 1n];
const order8 = mul(generator, bj.subOrder, "order-8 point"); // subOrder * G has order 8
const order4 = mul(order8, 2n, "order-4 point");
const points = {
    identity,
    base8,
    generator,
    order2,
    order4,
    order8,
    p1: mul(base8, rnd("p1") % bj.subOrder, "p1"),
    p2: mul(base8, rnd("p2") % bj.subOrder, "p2"),
    mixed: add(mul(base8, rnd("mixed") % bj.subOrder, "mixed"), order8, "mixed + order8"),
    g_odd: mul(generator, rnd("g odd") | 1n, "g odd"),
};
for (const [name, p] of Object.entries(points)) {
    if (!bj.inCurve(toF(p)) || !zk.inCurve(p)) throw new Error(`${name} not on curve`);
}

// --- additions -----------------------------------------------------------------------------------
const names = Object.keys(points);
const additions = [];
for (const [i, a] of names.entries()) {
    for (const b of names.slice(i)) additions.push({ a, b, sum: pt(add(points[a], points[b], `${a}+${b}`)) });
}

// --- scalar multiplications ------------------------------------------------------------------------
const l = bj.subOrder;
const scalars = [0n, 1n, 2n, 3n, 7n, 8n, 15n, 16n, 255n, l - 1n, l, l + 1n, bj.order - 1n, bj.order, bj.order + 5n, 2n ** 253n - 1n, 2n ** 256n - 1n, rnd("k1"), rnd("k2") >> 3n, rnd("k3") % l];
const multiplications = [];
for (const name of ["base8", "generator", "p1", "order8", "mixed", "identity"]) {
    for (const k of scalars) multiplications.push({ point: name, scalar: dec(k), product: pt(mul(points[name], k, `${name}*${k}`)) });
}

// --- subgroup membership (circomlibjs inSubgroup) --------------------------------------------------
const in_subgroup = Object.fromEntries(names.map((n) => [n, bj.inSubgroup(toF(points[n]))]));

// --- packing (circomlibjs packPoint bytes == zk-kit packPoint as 32-byte little-endian) -----------
const packs = [];
const packTargets = [...names.map((n) => [n, points[n]])];
for (let i = 0; i < 8; i++) packTargets.push([`k${i}*base8`, mul(base8, rnd(`pack ${i}`) % l, `pack ${i}`)]);
packTargets.push(["-p1", [(r - points.p1[0]) % r, points.p1[1]]]);
for (const [name, p] of packTargets) {
    const a = Buffer.from(bj.packPoint(toF(p))).toString("hex");
    const b = leHex(zk.packPoint(p));
    if (a !== b) throw new Error(`pack ${name} differs`);
    // Round trip through both unpackers (circomlibjs cannot unpack x = 0 points: recorded below).
    const u = zk.unpackPoint(zk.packPoint(p));
    same(u, p, `zk-kit unpack ${name}`);
    if (p[0] !== 0n) same(toObj(bj.unpackPoint(Buffer.from(a, "hex"))), p, `circomlibjs unpack ${name}`);
    packs.push({ name, point: pt(p), packed: a });
}

// --- unpacking edge cases: each library's answer (null = rejected) --------------------------------
const edge = [
    ["identity", leHex(1n)],
    ["order2 (0, -1)", leHex(r - 1n)],
    ["identity with sign bit", leHex(1n | (1n << 255n))],
    ["y = r", leHex(r)],
    ["y = r + 1", leHex(r + 1n)],
    ["y = 2^255 - 1", leHex((1n << 255n) - 1n)],
    ["y = 2 (no point)", leHex(2n)],
];
for (let i = 0; i < 6; i++) edge.push([`random ${i}`, createHash("sha256").update(`zkgov babyjub unpack ${i}`).digest("hex")]);
const unpack_edge_cases = edge.map(([name, hex]) => {
    const c = bj.unpackPoint(Buffer.from(hex, "hex")); // (it mutates its argument: a fresh buffer)
    const z = zk.unpackPoint(fromLeHex(hex));
    return {
        name,
        packed: hex,
        circomlibjs: c === null ? null : pt(toObj(c)),
        zk_kit: z === null ? null : pt(z),
        zk_kit_on_curve: z === null ? null : zk.inCurve(z),
    };
});

writeVectors("tests/vectors/babyjub.json", {
    description: "Baby Jubjub (EIP-2494) constants, group law, subgroup checks and point packing; integers in decimal, packings in hex",
    source: `${pkg("circomlibjs")} buildBabyjub and ${pkg("@zk-kit/baby-jubjub")}, agreeing (except unpack_edge_cases, recorded per library)`,
    generator: "node tests/vectors/gen/babyjub.mjs",
    constants,
    points: Object.fromEntries(names.map((n) => [n, pt(points[n])])),
    additions,
    multiplications,
    in_subgroup,
    packs,
    unpack_edge_cases,
});
console.log(`babyjub: ${additions.length} additions, ${multiplications.length} multiplications, ${packs.length} packs, ${unpack_edge_cases.length} unpack edge cases`);
