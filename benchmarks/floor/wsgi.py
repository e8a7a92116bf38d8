"""The floor's WSGI application, loaded as PainMind's `config.wsgi` is: Django set up, then `gc.freeze()`."""

from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.floor.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - imports the URL configuration now, to be frozen
gc.freeze()
