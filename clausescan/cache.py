"""A content-addressed cache on disk: entries are JSON, written atomically, and an entry that
cannot be parsed is ignored (and later overwritten), never trusted."""
from __future__ import annotations

import gc
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "clausescan"


class Cache:
    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root else default_cache_dir()

    @classmethod
    def of(cls, cache) -> Cache | None:
        """The cache a caller means: True the default one (the command line's), a folder that
        folder, a Cache itself, None or False none."""
        if cache is None or cache is False:
            return None
        if cache is True:
            return cls()
        return cache if isinstance(cache, Cache) else cls(cache)

    def _path(self, namespace: str, key: str) -> Path:
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.root / namespace / digest[:2] / f"{digest}.json"

    def has(self, namespace: str, key: str) -> bool:
        """Whether an entry is stored (not whether it can be read back)."""
        return self._path(namespace, key).exists()

    def get(self, namespace: str, key: str):
        path = self._path(namespace, key)
        try:
            entry = _loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        return entry.get("value")

    def put(self, namespace: str, key: str, value) -> None:
        path = self._path(namespace, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps({"key": key, "value": value}))   # dumps, not dump: only it uses the C encoder
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def key(*parts) -> str:
    """A cache key from what the entry depends on: content hashes, modes, versions."""
    return ":".join(map(str, parts))


@dataclass(frozen=True)
class Kept(Generic[T]):
    """One kind of value kept in the cache, in its own namespace: how it is written (`write`, to
    JSON) and read back (`read`, given the entry and the caller's extra arguments). An entry that
    `read` cannot take (of another version, or damaged: it raises, or gives None) is never
    trusted: the value is made again and the entry overwritten."""
    namespace: str
    write: Callable[[T], Any]
    read: Callable[..., T | None]

    def get(self, cache: Cache | None, parts: tuple, *args) -> T | None:
        entry = cache.get(self.namespace, key(*parts)) if cache is not None else None
        if entry is None:
            return None
        try:
            return self.read(entry, *args)
        except (TypeError, KeyError, ValueError, AttributeError):
            return None

    def put(self, cache: Cache | None, parts: tuple, value: T) -> None:
        if cache is not None:
            cache.put(self.namespace, key(*parts), self.write(value))

    def through(self, cache: Cache | None, parts: tuple, make: Callable[[], T], *args,
                keep: Callable[[T], bool] = lambda value: True) -> T:
        """The kept value, or `make()`, then kept if `keep` says so."""
        value = self.get(cache, parts, *args)
        if value is None:
            value = make()
            if keep(value):
                self.put(cache, parts, value)
        return value


@contextmanager
def collector_paused():
    """The cyclic garbage collector paused: decoding a large entry, or building objects from one,
    makes many containers, none of them cyclic, and each collection that triggers walks every
    object in the process again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _loads(text: str):
    with collector_paused():
        return json.loads(text)
