"""LicenseToken on anvil: licences issued by the asset's owner or sold on its offer (the price split
among the contributors to the wei), revocation, expiry, ERC-721 transfers; every rejection."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from _contract_support import balance, fee, now, revert, warp_to

from zkgov.chain import ChainConnection, CompiledContract, deploy
from zkgov.errors import InputError
from zkgov.rights import AssetKind, RightsContracts, split_amount

TERMS = bytes.fromhex("7e" * 32)
PRICE = 10**16 + 1
DAY = 86_400


def _setup(conn: ChainConnection, rights: RightsContracts) -> int:
    a = conn.accounts
    asset_id, _ = rights.registry.register_asset(AssetKind.MODEL, bytes([9]) * 32, "ipfs://card",
                                                 [(a[1], 5000), (a[2], 3000), (a[3], 2000)])
    return asset_id


def test_owner_issues_and_revokes_licences(rights_conn: ChainConnection, rights_deploy: Callable[[], RightsContracts]) -> None:
    rights = rights_deploy()
    a = rights_conn.accounts
    asset_id = _setup(rights_conn, rights)
    lic = rights.licenses
    expires = now(rights_conn) + 30 * DAY
    license_id, receipt = lic.issue(asset_id, a[5], expires, TERMS, "ipfs://terms")
    print(f"\ngas LicenseToken.issue: {receipt['gasUsed']:,}")
    record = lic.license(license_id)
    assert (record.asset_id, record.holder, record.expires_at, record.revoked, record.price, record.terms_hash,
            record.terms_uri) == (asset_id, a[5], expires, False, 0, TERMS, "ipfs://terms")
    assert lic.is_valid(license_id) and record.valid_at(now(rights_conn))
    assert lic.balance_of(a[5]) == 1 and lic.total_supply() == 1
    assert lic.contract.call("tokenURI", license_id) == "ipfs://terms"
    revert("LicenseNotAssetOwner", lic.issue, asset_id, a[5], expires, TERMS, sender=a[5])
    revert("LicenseExpiryInPast", lic.issue, asset_id, a[5], now(rights_conn), TERMS)
    revert("LicenseZeroAddress", lic.contract.transact, "issue", asset_id, "0x" + "00" * 20, expires, TERMS, "")
    revert("AssetUnknown", lic.issue, 77, a[5], expires, TERMS)
    revert("LicenseNotAssetOwner", lic.revoke, license_id, sender=a[5])
    revert("LicenseUnknown", lic.revoke, 99)
    lic.revoke(license_id)
    assert not lic.is_valid(license_id) and lic.license(license_id).revoked
    revert("LicenseAlreadyRevoked", lic.revoke, license_id)
    # Expiry: valid until expiresAt, not at it.
    second, _ = lic.issue(asset_id, a[6], now(rights_conn) + 100, TERMS)
    assert lic.is_valid(second)
    warp_to(rights_conn, lic.license(second).expires_at)
    assert not lic.is_valid(second)
    revert("LicenseUnknown", lic.license, 99)
    assert not lic.is_valid(99)


def test_a_sale_pays_the_contributors_to_the_wei(rights_conn: ChainConnection, rights_deploy: Callable[[], RightsContracts]) -> None:
    rights = rights_deploy()
    a = rights_conn.accounts
    asset_id = _setup(rights_conn, rights)
    lic, buyer = rights.licenses, a[6]
    revert("LicenseNoOffer", lic.buy, asset_id, price=PRICE, sender=buyer)
    revert("LicenseNotAssetOwner", lic.set_offer, asset_id, price=PRICE, duration=DAY, terms_hash=TERMS, sender=buyer)
    revert("LicenseZeroPrice", lic.contract.transact, "setOffer", asset_id, 0, DAY, TERMS, "")
    revert("LicenseZeroDuration", lic.contract.transact, "setOffer", asset_id, PRICE, 0, TERMS, "")
    with pytest.raises(InputError, match="price"):
        lic.set_offer(asset_id, price=0, duration=DAY, terms_hash=TERMS)
    lic.set_offer(asset_id, price=PRICE, duration=30 * DAY, terms_hash=TERMS, terms_uri="ipfs://terms")
    offer = lic.offer(asset_id)
    assert (offer.price, offer.duration, offer.active) == (PRICE, 30 * DAY, True)
    wrong = revert("LicenseWrongPayment", lic.buy, asset_id, price=PRICE - 1, sender=buyer)
    assert wrong.args_by_name == {"price": PRICE, "paid": PRICE - 1}
    before = balance(rights_conn, buyer)
    license_id, receipt = lic.buy(asset_id, sender=buyer)
    print(f"\ngas LicenseToken.buy (issue + split among 3): {receipt['gasUsed']:,}")
    assert balance(rights_conn, buyer) == before - PRICE - fee(receipt)
    record = lic.license(license_id)
    block_time = int(rights_conn.w3.eth.get_block(receipt["blockNumber"])["timestamp"])
    assert (record.holder, record.price, record.expires_at) == (buyer, PRICE, block_time + 30 * DAY)
    expected = split_amount(PRICE, [5000, 3000, 2000])
    assert [rights.splitter.owed(x) for x in a[1:4]] == expected
    for who, owed in zip(a[1:4], expected, strict=True):
        start = balance(rights_conn, who)
        _, receipt = rights.splitter.withdraw(sender=who)
        assert balance(rights_conn, who) == start + owed - fee(receipt)
    assert balance(rights_conn, lic.address) == 0 and balance(rights_conn, rights.splitter.address) == 0
    lic.withdraw_offer(asset_id)
    revert("LicenseNoOffer", lic.buy, asset_id, price=PRICE, sender=buyer)
    revert("LicenseNoOffer", lic.withdraw_offer, asset_id)
    assert lic.is_valid(license_id)  # licences sold stay valid


def test_licences_move_like_erc721_tokens(
    rights_conn: ChainConnection, rights_deploy: Callable[[], RightsContracts], rights_compiled: dict[str, CompiledContract]
) -> None:
    rights = rights_deploy()
    a = rights_conn.accounts
    asset_id = _setup(rights_conn, rights)
    lic = rights.licenses
    license_id, _ = lic.issue(asset_id, a[5], now(rights_conn) + DAY, TERMS)
    c = lic.contract
    assert c.call("supportsInterface", bytes.fromhex("80ac58cd")) and not c.call("supportsInterface", b"\xff" * 4)
    revert("LicenseNotAuthorized", c.transact, "transferFrom", a[5], a[6], license_id, sender=a[6])
    revert("LicenseWrongFrom", c.transact, "transferFrom", a[6], a[7], license_id, sender=a[5])
    revert("LicenseZeroAddress", c.transact, "transferFrom", a[5], "0x" + "00" * 20, license_id, sender=a[5])
    revert("LicenseNotAuthorized", c.transact, "approve", a[6], license_id, sender=a[6])
    revert("LicenseZeroAddress", c.call, "balanceOf", "0x" + "00" * 20)
    lic.transfer(license_id, a[6], sender=a[5])
    assert lic.owner_of(license_id) == a[6] and lic.balance_of(a[5]) == 0
    c.transact("approve", a[7], license_id, sender=a[6])
    assert c.call("getApproved", license_id) == a[7]
    c.transact("transferFrom", a[6], a[8], license_id, sender=a[7])
    assert lic.owner_of(license_id) == a[8] and c.call("getApproved", license_id) == "0x" + "00" * 20
    c.transact("setApprovalForAll", a[7], True, sender=a[8])
    assert c.call("isApprovedForAll", a[8], a[7])
    c.transact("transferFrom", a[8], a[9], license_id, sender=a[7])
    # safeTransferFrom to a contract without onERC721Received is refused.
    token = deploy(rights_conn, rights_compiled["RightsTestToken"])
    revert("LicenseUnsafeRecipient", c.transact, "safeTransferFrom", a[9], token.address, license_id, sender=a[9])
    c.transact("safeTransferFrom", a[9], a[5], license_id, sender=a[9])
    assert lic.owner_of(license_id) == a[5]
    revert("LicenseUnknown", lic.owner_of, 99)
