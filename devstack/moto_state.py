"""The emulator's state as bytes, and back: moto's backends pickled, with what pickle
cannot take by value handled here.

moto keeps every service's state in process-global ``BackendDict``s (account → region
→ backend object). ``capture`` pickles the region backends of the regions a deployment
used, all in one pickle so the objects they share stay shared; ``restore`` puts them
back into a freshly started emulator of this process. What pickle refuses as is:

- locks (``threading.Lock``/``RLock``, e.g. SQS's queues): a new, unlocked one: the
  capture happens between requests, so no lock is held;
- ``weakref.WeakValueDictionary`` (Lambda's by-ARN index): rebuilt from its items,
  which the backend also holds strongly (its functions and layers);
- ``defaultdict(lambda: {})`` (Lambda's aliases): ``defaultdict(dict)``;
- RSA private keys (Cognito's token signing key, KMS keys): their PEM;
- AWS's managed IAM policies (thousands, 4 MB per partition): not copied; moto loads
  them into every new IAM backend anyway (``MOTO_IAM_LOAD_MANAGED_POLICIES``), so the
  restored roles point at the new backend's own objects (with the attachment counts
  the deployment left).
"""

from __future__ import annotations

import io
import pickle
import sys
import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.core.base_backend import AccountSpecificBackend, BackendDict, BaseBackend
from moto.iam.models import AWSManagedPolicy, iam_backends
from moto.utilities.utils import get_partition

_RLOCK_TYPE = type(threading.RLock())
_LOCK_TYPE = type(threading.Lock())


class IncompatibleState(RuntimeError):
    """The bytes are not a state this moto can restore (another version, a bug)."""


@dataclass(frozen=True)
class _Backend:
    service: str
    account_id: str
    region: str
    backend: BaseBackend


def _weak_values(items: dict[Any, Any]) -> weakref.WeakValueDictionary[Any, Any]:
    return weakref.WeakValueDictionary(items)


def _private_key(pem: bytes) -> Any:
    return serialization.load_pem_private_key(pem, password=None)


def _is_local(function: Any) -> bool:
    return "<locals>" in getattr(function, "__qualname__", "")


def _default_dict(factory: type, items: dict[Any, Any]) -> defaultdict[Any, Any]:
    return defaultdict(factory, items)


def _empty_container_default(value: defaultdict[Any, Any]) -> Any:
    """``defaultdict(lambda: {})`` (Lambda's aliases) as ``defaultdict(dict)``: a lambda
    cannot be pickled, the type of the empty container it makes can."""
    assert value.default_factory is not None
    made = value.default_factory()
    if type(made) not in (dict, list, set) or made:
        raise pickle.PicklingError(f"a defaultdict whose factory makes {made!r} cannot be saved")
    return _default_dict, (type(made), dict(value))


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is _RLOCK_TYPE:
            return threading.RLock, ()
        if type(obj) is _LOCK_TYPE:
            return threading.Lock, ()
        if type(obj) is weakref.WeakValueDictionary:
            return _weak_values, (dict(obj.items()),)
        if type(obj) is defaultdict and _is_local(obj.default_factory):
            return _empty_container_default(obj)
        if isinstance(obj, rsa.RSAPrivateKey):
            pem = obj.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            return _private_key, (pem,)
        return NotImplemented

    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, AWSManagedPolicy):
            return ("aws-managed-policy", obj.account_id, obj.partition, obj.arn, obj.attachment_count)
        # A model that holds its service's registry (not its own backend) refers to the
        # process's, which stays where it is.
        if isinstance(obj, BackendDict):
            return ("backend-dict", obj.backend)
        if isinstance(obj, AccountSpecificBackend):
            return ("account-backends", obj.backend, obj.account_id)
        return None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> Any:
        kind, *rest = pid
        if kind == "aws-managed-policy":
            account_id, partition, arn, attachment_count = rest
            # The IAM backend moto creates on first use, with AWS's policies loaded.
            policy = iam_backends[account_id][partition].managed_policies[arn]
            policy.attachment_count = attachment_count
            return policy
        if kind == "backend-dict":
            return _registry_of(rest[0])
        if kind == "account-backends":
            return _registry_of(rest[0])[rest[1]]
        raise pickle.UnpicklingError(f"unknown persistent id {kind!r}")


def _registry_of(backend_class: type[BaseBackend]) -> BackendDict[Any]:
    """The process's ``BackendDict`` of a backend class: a global of its models module
    (``moto.cognitoidp.models.cognitoidp_backends``), whatever the service's name."""
    module = sys.modules[backend_class.__module__]
    for value in vars(module).values():
        if isinstance(value, BackendDict) and value.backend is backend_class:
            return value
    raise IncompatibleState(f"no registry of {backend_class.__qualname__} in {module.__name__}")


def capture(regions: set[str]) -> bytes:
    """Every region backend of ``regions`` (and of their partitions: global services such
    as IAM and S3 keep one per partition), of every service the emulator has used."""
    keys = regions | {get_partition(region) for region in regions}
    saved = [
        _Backend(registry.service_name, account_id, region, backend)
        for registry in list(BackendDict._instances)  # type: ignore[misc]
        for account_id, region, backend in registry.iter_backends()
        if region in keys
    ]
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(saved)
    return buffer.getvalue()


def restore(state: bytes) -> list[str]:
    """Put captured backends into this process's (freshly reset) emulator; the services
    restored. Raises ``IncompatibleState`` if the bytes cannot be loaded."""
    try:
        saved: list[_Backend] = _Unpickler(io.BytesIO(state)).load()
    except Exception as error:  # a class moved, an attribute renamed: another moto
        raise IncompatibleState(f"{type(error).__name__}: {error}") from error
    for item in saved:
        accounts = _registry_of(type(item.backend))[item.account_id]
        dict.__setitem__(accounts, item.region, item.backend)
    return sorted({item.service for item in saved})
