"""Production serves the panel from `config.wsgi`, which freezes the loaded app out of the cyclic
garbage collector (docs/panel.md). Checked in a fresh interpreter, as a gunicorn worker loads it,
so this test process's own collector is left alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

CHECK = """
import gc
import sys
print(gc.get_freeze_count())
import config.wsgi
frozen = gc.get_freeze_count()
from painmind.ops.management.commands.serve import _Gunicorn
loaded = _Gunicorn({"bind": "127.0.0.1:0"}).load()
print(frozen, loaded is config.wsgi.application, "painmind.care.views.panel" in sys.modules)
"""


@pytest.mark.slow
def test_wsgi_module_freezes_the_app_and_serve_loads_it():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", CHECK],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(settings.BASE_DIR),
        env=env,
        timeout=120,
    ).stdout.split()
    before, frozen, same_app, views_loaded = out
    assert before == "0"  # nothing frozen before the WSGI module is imported
    assert int(frozen) > 10_000  # Django, the settings, the URLs and the views: tens of thousands of objects
    assert same_app == "True"  # `painmind serve` hands gunicorn that very application
    assert views_loaded == "True"  # the URL configuration (and the panel view) was imported before the freeze
