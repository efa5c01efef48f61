"""The holder's side: an identity with its credentials, stored in a wallet folder.

A wallet folder holds ``identity.json`` (an encrypted v3 keystore) and ``credentials/<uuid>.json``
(the W3C credentials, in clear: they name the holder's commitment but no secret). Credentials are
checked (signature, binding to this identity) when added and when loaded.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path

from zkgov.errors import InputError
from zkgov.identity.credential import Credential, issuer_leaf
from zkgov.identity.identity import Identity
from zkgov.identity.issuer import RevocationList, TrustedIssuers
from zkgov.identity.presentation import Presentation, present
from zkgov.identity.request import PresentationRequest
from zkgov.snark.setup import Groth16Keys

__all__ = ["Holder"]

IDENTITY_FILE = "identity.json"
CREDENTIALS_DIR = "credentials"


class Holder:
    """An identity and the credentials issued to it."""

    def __init__(self, identity: Identity, credentials: Iterable[Credential] = ()) -> None:
        self.identity = identity
        self._credentials: dict[str, Credential] = {}
        for credential in credentials:
            self.add(credential)

    @property
    def credentials(self) -> tuple[Credential, ...]:
        return tuple(self._credentials.values())

    def add(self, credential: Credential) -> None:
        """Keep a credential.

        Raises:
            InputError: it is bound to another identity, or one with the same id is held.
        """
        if credential.holder != self.identity.commitment:
            raise InputError(f"credential {credential.id} is bound to another identity's commitment")
        if credential.id in self._credentials:
            raise InputError(f"credential {credential.id} is already held")
        self._credentials[credential.id] = credential

    def matching(self, request: PresentationRequest, *, at: int | None = None) -> list[Credential]:
        """Held credentials that can answer ``request`` at time ``at`` (default: now)."""
        now = int(time.time()) if at is None else at
        found = []
        for credential in self._credentials.values():
            if credential.schema.hash != request.schema.hash or credential.is_expired(now):
                continue
            encoded = credential.encoded
            if all(p.holds(request.schema, encoded[request.schema.attribute(p.attribute)[0]]) for p in request.predicates):
                found.append(credential)
        return found

    def present(
        self,
        request: PresentationRequest,
        *,
        trusted: TrustedIssuers,
        revocations: RevocationList,
        credential: Credential | None = None,
        keys: Groth16Keys | None = None,
        timestamp: int | None = None,
        context: int | None = None,
    ) -> Presentation:
        """Answer ``request`` with ``credential``, or with the first held credential that can.

        Raises:
            InputError: no held credential of the requested schema satisfies the predicates (or
                the chosen one cannot; the reason is named).
        """
        now = int(time.time()) if timestamp is None else timestamp
        if credential is None:
            candidates = [
                c
                for c in self.matching(request, at=now)
                if trusted.tree.has(issuer_leaf(c.issuer_key)) and not revocations.is_revoked(c)
            ]
            if not candidates:
                raise InputError(
                    f"no held credential answers the request: need an unexpired, unrevoked {request.schema.name!r} "
                    "credential from a trusted issuer, "
                    f"credential satisfying {[p.to_json() for p in request.predicates]}"
                )
            credential = candidates[0]
        return present(
            self.identity,
            credential,
            request,
            trusted=trusted,
            revocations=revocations,
            keys=keys,
            timestamp=now,
            context=context,
        )

    # -- wallet folder -----------------------------------------------------------------------------

    def save(self, folder: str | Path, password: str) -> Path:
        """Write the wallet: the keystore (if absent) and every credential. Never overwrites a
        different identity's keystore.

        Raises:
            InputError: ``folder`` holds another identity.
        """
        root = Path(folder)
        keystore = root / IDENTITY_FILE
        if keystore.exists():
            if Identity.load(keystore, password).commitment != self.identity.commitment:
                raise InputError(f"{keystore} holds another identity")
        else:
            self.identity.save(keystore, password)
        (root / CREDENTIALS_DIR).mkdir(parents=True, exist_ok=True)
        for credential in self._credentials.values():
            name = credential.id.rsplit(":", 1)[-1] + ".json"
            (root / CREDENTIALS_DIR / name).write_text(json.dumps(credential.to_vc_json(), indent=2))
        return root

    @classmethod
    def load(cls, folder: str | Path, password: str) -> Holder:
        """Read a wallet folder written by :meth:`save`.

        Raises:
            InputError: no keystore, a wrong password, or a credential file that is malformed or
                not this identity's (the file is named).
        """
        root = Path(folder)
        keystore = root / IDENTITY_FILE
        if not keystore.is_file():
            raise InputError(f"{root}: no {IDENTITY_FILE} (create one with `zkgov identity new`)")
        holder = cls(Identity.load(keystore, password))
        for path in sorted((root / CREDENTIALS_DIR).glob("*.json")):
            try:
                holder.add(Credential.from_vc_json(json.loads(path.read_text())))
            except (InputError, json.JSONDecodeError) as exc:
                raise InputError(f"{path}: {exc}") from None
        return holder
