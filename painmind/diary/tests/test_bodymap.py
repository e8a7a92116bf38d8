"""The body map's geometry (diary/bodymap.py): every region's hit area is at least MIN_HIT units
each way, none overlaps another, and each lies inside its picture (the touch-target rule of
docs/patient.md, "Where it hurts"; the browser test measures the same at 360 px)."""

from __future__ import annotations

from itertools import combinations

import pytest

from painmind.core.body_regions import BODY_REGIONS
from painmind.diary.bodymap import ALL_OVER, FIGURE_WIDTH, HEIGHT, ORIGIN, SHAPES, Box, hit_boxes, pieces


def test_every_region_is_drawn_once():
    assert sorted([*SHAPES, ALL_OVER]) == sorted(BODY_REGIONS)


def test_pieces_of_each_kind_of_shape():
    # By hand: an ellipse's box is its centre ± radii, a leg path is a thigh and a shin.
    assert pieces('<ellipse cx="31" cy="172" rx="14" ry="14"') == [Box(17, 158, 28, 28)]
    assert pieces('<rect x="246" y="66" width="28" height="24" rx="4"') == [Box(246, 66, 28, 24)]
    assert pieces('<path d="M52 186h26v62h-26z M54 280h22v50h-22z"') == [Box(52, 186, 26, 62), Box(54, 280, 22, 50)]


def test_a_small_shape_grows_about_its_centre():
    # The neck, 28 × 24: grown to 28 × 28, 2 units up and 2 down.
    assert Box(246, 66, 28, 24).grown(28) == Box(246, 64, 28, 28)


@pytest.mark.parametrize("code", list(SHAPES))
def test_each_hit_area_is_at_least_28_units_and_inside_its_picture(code):
    figure = SHAPES[code][0]
    for box in hit_boxes(code):
        assert min(box.width, box.height) >= 28
        assert box.x >= ORIGIN[figure]
        assert box.x + box.width <= ORIGIN[figure] + FIGURE_WIDTH
        assert box.y >= 16  # below the "Front"/"Back" label
        assert box.y + box.height <= HEIGHT[figure]


def test_no_two_hit_areas_overlap():
    boxes = [(code, box) for code in SHAPES for box in hit_boxes(code)]
    clashes = [(a, b) for (a, box_a), (b, box_b) in combinations(boxes, 2) if box_a.overlaps(box_b)]
    assert clashes == []
