// Writes tests/vectors/smt.json: circomlibjs@0.1.7 sparse Merkle tree (newMemEmptyTrie: Poseidon
// hash0(l, r) = Poseidon([l, r]), hash1(k, v) = Poseidon([k, v, 1]), key bits LSB first) roots after
// each insert / update / delete, and find() results. Run from the repository root:
//     node tests/vectors/gen/smt.mjs
import { createHash } from "node:crypto";
import { newMemEmptyTrie } from "circomlibjs";
import { dec, pkg, writeVectors } from "./common.mjs";

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const rnd = (tag) => BigInt("0x" + createHash("sha256").update(`zkgov smt ${tag}`).digest("hex")) % R;

// Runs `ops` on a fresh tree; returns the roots after each op and find() for every probe key.
async function run(name, ops, probes) {
    const tree = await newMemEmptyTrie();
    const F = tree.F;
    const steps = [];
    for (const [op, key, value] of ops) {
        if (op === "insert") await tree.insert(key, value);
        else if (op === "update") await tree.update(key, value);
        else if (op === "delete") await tree.delete(key);
        else throw new Error(op);
        steps.push({ op, key: dec(key), value: value === undefined ? null : dec(value), root: dec(F.toObject(tree.root)) });
    }
    const finds = [];
    for (const key of probes) {
        const res = await tree.find(key);
        const entry = { key: dec(key), found: res.found, siblings: res.siblings.map((s) => dec(F.toObject(s))) };
        if (res.found) entry.found_value = dec(F.toObject(res.foundValue));
        else {
            entry.not_found_key = dec(F.toObject(res.notFoundKey));
            entry.not_found_value = dec(F.toObject(res.notFoundValue));
            entry.is_old0 = res.isOld0;
        }
        finds.push(entry);
    }
    return { name, steps, root: dec(F.toObject(tree.root)), finds };
}

const trees = [];

// 1. circomlib's test/smtverifier.js tree and probe keys.
trees.push(
    await run(
        "circomlib smtverifier test",
        [["insert", 7n, 77n], ["insert", 8n, 88n], ["insert", 32n, 3232n]],
        [7n, 8n, 32n, 0n, 6n, 9n, 33n, 31n, 16n, 64n],
    ),
);

// 2. Inserts, updates and deletes, with keys sharing long low-bit prefixes (deep paths, zero
// siblings, leaves pushed down and pulled back up), the keys 0 and r - 1, and value 0.
const base = rnd("base");
const deep = [0, 3, 5, 6, 7, 8].map((j) => (base + (1n << BigInt(j + 2)) * 1n) % R); // bits differ at j + 2
const randomKeys = Array.from({ length: 12 }, (_, i) => rnd(`key ${i}`));
const ops = [];
const insertOrder = [base, ...deep, 0n, R - 1n, ...randomKeys, 1n, 2n, 3n];
insertOrder.forEach((k, i) => ops.push(["insert", k, i === 3 ? 0n : rnd(`value ${i}`)]));
ops.push(["update", base, 999n], ["update", 0n, 0n], ["update", R - 1n, R - 1n], ["update", deep[2], rnd("updated")]);
// Deletes: a leaf whose sibling is a leaf (collapses upward), one whose sibling is a branch, the
// deepest ones, then everything of the deep cluster, then re-inserts.
for (const k of [deep[5], deep[4], randomKeys[0], 1n, deep[0], base, deep[1], deep[2], deep[3]]) ops.push(["delete", k]);
ops.push(["insert", deep[4], 44n], ["insert", base, 55n], ["delete", 2n], ["update", 3n, 33n]);
const probes = [...new Set([...insertOrder, 4n, 5n, rnd("absent 1"), rnd("absent 2"), (base + 4n) % R, (base + 1024n) % R])];
trees.push(await run("mixed operations", ops, probes));

// 3. Delete everything: back to the empty root 0.
const few = [rnd("few 0"), rnd("few 1"), rnd("few 2"), 5n];
trees.push(
    await run(
        "insert then delete all",
        [...few.map((k, i) => ["insert", k, BigInt(i + 1)]), ...few.slice().reverse().map((k) => ["delete", k])],
        [few[0], 5n],
    ),
);

// 4. Single leaf and two leaves differing only in bit 0.
trees.push(await run("single leaf", [["insert", 12345n, 678n]], [12345n, 12344n, 0n]));
trees.push(await run("two leaves split at bit 0", [["insert", 2n, 20n], ["insert", 3n, 30n]], [2n, 3n, 0n, 1n]));

writeVectors("tests/vectors/smt.json", {
    description:
        "circomlibjs sparse Merkle tree (Poseidon) roots after each operation and find() results; integers in decimal",
    source: `${pkg("circomlibjs")} newMemEmptyTrie (smt.js with smt_hashes_poseidon.js)`,
    generator: "node tests/vectors/gen/smt.mjs",
    trees,
});
console.log(`smt: ${trees.length} trees, ${trees.reduce((n, t) => n + t.steps.length, 0)} operations, ${trees.reduce((n, t) => n + t.finds.length, 0)} finds`);
