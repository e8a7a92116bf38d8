"""Settings of the floor project (`DJANGO_SETTINGS_MODULE=benchmarks.floor.settings`).

The database comes from FLOOR_DATABASE_URL (default: a SQLite file in FLOOR_DATA_DIR), set up
as config/settings.py sets up PainMind's: on SQLite WAL, the same PRAGMAs, IMMEDIATE
transactions, a busy timeout and a connection per request; on PostgreSQL the same
connection lifetime (60 s).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("FLOOR_DATA_DIR", str(BASE_DIR / "var" / "floor"))).resolve()

SECRET_KEY = "floor-benchmark-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = ["benchmarks.floor"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "benchmarks.floor.urls"
WSGI_APPLICATION = "benchmarks.floor.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("FLOOR_DATABASE_URL", f"sqlite:///{DATA_DIR / 'floor.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
