"""MLAssetRegistry on anvil: registration, owner-only updates, contributors whose shares sum to
exactly 10000, dilution (twin of zkgov.rights.dilute_shares), ownership transfer; every rejection."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from eth_utils.address import to_checksum_address
from _contract_support import revert

from zkgov.chain import ChainConnection
from zkgov.errors import InputError
from zkgov.rights import (
    MAX_CONTRIBUTORS,
    AssetKind,
    RightsContracts,
    Share,
    dilute_shares,
    validate_shares,
)

H1 = bytes.fromhex("11" * 32)
H2 = bytes.fromhex("22" * 32)


def _accounts(conn: ChainConnection) -> list[str]:
    return list(conn.accounts)


def _shares(accounts: list[str], bps: list[int]) -> tuple[Share, ...]:
    return tuple(Share(a, b) for a, b in zip(accounts, bps, strict=True))


def _fake(n: int, start: int = 1) -> list[str]:
    return [to_checksum_address("0x" + f"{k:040x}") for k in range(start, start + n)]


def test_registers_an_asset_with_three_contributors(rights_conn: ChainConnection, rights_deploy: Callable[[], RightsContracts]) -> None:
    rights = rights_deploy()
    a = _accounts(rights_conn)
    shares = _shares(a[1:4], [5000, 3000, 2000])
    asset_id, receipt = rights.registry.register_asset(AssetKind.MODEL, H1, "ipfs://model-card", shares)
    print(f"\ngas MLAssetRegistry.registerAsset (3 contributors): {receipt['gasUsed']:,}")
    assert asset_id == 1 and rights.registry.asset_count() == 1
    record = rights.registry.asset(asset_id)
    assert (record.owner, record.kind, record.version, record.content_hash, record.metadata_uri) == (
        a[0], AssetKind.MODEL, 1, H1, "ipfs://model-card")
    assert record.shares == shares
    assert record.to_json()["kind"] == "model"
    second, _ = rights.registry.register_asset("dataset", "0x" + "22" * 32, "ipfs://datasheet", [(a[5], 10_000)],
                                               sender=a[5])
    assert second == 2 and rights.registry.owner_of(second) == a[5]
    assert rights.registry.asset(second).kind == AssetKind.DATASET


def test_owner_updates_and_transfers_and_nobody_else_can(
    rights_conn: ChainConnection, rights_deploy: Callable[[], RightsContracts]
) -> None:
    rights = rights_deploy()
    a = _accounts(rights_conn)
    asset_id, _ = rights.registry.register_asset(AssetKind.MODEL, H1, "v1", [(a[1], 10_000)])
    reg = rights.registry
    revert("AssetNotOwner", reg.update_asset, asset_id, H2, "v2", sender=a[1])
    revert("AssetNotOwner", reg.set_contributors, asset_id, [(a[1], 10_000)], sender=a[1])
    revert("AssetNotOwner", reg.dilute, asset_id, a[1], 100, sender=a[1])
    revert("AssetNotOwner", reg.transfer_ownership, asset_id, a[1], sender=a[1])
    reg.update_asset(asset_id, H2, "v2")
    reg.set_contributors(asset_id, [(a[2], 4000), (a[3], 6000)])
    record = reg.asset(asset_id)
    assert (record.content_hash, record.metadata_uri, record.version) == (H2, "v2", 3)
    assert record.shares == _shares([a[2], a[3]], [4000, 6000])
    revert("AssetZeroAddress", reg.contract.transact, "transferAssetOwnership", asset_id, "0x" + "00" * 20)
    reg.transfer_ownership(asset_id, a[4])
    assert reg.owner_of(asset_id) == a[4]
    revert("AssetNotOwner", reg.update_asset, asset_id, H1, "v3")  # the old owner no longer can
    reg.update_asset(asset_id, H1, "v3", sender=a[4])
    revert("AssetEmptyContentHash", reg.contract.transact, "updateAsset", asset_id, bytes(32), "v4", sender=a[4])
    revert("AssetUnknown", reg.update_asset, 99, H1, "x")
    revert("AssetUnknown", reg.asset, 99)
    revert("AssetUnknown", reg.shares, 99)


@pytest.mark.parametrize(
    ("bps", "error"),
    [
        ([5000, 3000, 1999], "AssetSharesSum"),
        ([5000, 3000, 2001], "AssetSharesSum"),
        ([6000, 4001, 0], "AssetZeroShare"),
    ],
)
def test_rejects_shares_not_summing_to_10000(
    rights_conn: ChainConnection, rights_deploy: Callable[[], RightsContracts], bps: list[int], error: str
) -> None:
    rights = rights_deploy()
    a = _accounts(rights_conn)
    exc = revert(error, rights.registry.contract.transact, "registerAsset", 0, H1, "", a[1:4], bps)
    if error == "AssetSharesSum":
        assert exc.args_by_name["sum"] == sum(bps)
    with pytest.raises(InputError, match="sum to 9999|sum to 10001|zero share"):
        rights.registry.register_asset(AssetKind.MODEL, H1, "", _shares(a[1:4], bps))


def test_rejects_malformed_contributor_lists(rights_conn: ChainConnection, rights_deploy: Callable[[], RightsContracts]) -> None:
    rights = rights_deploy()
    a = _accounts(rights_conn)
    tx = rights.registry.contract.transact
    revert("AssetNoContributors", tx, "registerAsset", 0, H1, "", [], [])
    revert("AssetLengthMismatch", tx, "registerAsset", 0, H1, "", [a[1], a[2]], [10_000])
    revert("AssetDuplicateContributor", tx, "registerAsset", 0, H1, "", [a[1], a[1]], [5000, 5000])
    revert("AssetZeroAddress", tx, "registerAsset", 0, H1, "", [a[1], "0x" + "00" * 20], [5000, 5000])
    revert("AssetEmptyContentHash", tx, "registerAsset", 0, bytes(32), "", [a[1]], [10_000])
    many = _fake(MAX_CONTRIBUTORS + 1)
    too_many = revert("AssetTooManyContributors", tx, "registerAsset", 1, H1, "", many,
                      [1] * MAX_CONTRIBUTORS + [10_000 - MAX_CONTRIBUTORS])
    assert too_many.args_by_name == {"count": MAX_CONTRIBUTORS + 1, "max": MAX_CONTRIBUTORS}
    full = _fake(MAX_CONTRIBUTORS)
    asset_id, receipt = rights.registry.register_asset(
        AssetKind.DATASET, H1, "", _shares(full, [312] * (MAX_CONTRIBUTORS - 1) + [10_000 - 312 * (MAX_CONTRIBUTORS - 1)]))
    print(f"\ngas MLAssetRegistry.registerAsset ({MAX_CONTRIBUTORS} contributors): {receipt['gasUsed']:,}")
    assert len(rights.registry.shares(asset_id)) == MAX_CONTRIBUTORS
    # The same rules, checked in Python before anything is sent, each named.
    for bad, message in [
        ([], "no contributors"),
        ([(a[1], 5000), (a[1], 5000)], "appears twice"),
        ([("0x" + "00" * 20, 10_000)], "zero address"),
        ([(x, 1) for x in many], f"at most {MAX_CONTRIBUTORS}"),
        ([(a[1], 70_000)], "below 2\\*\\*16"),
        ("0x12", "expected a list"),
    ]:
        with pytest.raises(InputError, match=message):
            validate_shares(bad)
    with pytest.raises(InputError, match="content_hash: must not be zero"):
        rights.registry.register_asset(AssetKind.MODEL, bytes(32), "", [(a[1], 10_000)])
    with pytest.raises(InputError, match="kind"):
        rights.registry.register_asset("checkpoint", H1, "", [(a[1], 10_000)])


def test_dilution_keeps_the_sum_and_matches_python(rights_conn: ChainConnection, rights_deploy: Callable[[], RightsContracts]) -> None:
    rights = rights_deploy()
    a = _accounts(rights_conn)
    reg = rights.registry
    asset_id, _ = reg.register_asset(AssetKind.MODEL, H1, "", [(a[1], 5000), (a[2], 3000), (a[3], 2000)])
    receipt = reg.dilute(asset_id, a[4], 2000)
    print(f"\ngas MLAssetRegistry.dilute (3 contributors + 1): {receipt['gasUsed']:,}")
    assert reg.shares(asset_id) == _shares(a[1:5], [4000, 2400, 1600, 2000])
    # A newcomer already listed gets the share added; a tiny share that rounds to 0 leaves, its
    # fraction going to the first contributor with the rest of the remainder.
    reg.set_contributors(asset_id, [(a[1], 9998), (a[2], 1), (a[3], 1)])
    reg.dilute(asset_id, a[3], 6000)
    assert reg.shares(asset_id) == _shares([a[1], a[3]], [4000, 6000])
    revert("AssetInvalidDilution", reg.contract.transact, "dilute", asset_id, a[4], 0)
    revert("AssetInvalidDilution", reg.contract.transact, "dilute", asset_id, a[4], 10_000)
    revert("AssetZeroAddress", reg.contract.transact, "dilute", asset_id, "0x" + "00" * 20, 10)
    with pytest.raises(InputError, match="bps"):
        reg.dilute(asset_id, a[4], 10_000)

    rng = random.Random(6)
    pool = _fake(40, start=0x1000)
    for _ in range(12):
        n = rng.randint(1, 8)
        cuts = sorted(rng.sample(range(1, 10_000), n - 1))
        bps = [hi - lo for lo, hi in zip([0, *cuts], [*cuts, 10_000], strict=True)]
        members = rng.sample(pool, n)
        newcomer = rng.choice([*members, rng.choice(pool)])
        dilution = rng.choice([1, 2, rng.randint(1, 9999), 9999])
        reg.set_contributors(asset_id, _shares(members, bps))
        reg.dilute(asset_id, newcomer, dilution)
        on_chain = reg.shares(asset_id)
        assert on_chain == dilute_shares(_shares(members, bps), newcomer, dilution)
        assert sum(s.bps for s in on_chain) == 10_000
