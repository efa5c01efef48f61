// Regenerates the `lean_imt` part of tests/vectors/merkle.json with the real @zk-kit/lean-imt@2.2.5
// (LeanIMT with poseidon-lite@0.3.0 poseidon2, each hash cross-checked with circomlibjs@0.1.7
// buildPoseidonReference). The `fixed` part of the file is kept as it is (see SOURCES.md).
// Run from the repository root:
//     node tests/vectors/gen/lean_imt.mjs
import { createHash } from "node:crypto";
import { LeanIMT } from "@zk-kit/lean-imt";
import { poseidon2 } from "poseidon-lite";
import { buildPoseidonReference } from "circomlibjs";
import { dec, pkg, readVectors, writeVectors } from "./common.mjs";

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const reference = await buildPoseidonReference();
let hashes = 0;
const hash = (a, b) => {
    const h = poseidon2([a, b]);
    if (h !== reference.F.toObject(reference([a, b]))) throw new Error("poseidon-lite and circomlibjs differ");
    hashes += 1;
    return h;
};
const rnd = (i) => BigInt("0x" + createHash("sha256").update(`zkgov lean-imt ${i}`).digest("hex")) % R;

const leafSets = [
    [1n, 2n, 3n, 4n, 5n],
    [10n, 20n, 30n, 40n, 50n, 60n, R - 1n],
    [42n],
    [42n, 43n],
    [42n, 43n, 44n],
    Array.from({ length: 8 }, (_, i) => rnd(`8 ${i}`)),
    Array.from({ length: 9 }, (_, i) => rnd(`9 ${i}`)),
    Array.from({ length: 17 }, (_, i) => BigInt(i + 1)),
];

const lean = leafSets.map((leaves) => {
    const tree = new LeanIMT(hash);
    const roots = [];
    for (const leaf of leaves) {
        tree.insert(leaf);
        roots.push(tree.root);
    }
    const batch = new LeanIMT(hash, leaves); // the constructor uses insertMany
    if (batch.root !== tree.root) throw new Error("insert and insertMany roots differ");
    const proofs = leaves.map((_, i) => {
        const p = tree.generateProof(i);
        if (!LeanIMT.verifyProof(p, hash)) throw new Error("proof does not verify");
        return { root: dec(p.root), leaf: dec(p.leaf), index: p.index, siblings: p.siblings.map(dec) };
    });
    const upd = { index: Math.min(2, leaves.length - 1), leaf: 99n };
    tree.update(upd.index, upd.leaf);
    const updateRoot = tree.root;
    tree.update(leaves.length - 1, 0n); // Semaphore's removeMember
    return {
        leaves: leaves.map(dec),
        roots_after_each_insert: roots.map(dec),
        insert_many_root: dec(batch.root),
        depth: tree.depth,
        proofs,
        update: { index: upd.index, leaf: dec(upd.leaf), root: dec(updateRoot) },
        remove_last: { index: leaves.length - 1, root: dec(tree.root) },
    };
});

const vectors = readVectors("tests/vectors/merkle.json");
writeVectors("tests/vectors/merkle.json", {
    description: "LeanIMT (@zk-kit/lean-imt) and fixed-depth Poseidon(2) Merkle tree vectors",
    source:
        `lean_imt: ${pkg("@zk-kit/lean-imt")} with ${pkg("poseidon-lite")} poseidon2 (checked against ${pkg("circomlibjs")} buildPoseidonReference), ` +
        "by tests/vectors/gen/lean_imt.mjs; fixed: circomlibjs@0.1.7 Poseidon, script in tests/vectors/SOURCES.md",
    lean_imt: lean,
    fixed: vectors.fixed,
});
console.log(`lean-imt: ${lean.length} trees, ${hashes} hashes checked`);
