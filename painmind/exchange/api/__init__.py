"""The exchange app's part of /api/v1: one sub-router per topic, added to `router`."""

from __future__ import annotations

from ninja import Router

from painmind.exchange.api import fhir
from painmind.exchange.own_data.api import router as own_data_router
from painmind.exchange.report.api import router as report_router
from painmind.exchange.research.api import router as research_router

router = Router(tags=["exchange"])
router.add_router("", fhir.router)
router.add_router("/", research_router)
router.add_router("/", own_data_router)
router.add_router("/", report_router)
