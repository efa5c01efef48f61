"""Licences for ML assets: the ``LicenseToken`` client (ERC-721 licences with terms).

The asset's owner issues licences directly (:meth:`LicenseTokenClient.issue`) or posts an offer
that anyone can buy (:meth:`~LicenseTokenClient.set_offer`, :meth:`~LicenseTokenClient.buy`): the
price goes, in the same transaction, to the asset's contributors through the ``RevenueSplitter``.
The owner can revoke any licence of its asset; a licence is valid while it is not revoked and has
not expired.

Example:
    >>> licenses.set_offer(asset_id, price=10**16, duration=30 * 86400, terms_hash=h, terms_uri="ipfs://terms")  # doctest: +SKIP
    >>> license_id, receipt = licenses.buy(asset_id, sender=buyer)                                              # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zkgov.chain.args import address_arg
from zkgov.chain.contracts import DeployedContract
from zkgov.rights._common import Receipt, bytes32_arg, events, uint_arg

__all__ = ["LicenseOffer", "LicenseRecord", "LicenseTokenClient"]


@dataclass(frozen=True, slots=True)
class LicenseRecord:
    """A licence as the token stores it, with its current holder.

    Attributes:
        license_id: its id (from 1).
        asset_id: the asset licensed.
        holder: the token's current owner.
        issued_at: when it was issued (Unix seconds).
        expires_at: when it stops being valid.
        revoked: whether the asset's owner revoked it.
        price: what was paid for it, in wei (0: issued by the owner).
        terms_hash: the hash of its terms.
        terms_uri: where its terms can be read.
    """

    license_id: int
    asset_id: int
    holder: str
    issued_at: int
    expires_at: int
    revoked: bool
    price: int
    terms_hash: bytes
    terms_uri: str

    def valid_at(self, timestamp: int) -> bool:
        """Whether it is valid at ``timestamp`` (as ``LicenseToken.isValid`` decides at block time)."""
        return not self.revoked and timestamp < self.expires_at

    def to_json(self) -> dict[str, object]:
        return {
            "licenseId": self.license_id,
            "assetId": self.asset_id,
            "holder": self.holder,
            "issuedAt": self.issued_at,
            "expiresAt": self.expires_at,
            "revoked": self.revoked,
            "price": str(self.price),
            "termsHash": "0x" + self.terms_hash.hex(),
            "termsURI": self.terms_uri,
        }


@dataclass(frozen=True, slots=True)
class LicenseOffer:
    """An asset owner's standing offer (``active`` False: none, or withdrawn)."""

    asset_id: int
    price: int
    duration: int
    active: bool
    terms_hash: bytes
    terms_uri: str


class LicenseTokenClient:
    """Python side of a deployed ``LicenseToken``.

    Args:
        contract: the deployed token.
        error_abis: ABIs whose errors its calls bubble up (the registry's and the splitter's).
    """

    def __init__(self, contract: DeployedContract, *, error_abis: Sequence[Sequence[Mapping[str, Any]]] = ()) -> None:
        self.contract = contract.with_errors(*error_abis)

    @property
    def address(self) -> str:
        return self.contract.address

    def issue(
        self,
        asset_id: int,
        licensee: str,
        expires_at: int,
        terms_hash: bytes | str,
        terms_uri: str = "",
        *,
        sender: str | None = None,
    ) -> tuple[int, Receipt]:
        """Issue a licence without payment (the asset's owner only); returns its id and the receipt."""
        receipt = self.contract.transact(
            "issue",
            uint_arg(asset_id, "asset_id"),
            address_arg(licensee, "licensee"),
            uint_arg(expires_at, "expires_at", 64),
            bytes32_arg(terms_hash, "terms_hash"),
            str(terms_uri),
            sender=sender,
        )
        return self._issued(receipt), receipt

    def set_offer(
        self,
        asset_id: int,
        *,
        price: int,
        duration: int,
        terms_hash: bytes | str,
        terms_uri: str = "",
        sender: str | None = None,
    ) -> Receipt:
        """Post or replace the asset's offer (the asset's owner only)."""
        return self.contract.transact(
            "setOffer",
            uint_arg(asset_id, "asset_id"),
            uint_arg(price, "price", positive=True),
            uint_arg(duration, "duration", 64, positive=True),
            bytes32_arg(terms_hash, "terms_hash"),
            str(terms_uri),
            sender=sender,
        )

    def withdraw_offer(self, asset_id: int, *, sender: str | None = None) -> Receipt:
        """Withdraw the asset's offer (the asset's owner only)."""
        return self.contract.transact("withdrawOffer", uint_arg(asset_id, "asset_id"), sender=sender)

    def offer(self, asset_id: int) -> LicenseOffer:
        price, duration, active, terms_hash, terms_uri = self.contract.call("offers", uint_arg(asset_id, "asset_id"))
        return LicenseOffer(asset_id, int(price), int(duration), bool(active), bytes(terms_hash), str(terms_uri))

    def buy(self, asset_id: int, *, price: int | None = None, sender: str | None = None) -> tuple[int, Receipt]:
        """Buy a licence on the asset's offer, paying ``price`` (default: the offer's price now).

        Raises:
            ContractRevertError: no offer (``LicenseNoOffer``), another price (``LicenseWrongPayment``).
        """
        asset_id = uint_arg(asset_id, "asset_id")
        value = self.offer(asset_id).price if price is None else uint_arg(price, "price")
        receipt = self.contract.transact("buy", asset_id, value=value, sender=sender)
        return self._issued(receipt), receipt

    def revoke(self, license_id: int, *, sender: str | None = None) -> Receipt:
        """Revoke a licence (the owner of its asset only)."""
        return self.contract.transact("revoke", uint_arg(license_id, "license_id"), sender=sender)

    def is_valid(self, license_id: int) -> bool:
        return bool(self.contract.call("isValid", uint_arg(license_id, "license_id")))

    def license(self, license_id: int) -> LicenseRecord:
        """The licence's record (reverts ``LicenseUnknown`` for an unknown id)."""
        license_id = uint_arg(license_id, "license_id")
        asset_id, issued_at, expires_at, revoked, price, terms_hash, terms_uri = self.contract.call(
            "license", license_id
        )
        return LicenseRecord(
            license_id,
            int(asset_id),
            self.owner_of(license_id),
            int(issued_at),
            int(expires_at),
            bool(revoked),
            int(price),
            bytes(terms_hash),
            str(terms_uri),
        )

    def owner_of(self, license_id: int) -> str:
        return str(self.contract.call("ownerOf", uint_arg(license_id, "license_id")))

    def balance_of(self, owner: str) -> int:
        return int(self.contract.call("balanceOf", address_arg(owner, "owner")))

    def total_supply(self) -> int:
        return int(self.contract.call("totalSupply"))

    def transfer(self, license_id: int, to: str, *, sender: str) -> Receipt:
        """Move a licence from ``sender`` (its holder) to ``to``."""
        return self.contract.transact(
            "transferFrom", address_arg(sender, "sender"), address_arg(to, "to"), uint_arg(license_id, "license_id"),
            sender=sender,
        )

    def _issued(self, receipt: Receipt) -> int:
        (event,) = events(self.contract, receipt, "LicenseIssued")
        return int(event["licenseId"])
