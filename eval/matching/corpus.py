"""Benign images for the matching evaluation: reference photos, photos scikit-image ships, drawn scenes.

The "banked" set stands in for a platform's bank of known images; the "unrelated" set holds a few
hundred images that never went into a bank, to count false matches. All of it is benign: landscape,
object and test photos, and pictures the code draws from a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

BANKED_SKIMAGE = ("astronaut", "chelsea", "coffee", "rocket", "camera", "motorcycle_left", "hubble_deep_field", "retina")
UNRELATED_SKIMAGE = (
    "coins", "brick", "grass", "gravel", "moon", "page", "text", "immunohistochemistry", "cell",
    "clock", "microaneurysms", "colorwheel", "horse", "logo", "shepp_logan_phantom", "checkerboard",
)
BACKGROUND_SKIMAGE = ("brick", "grass", "gravel", "coins", "moon", "clock", "horse", "immunohistochemistry", "cell",
                      "colorwheel")
"""Unrelated photos that also serve as busy backgrounds for pictures pasted over them."""


@dataclass
class Sample:
    name: str
    image: Image.Image


def reference_media_dir() -> Path:
    """The tests' own lookup (so both agree); without the reference media the eval cannot run."""
    from tests.conftest import reference_media_dir as tests_lookup

    path = tests_lookup()
    if not path.is_dir():
        raise SystemExit("reference media not found; set CHILDSAFE_REFERENCE_MEDIA")
    return path


def _rgb(img: Image.Image, max_side: int = 1024) -> Image.Image:
    img = img.convert("RGB")
    if max(img.size) > max_side:
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return img


def _skimage(names: tuple[str, ...]) -> list[Sample]:
    """Photos bundled inside scikit-image's wheel (no download); a name that needs fetching is skipped."""
    try:
        from skimage import data
    except ImportError:
        return []
    out = []
    for name in names:
        try:
            arr = getattr(data, name)()
        except Exception:  # noqa: BLE001 - a photo that is not bundled needs the network: skip it
            continue
        arr = np.asarray(arr)
        if arr.dtype == bool:
            arr = arr.astype(np.uint8) * 255
        if arr.dtype != np.uint8:
            arr = (255 * (arr.astype(float) - arr.min()) / max(1e-9, float(arr.max() - arr.min()))).astype(np.uint8)
        out.append(Sample(f"skimage:{name}", _rgb(Image.fromarray(arr))))
    return out


WORDS = "hello there see you soon lunch park bridge river train ticket weather sunny rain map bus tea".split()
NAMES = "Ada Bo Cleo Dev Eli Fen Gus Hana".split()  # made-up first names for drawn chat bubbles


def drawn_scene(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A seeded picture of gradients, shapes and words: varied enough for PDQ, benign by construction."""
    rng = random.Random(seed)
    w, h = size
    a = np.linspace(0, 1, w)[None, :, None] * np.array([rng.random() for _ in range(3)]) * 255
    b = np.linspace(0, 1, h)[:, None, None] * np.array([rng.random() for _ in range(3)]) * 255
    base = np.clip((a + b) / 2 + rng.randint(0, 60), 0, 255).astype(np.uint8)
    img = Image.fromarray(np.broadcast_to(base, (h, w, 3)).copy())
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(6, 16)):
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        x0, y0 = rng.randint(-50, w), rng.randint(-50, h)
        x1, y1 = x0 + rng.randint(20, w // 2), y0 + rng.randint(20, h // 2)
        shape = rng.choice(("ellipse", "rectangle", "polygon", "line"))
        if shape == "ellipse":
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        elif shape == "rectangle":
            draw.rectangle((x0, y0, x1, y1), fill=colour)
        elif shape == "polygon":
            draw.polygon([(rng.randint(0, w), rng.randint(0, h)) for _ in range(rng.randint(3, 6))], fill=colour)
        else:
            draw.line((x0, y0, x1, y1), fill=colour, width=rng.randint(2, 12))
    for _ in range(rng.randint(1, 4)):
        draw.text((rng.randint(0, w - 100), rng.randint(0, h - 20)), " ".join(rng.choices(WORDS, k=3)),
                  fill=tuple(rng.randint(0, 255) for _ in range(3)))
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0, 1.5)))
    noise = np.random.default_rng(seed).normal(0, 6, (h, w, 3))
    return Image.fromarray(np.clip(np.asarray(img, dtype=float) + noise, 0, 255).astype(np.uint8))


def flat_page_drawing(seed: int) -> Image.Image:
    """Shapes drawn on a page of one flat colour (a logo, a sticker, a diagram): the page's edge is
    as flat as any bar, so a border beside it is told from it only by where each colour runs. Some
    shapes reach past the edge; every third page has a little noise."""
    rng = random.Random(seed)
    w, h = rng.choice(((320, 240), (256, 256), (400, 300), (240, 320), (480, 270)))
    img = Image.new("RGB", (w, h), tuple(rng.randint(0, 255) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(2, 7)):
        x0, y0 = rng.randint(-20, w - 40), rng.randint(-20, h - 40)
        box = (x0, y0, x0 + rng.randint(30, w // 2), y0 + rng.randint(30, h // 2))
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        rng.choice((draw.ellipse, draw.rectangle))(box, fill=colour)
    if seed % 3 == 0:
        noise = np.random.default_rng(seed).normal(0, 2, (h, w, 3))
        img = Image.fromarray(np.clip(np.asarray(img, dtype=float) + noise, 0, 255).astype(np.uint8))
    return img


def _tiles(sample: Sample) -> list[Sample]:
    """The four quadrants of a photo: four more unrelated pictures from one file."""
    w, h = sample.image.size
    if min(w, h) < 256:
        return []
    boxes = [(0, 0, w // 2, h // 2), (w // 2, 0, w, h // 2), (0, h // 2, w // 2, h), (w // 2, h // 2, w, h)]
    return [Sample(f"{sample.name}#q{i}", sample.image.crop(b)) for i, b in enumerate(boxes)]


def banked_images(drawn: int = 16) -> list[Sample]:
    ref = reference_media_dir() / "pdq"
    out = [Sample("ref:sample-b", _rgb(Image.open(ref / "sample-b.jpg")))]
    out += _skimage(BANKED_SKIMAGE)
    out += [Sample(f"drawn:{seed}", drawn_scene(seed)) for seed in range(drawn)]
    return out


def unrelated_images(drawn: int = 200) -> list[Sample]:
    ref = reference_media_dir() / "pdq" / "labelme-subset"
    photos = [Sample(f"labelme:{p.stem}", _rgb(Image.open(p))) for p in sorted(ref.glob("*.jpg"))]
    photos += _skimage(UNRELATED_SKIMAGE)
    out = list(photos)
    for photo in photos:
        out += _tiles(photo)
    out += [Sample(f"drawn:{seed}", drawn_scene(seed)) for seed in range(10_000, 10_000 + drawn)]
    return out
