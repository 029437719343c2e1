"""How a scan runs, as one value passed down to every stage and worker instead of loose arguments
and settings kept in module state or the environment."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from .cache import Cache
from .extract.ocr import OcrOptions
from .limits import DOCUMENT_MEMORY_MB, DOCUMENT_SECONDS
from .rules.loader import RuleLibrary


@dataclass(frozen=True)
class ScanOptions:
    rules: RuleLibrary | None = None        # None: the built-in rules
    ocr: str = "auto"                       # auto | always | never
    cache: Cache | None = None              # None: nothing is read from or written to a cache
    workers: int | None = None              # worker processes; None: one per core
    time_limit: float | None = DOCUMENT_SECONDS   # seconds per document (limits.py); None or 0: none
    memory_limit: int | None = DOCUMENT_MEMORY_MB   # MB per document; None or 0: none
    include: tuple[str, ...] = ()           # glob patterns of the files read under folders (inputs.py)
    exclude: tuple[str, ...] = ()
    dask: Any = None                        # a scheduler address or a distributed.Client (cluster.py)

    @property
    def reading(self) -> OcrOptions:
        """How each document's scanned pages are OCR'd: with documents read in parallel, the
        cores are shared between the workers' Tesseract processes."""
        workers = self.workers or 1
        return OcrOptions(self.ocr, max(1, (os.cpu_count() or 1) // workers) if workers > 1 else None)
