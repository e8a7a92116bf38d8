""" "Understanding the cycle": a few short pages (each under 300 words, phone first) on how
pain, mood, anxiety, sleep and activity feed each other, the four strategies, and what each
tool is for. Each page cites the clinical and analytics references by section."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from painmind.accounts.http import AuthedRequest

# slug → (title, template); the order is the reading order.
PAGES: dict[str, tuple[str, str]] = {
    "cycle": ("How pain, mood, sleep and activity feed each other", "selfcare/learn/cycle.html"),
    "strategies": ("Four ways to loosen the cycle", "selfcare/learn/strategies.html"),
    "tools": ("What each tool is for, and what to expect", "selfcare/learn/tools.html"),
}


@login_required
def learn(request: AuthedRequest) -> HttpResponse:
    """The section's contents page."""
    return render(request, "selfcare/learn/index.html", {"pages": [(s, t) for s, (t, _) in PAGES.items()]})


@login_required
def learn_page(request: AuthedRequest, slug: str) -> HttpResponse:
    if slug not in PAGES:
        raise Http404("No such page.")
    slugs = list(PAGES)
    i = slugs.index(slug)
    nxt = slugs[i + 1] if i + 1 < len(slugs) else None
    ctx = {"title": PAGES[slug][0], "next": (nxt, PAGES[nxt][0]) if nxt else None}
    return render(request, PAGES[slug][1], ctx)
