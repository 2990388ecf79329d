"""Benign media the media tests draw themselves: shapes, gradients and short clips of them."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Callable

import numpy as np
import pytest
from PIL import Image, ImageDraw

from eval.matching.video import write_clip


def draw_scene(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A picture of random coloured shapes on a gradient: plenty of structure for PDQ."""
    rng = random.Random(seed)
    w, h = size
    x = np.linspace(0, 1, w)[None, :]
    y = np.linspace(0, 1, h)[:, None]
    a, b = rng.uniform(-1, 1), rng.uniform(-1, 1)
    base = ((a * x + b * y + 2) / 4 * 255).astype(np.uint8)
    img = Image.fromarray(np.stack([base, np.flipud(base), np.fliplr(base)], axis=2), "RGB")
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x0, y0 = rng.randrange(w), rng.randrange(h)
        x1 = x0 + rng.randrange(max(1, w // 8), max(2, w // 2))
        y1 = y0 + rng.randrange(max(1, h // 8), max(2, h // 2))
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
        else:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
    return img


@pytest.fixture
def drawn_image() -> Callable[..., Image.Image]:
    return draw_scene


def scene_frames(seed: int, count: int, size: tuple[int, int] = (320, 240)) -> list[Image.Image]:
    """A clip that cuts between a few drawn scenes, each drifting slowly, so frames differ."""
    frames = []
    for i in range(count):
        scene = draw_scene(seed * 100 + i // 10, (size[0] + 40, size[1] + 40))
        off = i % 10 * 2
        frames.append(scene.crop((off, off, off + size[0], off + size[1])))
    return frames


@pytest.fixture
def make_clip() -> Callable[..., Path]:
    return write_clip


@pytest.fixture
def clip_frames() -> Callable[..., list[Image.Image]]:
    return scene_frames
