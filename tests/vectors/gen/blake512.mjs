// Writes tests/vectors/blake512.json: BLAKE-512 (original BLAKE, not BLAKE2) digests from npm
// blake-hash@2.0.0 createBlakeHash("blake512"), the hash of circomlibjs's eddsa and of
// @zk-kit/eddsa-poseidon's default export. Run from the repository root:
//     node tests/vectors/gen/blake512.mjs
// Each digest is computed by blake-hash's native binding (index.js) and by its pure-JS
// implementation (blake-hash/js); the script stops if they differ.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { pkg, writeVectors } from "./common.mjs";

const require = createRequire(import.meta.url);
const blakeDefault = require("blake-hash");
const blakeJs = require("blake-hash/js");

// Deterministic bytes: sha256("zkgov blake512 <tag> <i>") blocks, concatenated and truncated.
const bytes = (tag, length) => {
    const chunks = [];
    for (let i = 0; 32 * i < length; i++) chunks.push(createHash("sha256").update(`zkgov blake512 ${tag} ${i}`).digest());
    return Buffer.concat(chunks).subarray(0, length);
};

const inputs = [
    ["empty", Buffer.alloc(0)],
    ["abc", Buffer.from("abc", "utf8")],
    ["one zero byte", Buffer.alloc(1)],
    ["fox", Buffer.from("The quick brown fox jumps over the lazy dog", "utf8")],
    ["utf8 text", Buffer.from("pässwörd 🔑", "utf8")],
    ["zeros 32", Buffer.alloc(32)],
    ["ff 32", Buffer.alloc(32, 0xff)],
    ["0..31", Buffer.from(Array.from({ length: 32 }, (_, i) => i))],
];
for (let k = 0; k < 3; k++) inputs.push([`key 32 #${k}`, bytes(`key${k}`, 32)]);
// Around the block (128) and the padding boundary (111: the 0x81 byte; 112: an extra block).
for (const n of [55, 56, 63, 64, 65, 110, 111, 112, 113, 127, 128, 129, 200, 239, 240, 255, 256, 1000]) {
    inputs.push([`length ${n}`, bytes(`len${n}`, n)]);
}
inputs.push(["zeros 111", Buffer.alloc(111)], ["zeros 112", Buffer.alloc(112)], ["zeros 128", Buffer.alloc(128)]);

const vectors = inputs.map(([name, data]) => {
    const a = blakeDefault("blake512").update(Buffer.from(data)).digest("hex");
    const b = blakeJs("blake512").update(Buffer.from(data)).digest("hex");
    if (a !== b) throw new Error(`blake-hash native and JS differ on ${name}`);
    return { name, input: data.toString("hex"), digest: a };
});

writeVectors("tests/vectors/blake512.json", {
    description: "BLAKE-512 (SHA-3 finalist BLAKE, 16 rounds) digests; input and digest in hex",
    source: `${pkg("blake-hash")} createBlakeHash("blake512"), native and pure-JS agreeing`,
    generator: "node tests/vectors/gen/blake512.mjs",
    vectors,
});
console.log(`blake512 vectors: ${vectors.length}`);
