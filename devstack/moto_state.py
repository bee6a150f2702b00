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
- RSA private keys (Cognito's token signing key, KMS keys): their PEM, loaded back
  without the key check (slow: ~0.1 s a key), as they are the emulator's own.

AWS's managed IAM policies (1,600 in the partition's IAM backend) are saved with it:
3.7 MB more, but loading them back takes a tenth of the time moto takes to build them
from its JSON (0.4 s), as a new IAM backend would.
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
    return serialization.load_pem_private_key(pem, password=None, unsafe_skip_rsa_key_validation=True)


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


@dataclass(frozen=True)
class _Accounts:
    """An account's registry of one service, without its backends: its attributes
    (the regions moto lists for the service, which it works out from botocore's
    endpoint data, ~50 ms per service) restored as they were, not worked out again."""

    backend_class: type[BaseBackend]
    account_id: str
    shell: AccountSpecificBackend[Any]


@dataclass(frozen=True)
class _Registry:
    """What a service's registry keeps beside its accounts (S3's bucket → account index,
    which makes bucket names unique across accounts)."""

    backend_class: type[BaseBackend]
    attributes: dict[str, Any]


# A ``BackendDict``'s own attributes; a subclass's others are the service's state.
_REGISTRY_ATTRIBUTES = frozenset(vars(BackendDict(BaseBackend, "probe")))


def _registry_state(registry: BackendDict[Any]) -> _Registry:
    extra = {name: value for name, value in vars(registry).items() if name not in _REGISTRY_ATTRIBUTES}
    return _Registry(registry.backend, extra)


def _shell(accounts: AccountSpecificBackend[Any]) -> AccountSpecificBackend[Any]:
    shell: AccountSpecificBackend[Any] = AccountSpecificBackend.__new__(AccountSpecificBackend)
    shell.__dict__.update(accounts.__dict__)
    return shell


def capture(regions: set[str]) -> bytes:
    """Every region backend of ``regions`` (and of their partitions: global services such
    as IAM and S3 keep one per partition), of every service the emulator has used.
    Two pickles in one stream: the registries' own state and their accounts first, so
    that the backends' references to them find the restored ones."""
    keys = regions | {get_partition(region) for region in regions}
    registries = list(BackendDict._instances)  # type: ignore[misc]
    accounts = [
        _Accounts(registry.backend, account_id, _shell(dict.__getitem__(registry, account_id)))
        for registry in registries
        for account_id in dict.keys(registry)
    ]
    states = [_registry_state(registry) for registry in registries]
    saved = [
        _Backend(registry.service_name, account_id, region, backend)
        for registry in registries
        for account_id, region, backend in registry.iter_backends()
        if region in keys
    ]
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dump((states, accounts))
    pickler.dump(saved)
    return buffer.getvalue()


def restore(state: bytes) -> list[str]:
    """Put captured backends into this process's (freshly reset) emulator; the services
    restored. Raises ``IncompatibleState`` if the bytes cannot be loaded."""
    try:
        unpickler = _Unpickler(io.BytesIO(state))
        states: list[_Registry]
        accounts: list[_Accounts]
        states, accounts = unpickler.load()
        for registry_state in states:
            vars(_registry_of(registry_state.backend_class)).update(registry_state.attributes)
        for item in accounts:
            registry = _registry_of(item.backend_class)
            dict.__setitem__(registry, item.account_id, item.shell)
            if registry not in BackendDict._instances:  # type: ignore[misc]
                BackendDict._instances.append(registry)  # type: ignore[misc]  # what moto resets
        saved: list[_Backend] = unpickler.load()
    except Exception as error:  # a class moved, an attribute renamed: another moto
        raise IncompatibleState(f"{type(error).__name__}: {error}") from error
    for backend in saved:
        dict.__setitem__(
            _registry_of(type(backend.backend))[backend.account_id], backend.region, backend.backend
        )
    return sorted({item.service for item in saved})
