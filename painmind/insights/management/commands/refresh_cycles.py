"""painmind refresh_cycles — recompute cached cycle analyses whose diary changed, then the site
priors every person's findings are shrunk toward (run it nightly)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from painmind.insights.actions import do_refresh_cycles
from painmind.insights.cohort import do_refresh_cohort_priors


class Command(BaseCommand):
    help = "Recompute every stale cycle analysis in one batched run; fresh ones are left alone."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--force", action="store_true", help="recompute every analysis")

    def handle(self, *args: Any, **opts: Any) -> None:
        n = do_refresh_cycles(force=opts["force"])
        self.stdout.write(f"Recomputed {n} cycle analys{'is' if n == 1 else 'es'}.")
        priors = do_refresh_cohort_priors()
        self.stdout.write(f"Site priors: {priors} finding{'' if priors == 1 else 's'} with enough consenting patients.")
