"""ML assets and their contributors' shares: the ``MLAssetRegistry`` client and its Python twins.

An asset (a model or a dataset) is its content hash, a metadata URI and an owner; its contributors
hold shares in basis points that sum to exactly :data:`TOTAL_BPS`. The order of the contributors
matters: the first one receives every rounding remainder (of a payment split, of a dilution).

Two rules cross languages; each has one Python function and one Solidity function:
:func:`validate_shares` (``MLAssetRegistry._validate``) and :func:`dilute_shares`
(``MLAssetRegistry._diluted``).

Example:
    >>> shares = (Share(alice, 5000), Share(bob, 3000), Share(carol, 2000))   # doctest: +SKIP
    >>> asset_id, _ = registry.register_asset(AssetKind.MODEL, weights_sha256, "ipfs://card", shares)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from zkgov.chain.args import address_arg
from zkgov.chain.contracts import DeployedContract
from zkgov.errors import InputError
from zkgov.rights._common import Receipt, bytes32_arg, events, uint_arg

__all__ = [
    "MAX_CONTRIBUTORS",
    "TOTAL_BPS",
    "AssetKind",
    "AssetRecord",
    "MLAssetRegistryClient",
    "Share",
    "dilute_shares",
    "shares_arg",
    "validate_shares",
]

#: Shares are basis points of this total (``MLAssetRegistry.TOTAL_BPS``).
TOTAL_BPS: Final = 10_000
#: The most contributors an owner may list (``MLAssetRegistry.MAX_CONTRIBUTORS``).
MAX_CONTRIBUTORS: Final = 32


class AssetKind(IntEnum):
    """``MLAssetRegistry.AssetKind``."""

    MODEL = 0
    DATASET = 1


@dataclass(frozen=True, slots=True)
class Share:
    """One contributor's share of an asset's revenue, in basis points."""

    account: str
    bps: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "account", address_arg(self.account, "share account"))
        uint_arg(self.bps, f"share of {self.account}", 16)


@dataclass(frozen=True, slots=True)
class AssetRecord:
    """An asset as the registry stores it.

    Attributes:
        asset_id: its id (from 1).
        owner: who may update it.
        kind: model or dataset.
        registered_at: the block time it was registered.
        version: counts every change of content, metadata or contributors (from 1).
        content_hash: the hash of its content.
        metadata_uri: its description.
        shares: its contributors, first one first.
    """

    asset_id: int
    owner: str
    kind: AssetKind
    registered_at: int
    version: int
    content_hash: bytes
    metadata_uri: str
    shares: tuple[Share, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "assetId": self.asset_id,
            "owner": self.owner,
            "kind": self.kind.name.lower(),
            "registeredAt": self.registered_at,
            "version": self.version,
            "contentHash": "0x" + self.content_hash.hex(),
            "metadataURI": self.metadata_uri,
            "contributors": [{"account": s.account, "bps": s.bps} for s in self.shares],
        }


def shares_arg(value: object, what: str = "shares") -> tuple[Share, ...]:
    """Shares from ``Share`` items, ``(account, bps)`` pairs, or an ordered ``{account: bps}`` mapping."""
    if isinstance(value, Mapping):
        items: list[object] = list(value.items())
    elif isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise InputError(f"{what}: expected a list of (account, basis points) or a mapping, got {value!r}")
    else:
        items = list(value)
    shares = []
    for k, item in enumerate(items):
        if isinstance(item, Share):
            shares.append(item)
        elif isinstance(item, tuple | list) and len(item) == 2:
            account = address_arg(item[0], f"{what}[{k}] account")
            shares.append(Share(account, uint_arg(item[1], f"{what}[{k}] basis points", 16)))
        else:
            raise InputError(f"{what}[{k}]: expected (account, basis points), got {item!r}")
    return tuple(shares)


def validate_shares(shares: object, what: str = "shares") -> tuple[Share, ...]:
    """The registry's rule for an owner-set list, checked before anything is sent.

    1..:data:`MAX_CONTRIBUTORS` distinct accounts, none the zero address, each share non-zero,
    summing to exactly :data:`TOTAL_BPS`.

    Raises:
        InputError: the rule is broken; the message names how (the sum, the duplicate...).

    Example:
        >>> validate_shares([("0x" + "11" * 20, 6000), ("0x" + "22" * 20, 3000)])
        Traceback (most recent call last):
        ...
        zkgov.errors.InputError: shares: sum to 9000 basis points, not 10000
    """
    checked = shares_arg(shares, what)
    if not checked:
        raise InputError(f"{what}: no contributors")
    if len(checked) > MAX_CONTRIBUTORS:
        raise InputError(f"{what}: {len(checked)} contributors, at most {MAX_CONTRIBUTORS}")
    seen: set[str] = set()
    for share in checked:
        if int(share.account, 16) == 0:
            raise InputError(f"{what}: the zero address cannot be a contributor")
        if share.bps == 0:
            raise InputError(f"{what}: {share.account} has a zero share")
        if share.account in seen:
            raise InputError(f"{what}: {share.account} appears twice")
        seen.add(share.account)
    total = sum(s.bps for s in checked)
    if total != TOTAL_BPS:
        raise InputError(f"{what}: sum to {total} basis points, not {TOTAL_BPS}")
    return checked


def dilute_shares(shares: Sequence[Share], newcomer: str, bps: int) -> tuple[Share, ...]:
    """The list ``MLAssetRegistry.dilute`` stores: every share scaled by ``(10000 - bps) / 10000``
    and rounded down, the remainder to the first contributor, later contributors whose share
    rounds to 0 dropped, then ``newcomer`` appended with ``bps`` (or added to its share if listed).

    Raises:
        InputError: ``bps`` is not in 1..9999, or ``newcomer`` is not an address.

    Example:
        >>> a, b = "0x" + "11" * 20, "0x" + "22" * 20
        >>> [s.bps for s in dilute_shares((Share(a, 5001), Share(b, 4999)), "0x" + "33" * 20, 2000)]
        [4001, 3999, 2000]
    """
    if isinstance(bps, bool) or not isinstance(bps, int) or not 0 < bps < TOTAL_BPS:
        raise InputError(f"bps: expected 1 .. {TOTAL_BPS - 1} basis points, got {bps!r}")
    newcomer = address_arg(newcomer, "newcomer")
    if not shares:
        raise InputError("shares: no contributors to dilute")
    keep = TOTAL_BPS - bps
    accounts: list[str] = []
    parts: list[int] = []
    for i, share in enumerate(shares):
        scaled = share.bps * keep // TOTAL_BPS
        if i == 0 or scaled > 0:
            accounts.append(share.account)
            parts.append(scaled)
    parts[0] += keep - sum(parts)
    if newcomer in accounts:
        parts[accounts.index(newcomer)] += bps
    else:
        accounts.append(newcomer)
        parts.append(bps)
    return tuple(Share(a, b) for a, b in zip(accounts, parts, strict=True))


class MLAssetRegistryClient:
    """Python side of a deployed ``MLAssetRegistry``."""

    def __init__(self, contract: DeployedContract) -> None:
        self.contract = contract

    @property
    def address(self) -> str:
        return self.contract.address

    def register_asset(
        self,
        kind: AssetKind | int | str,
        content_hash: bytes | str,
        metadata_uri: str,
        shares: object,
        *,
        sender: str | None = None,
    ) -> tuple[int, Receipt]:
        """Register an asset (the sender owns it); returns its id and the receipt.

        ``kind`` is an :class:`AssetKind`, its value, or ``"model"`` / ``"dataset"``.

        Raises:
            InputError: an argument is malformed or the shares break :func:`validate_shares`.
            ContractRevertError: the registry refused it.
        """
        checked = validate_shares(shares)
        receipt = self.contract.transact(
            "registerAsset",
            int(_kind(kind)),
            bytes32_arg(content_hash, "content_hash", nonzero=True),
            _text(metadata_uri, "metadata_uri"),
            [s.account for s in checked],
            [s.bps for s in checked],
            sender=sender,
        )
        (event,) = events(self.contract, receipt, "AssetRegistered")
        return int(event["assetId"]), receipt

    def update_asset(
        self, asset_id: int, content_hash: bytes | str, metadata_uri: str, *, sender: str | None = None
    ) -> Receipt:
        """Record a new content hash and metadata URI (the asset's owner only)."""
        return self.contract.transact(
            "updateAsset",
            uint_arg(asset_id, "asset_id"),
            bytes32_arg(content_hash, "content_hash", nonzero=True),
            _text(metadata_uri, "metadata_uri"),
            sender=sender,
        )

    def set_contributors(self, asset_id: int, shares: object, *, sender: str | None = None) -> Receipt:
        """Replace the contributors (the asset's owner only); later payments split by these."""
        checked = validate_shares(shares)
        return self.contract.transact(
            "setContributors",
            uint_arg(asset_id, "asset_id"),
            [s.account for s in checked],
            [s.bps for s in checked],
            sender=sender,
        )

    def dilute(self, asset_id: int, newcomer: str, bps: int, *, sender: str | None = None) -> Receipt:
        """Admit ``newcomer`` with ``bps``, scaling the others (the asset's owner only; see :func:`dilute_shares`)."""
        if isinstance(bps, bool) or not isinstance(bps, int) or not 0 < bps < TOTAL_BPS:
            raise InputError(f"bps: expected 1 .. {TOTAL_BPS - 1} basis points, got {bps!r}")
        return self.contract.transact(
            "dilute", uint_arg(asset_id, "asset_id"), address_arg(newcomer, "newcomer"), bps, sender=sender
        )

    def transfer_ownership(self, asset_id: int, new_owner: str, *, sender: str | None = None) -> Receipt:
        """Hand the asset to ``new_owner`` (the asset's owner only)."""
        return self.contract.transact(
            "transferAssetOwnership", uint_arg(asset_id, "asset_id"), address_arg(new_owner, "new_owner"), sender=sender
        )

    def asset_count(self) -> int:
        return int(self.contract.call("assetCount"))

    def owner_of(self, asset_id: int) -> str:
        """The asset's owner (reverts ``AssetUnknown`` for an unknown id)."""
        return str(self.contract.call("ownerOf", uint_arg(asset_id, "asset_id")))

    def shares(self, asset_id: int) -> tuple[Share, ...]:
        """The asset's contributors and shares, first one first."""
        accounts, bps = self.contract.call("contributorsOf", uint_arg(asset_id, "asset_id"))
        return tuple(Share(str(a), int(b)) for a, b in zip(accounts, bps, strict=True))

    def asset(self, asset_id: int) -> AssetRecord:
        """The asset's record with its shares (reverts ``AssetUnknown`` for an unknown id)."""
        owner, kind, registered_at, version, content_hash, uri = self.contract.call(
            "asset", uint_arg(asset_id, "asset_id")
        )
        return AssetRecord(
            asset_id,
            str(owner),
            AssetKind(int(kind)),
            int(registered_at),
            int(version),
            bytes(content_hash),
            str(uri),
            self.shares(asset_id),
        )


def _kind(kind: object) -> AssetKind:
    if isinstance(kind, str):
        try:
            return AssetKind[kind.upper()]
        except KeyError:
            raise InputError(f"kind: expected 'model' or 'dataset', got {kind!r}") from None
    if isinstance(kind, bool) or not isinstance(kind, int) or kind not in (0, 1):
        raise InputError(f"kind: expected AssetKind.MODEL or AssetKind.DATASET, got {kind!r}")
    return AssetKind(kind)


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{what}: expected a string, got {type(value).__name__}")
    return value
