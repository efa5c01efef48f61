// Writes tests/vectors/eddsa.json: EdDSA-Poseidon keys and signatures from @zk-kit/eddsa-poseidon@1.1.0
// (its default export, BLAKE-512 key derivation) and circomlibjs@0.1.7 (buildEddsa: prv2pub,
// signPoseidon, verifyPoseidon). Run from the repository root:
//     node tests/vectors/gen/eddsa.mjs
// zk-kit is loaded through its CommonJS build: its ESM build (dist/index.js) fails to import
// blakejs's named exports under node 20. Every key and signature is computed by both libraries
// and the script stops where they disagree.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { buildEddsa } from "circomlibjs";
import { dec, leHex, pkg, writeVectors } from "./common.mjs";

const require = createRequire(import.meta.url);
const zk = require("@zk-kit/eddsa-poseidon");
const bjj = require("@zk-kit/baby-jubjub");

const eddsa = await buildEddsa();
const F = eddsa.F;
const r = bjj.r;
const subOrder = bjj.subOrder;
const toObj = (p) => [F.toObject(p[0]), F.toObject(p[1])];
const toF = (p) => [F.e(p[0]), F.e(p[1])];
const pt = (p) => p.map(dec);
const sha = (tag, n = 32) => {
    const out = [];
    for (let i = 0; 32 * i < n; i++) out.push(createHash("sha256").update(`zkgov eddsa ${tag} ${i}`).digest());
    return Buffer.concat(out).subarray(0, n);
};
const eq = (a, b, what) => {
    if (a[0] !== b[0] || a[1] !== b[1]) throw new Error(`zk-kit and circomlibjs differ: ${what}`);
};

// Private keys: strings are hashed as their UTF-8 bytes (Buffer.from(string)); bytes as they are.
const keys = [
    { name: "str secret", kind: "str", value: "secret" },
    { name: "str one char", kind: "str", value: "a" },
    { name: "str digits", kind: "str", value: "0" },
    { name: "str hex-looking (not decoded)", kind: "str", value: "0123456789abcdef" },
    { name: "str utf8", kind: "str", value: "pässwörd 🔑 ключ" },
    { name: "str long", kind: "str", value: "zkgov governance key ".repeat(15) },
    { name: "bytes 32 #0", kind: "bytes", value: sha("key0") },
    { name: "bytes 32 #1", kind: "bytes", value: sha("key1") },
    { name: "bytes 32 #2", kind: "bytes", value: sha("key2") },
    { name: "bytes zeros 32", kind: "bytes", value: Buffer.alloc(32) },
    { name: "bytes ff 32", kind: "bytes", value: Buffer.alloc(32, 0xff) },
    { name: "bytes one zero byte", kind: "bytes", value: Buffer.alloc(1) },
    { name: "bytes 64", kind: "bytes", value: sha("key64", 64) },
    { name: "bytes 112", kind: "bytes", value: sha("key112", 112) },
];
const messages = [0n, 1n, 2n, r - 1n, 2n ** 253n, BigInt("0x" + sha("msg0").toString("hex")) % r, BigInt("0x" + sha("msg1").toString("hex")) % r];

const keyVectors = [];
const signatures = [];
for (const key of keys) {
    const input = key.kind === "str" ? key.value : Buffer.from(key.value);
    const secret = zk.deriveSecretScalar(input);
    const pub = zk.derivePublicKey(input);
    eq(pub, toObj(eddsa.prv2pub(Buffer.from(input))), `public key of ${key.name}`);
    eq(pub, bjj.mulPointEscalar(bjj.Base8, secret), `secret scalar of ${key.name}`);
    keyVectors.push({
        name: key.name,
        kind: key.kind,
        // bytes keys in hex; str keys as text, with their UTF-8 bytes for reference
        private_key: key.kind === "str" ? key.value : key.value.toString("hex"),
        private_key_utf8: key.kind === "str" ? Buffer.from(key.value, "utf8").toString("hex") : undefined,
        secret_scalar: dec(secret),
        public_key: pt(pub),
        packed_public_key: leHex(zk.packPublicKey(pub)),
    });
    for (const m of messages) {
        const sig = zk.signMessage(input, m);
        const ref = eddsa.signPoseidon(Buffer.from(input), F.e(m));
        eq(sig.R8, toObj(ref.R8), `R8 of ${key.name} / ${m}`);
        if (sig.S !== ref.S) throw new Error(`S of ${key.name} / ${m} differs`);
        if (!zk.verifySignature(m, sig, pub)) throw new Error("zk-kit rejects its signature");
        if (!eddsa.verifyPoseidon(F.e(m), { R8: toF(sig.R8), S: sig.S }, toF(pub))) throw new Error("circomlibjs rejects");
        signatures.push({
            key: key.name,
            message: dec(m),
            r8: pt(sig.R8),
            s: dec(sig.S),
            packed: zk.packSignature(sig).toString("hex"),
            // zk-kit verifySignature on tampered copies (all expected false)
            tampered: {
                message_plus_one: zk.verifySignature((m + 1n) % r, sig, pub),
                s_plus_one: zk.verifySignature(m, { R8: sig.R8, S: (sig.S + 1n) % subOrder }, pub),
                r8_negated: zk.verifySignature(m, { R8: [(r - sig.R8[0]) % r, sig.R8[1]], S: sig.S }, pub),
                other_key: zk.verifySignature(m, sig, zk.derivePublicKey("another key")),
                s_plus_suborder: zk.verifySignature(m, { R8: sig.R8, S: sig.S + subOrder }, pub),
            },
        });
    }
}

// Small-order public keys: (r8, S) = (k * Base8, k) "verifies" for every message in both libraries;
// zkgov (like circomlib's EdDSAPoseidonVerifier) refuses such keys.
const gen = toObj(eddsa.babyJub.Generator);
const order8 = bjj.mulPointEscalar(gen, subOrder);
const smallOrder = [
    ["identity", [0n, 1n]],
    ["order2", [0n, r - 1n]],
    ["order4", bjj.mulPointEscalar(order8, 2n)],
    ["order8", order8],
];
const forgeries = smallOrder.map(([name, A]) => {
    const k = 123456789n;
    const R8 = bjj.mulPointEscalar(bjj.Base8, k);
    const m = 42n;
    return {
        public_key_name: name,
        public_key: pt(A),
        message: dec(m),
        r8: pt(R8),
        s: dec(k),
        zk_kit_verify: zk.verifySignature(m, { R8, S: k }, A),
        circomlibjs_verify: eddsa.verifyPoseidon(F.e(m), { R8: toF(R8), S: k }, toF(A)),
    };
});

writeVectors("tests/vectors/eddsa.json", {
    description:
        "EdDSA-Poseidon on Baby Jubjub: secret scalars, public keys, signatures and packings; integers in decimal, bytes in hex",
    source: `${pkg("@zk-kit/eddsa-poseidon")} default export (BLAKE-512), cross-checked with ${pkg("circomlibjs")} buildEddsa prv2pub/signPoseidon/verifyPoseidon`,
    generator: "node tests/vectors/gen/eddsa.mjs",
    keys: keyVectors,
    signatures,
    small_order_forgeries: forgeries,
});
console.log(`eddsa: ${keyVectors.length} keys, ${signatures.length} signatures, ${forgeries.length} small-order cases`);
