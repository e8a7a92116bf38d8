"""The exchange app's part of /api/v1: one sub-router per topic, added to `router`."""

from __future__ import annotations

from ninja import Router

from painmind.exchange.report.api import router as report_router

router = Router(tags=["exchange"])
router.add_router("/", report_router)
