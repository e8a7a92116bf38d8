"""The WSGI application production runs (`painmind serve` loads it in each gunicorn worker).

After the app is loaded, `gc.freeze()` moves every object that exists by then (Django, the
settings, the URL configuration and every view module it imports) out of the cyclic garbage
collector's reach. They live as long as the process, so collecting them is wasted work, and
without the freeze a request that allocates a few thousand objects (the clinician panel for
1,000 patients) sets off full collections that walk all of them: +60-90 ms on a 150 ms page
(docs/panel.md, docs/benchmarks.md). Objects made after this point are collected as usual.
"""

from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - imports the URL configuration and the views now, to be frozen
gc.freeze()
