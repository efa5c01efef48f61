import json

from zkgov.snark import Proof, PublicSignals, VerificationKey


def test_snarkjs_reference_artifacts_parse(snarkjs_preimage):
    vk = VerificationKey.load(snarkjs_preimage.vk_json)
    proof = Proof.load(snarkjs_preimage.proof_json)
    public = PublicSignals.load(snarkjs_preimage.public_json)
    assert vk.n_public == len(public) == 2
    assert public[1] == 42  # outputs first, then the public input `scope`
    assert json.loads(snarkjs_preimage.vk_json.read_text())["IC"] == [p.to_snarkjs() for p in vk.ic]
    assert Proof.from_snarkjs(proof.to_snarkjs()) == proof
