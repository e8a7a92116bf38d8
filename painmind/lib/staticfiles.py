"""The static-files storage: whitenoise's hashed, compressed files, gzip only.

whitenoise also writes a brotli (.br) copy of every file whenever the `brotli` module is
importable, at brotli's slowest setting. WeasyPrint (the one-page report) brings `brotli` in,
and with it `collectstatic` (which `painmind serve` runs at every start) went from 2.7 s to
38 s of CPU on the project's machine (user time measured with /usr/bin/time; docs/exchange.md). Gzip
only, as before WeasyPrint: browsers all take it, and the files are small.
"""

from __future__ import annotations

from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    def create_compressor(self, **kwargs: Any) -> Compressor:
        return Compressor(**{**kwargs, "use_brotli": False})
