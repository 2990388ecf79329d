"""Undo the cheap edits people make to dodge a hash list: borders, frames inside frames, crops.

PDQ shrugs off re-encoding, resizing and colour changes, but a 2% crop on every side already moves a
hash by about 36 bits (the match threshold is 31), and a letterbox bar moves it by 140. So before
looking an image up we find where the picture really is (`trim_borders`, `find_regions`) and hash
that too; for banks built from originals we can hash a fixed set of crops (`CROPS`).

All boxes are ``(x0, y0, x1, y1)`` in pixels of the image given, x1/y1 exclusive. Detection runs on
a reduced copy (`working_copy`) so it costs a few milliseconds whatever the photo's size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

Box = tuple[int, int, int, int]

WORKING_SIDE = 512
"""Longest side of the reduced copy that borders and regions are found on."""

BORDER_TOLERANCE = 24
"""Largest per-channel difference from the border colour that still counts as border (JPEG noise)."""

BORDER_NOISE = 0.03
"""Share of a row or column that may differ from the border colour (specks, logos, JPEG ringing)."""

MIN_CONTENT = 8
"""A box thinner than this many pixels (in the reduced copy) is nothing left."""

MAX_TRIM_PASSES = 4
"""Nested frames: trim again inside what the last pass left, at most this many times."""


def working_copy(img: Image.Image, max_side: int = WORKING_SIDE) -> tuple[np.ndarray, int]:
    """A reduced RGB copy as a uint8 array, and the integer factor that maps it back.

    ``Image.reduce`` by a whole factor is a box filter: fast, and a pixel of the copy covers an exact
    block of the original, so boxes map back without drift.
    """
    if img.mode != "RGB":
        img = img.convert("RGB")
    factor = max(1, max(img.size) // max_side)
    small = img.reduce(factor) if factor > 1 else img
    return np.asarray(small, dtype=np.uint8), factor


def _to_original(box: Box, factor: int, size: tuple[int, int]) -> Box:
    width, height = size
    x0, y0, x1, y1 = box
    return (x0 * factor, y0 * factor, min(width, x1 * factor), min(height, y1 * factor))


def _near(a: np.ndarray, colour: np.ndarray, tolerance: int) -> np.ndarray:
    """Pixels within ``tolerance`` of a colour on every channel (range tests on uint8: no temporaries wider than bool)."""
    out = None
    for ch in range(3):
        c = int(colour[ch])
        plane = a[..., ch]
        ok = (plane >= max(0, c - tolerance)) & (plane <= min(255, c + tolerance))
        out = ok if out is None else out & ok
    return out


def _uniform_prefix(lines: np.ndarray, tolerance: int, noise: float, chunk: int = 4) -> int:
    """How many leading lines (axis 0) have the colour of the first line, allowing some noise.

    ``lines`` is (n, length, 3). The colour is the median of the outermost line, so a few noisy or
    logo pixels on it do not decide the colour. Lines are checked a chunk at a time, so a picture
    without a border costs one chunk a side.
    """
    n = lines.shape[0]
    if n == 0 or lines.shape[1] == 0:
        return 0
    # Judge each line by its middle: rounded corners of a bubble or a channel logo in a corner
    # should not hide the frame.
    end = lines.shape[1] // 10
    if end:
        lines = lines[:, end:-end]
    count = _prefix_of(lines, 0, tolerance, noise, chunk)
    if count <= 1 and n > 2:
        # The outermost line may be a blend of border and surroundings (resampling, JPEG).
        rest = _prefix_of(lines, 1, tolerance, noise, chunk)
        if rest >= 2:
            return 1 + rest
    return count


def _prefix_of(lines: np.ndarray, start: int, tolerance: int, noise: float, chunk: int) -> int:
    lines = lines[start:]
    n = lines.shape[0]
    first = lines[0]
    colour = np.sort(first, axis=0)[first.shape[0] // 2]  # per-channel median, cheaper than np.median
    done = 0
    while done < n:
        block = lines[done : done + chunk]
        close = _near(block, colour, tolerance)
        uniform = close.sum(axis=1) >= (1.0 - noise) * close.shape[1]
        if not uniform.all():
            return done + int(np.argmin(uniform))
        done += block.shape[0]
        chunk *= 2
    return n


def _trim_once(a: np.ndarray, box: Box, tolerance: int, noise: float) -> Box:
    x0, y0, x1, y1 = box
    top = _uniform_prefix(a[y0:y1, x0:x1], tolerance, noise)
    y0 += top
    if y1 - y0 < MIN_CONTENT:
        return (x0, y0, x1, y0)
    bottom = _uniform_prefix(a[y0:y1, x0:x1][::-1], tolerance, noise)
    y1 -= bottom
    if y1 - y0 < MIN_CONTENT:
        return (x0, y0, x1, y0)
    left = _uniform_prefix(a[y0:y1, x0:x1].transpose(1, 0, 2), tolerance, noise)
    x0 += left
    if x1 - x0 < MIN_CONTENT:
        return (x0, y0, x0, y1)
    right = _uniform_prefix(a[y0:y1, x0:x1].transpose(1, 0, 2)[::-1], tolerance, noise)
    x1 -= right
    return (x0, y0, x1, y1)


def trim_passes(
    a: np.ndarray,
    *,
    tolerance: int = BORDER_TOLERANCE,
    noise: float = BORDER_NOISE,
    max_passes: int = MAX_TRIM_PASSES,
) -> list[Box] | None:
    """The content box after each pass that changed something (empty: no border), None when nothing is left.

    Each pass is kept because a later one may cut into the picture (a uniform sky behind a frame
    looks like one more frame); the caller hashes the first and the last. Frames all the way in
    (nothing but solid colour inside) are nothing left.
    """
    height, width = a.shape[:2]
    if width < MIN_CONTENT or height < MIN_CONTENT:
        return None
    box: Box = (0, 0, width, height)
    boxes: list[Box] = []
    for _ in range(max_passes):
        new = _trim_once(a, box, tolerance, noise)
        if new[2] - new[0] < MIN_CONTENT or new[3] - new[1] < MIN_CONTENT:
            return None
        if new == box:
            break
        boxes.append(new)
        box = new
    return boxes


def trim_box(
    a: np.ndarray,
    *,
    tolerance: int = BORDER_TOLERANCE,
    noise: float = BORDER_NOISE,
    max_passes: int = MAX_TRIM_PASSES,
) -> Box | None:
    """`trim_borders` on an (h, w, 3) array: the content box, or None when nothing is left."""
    boxes = trim_passes(a, tolerance=tolerance, noise=noise, max_passes=max_passes)
    if boxes is None:
        return None
    return boxes[-1] if boxes else (0, 0, a.shape[1], a.shape[0])


def trim_borders(
    img: Image.Image,
    *,
    tolerance: int = BORDER_TOLERANCE,
    noise: float = BORDER_NOISE,
    max_passes: int = MAX_TRIM_PASSES,
    max_side: int = WORKING_SIDE,
) -> Box | None:
    """Where the picture is once uniform borders are cut away.

    Handles letterbox and pillarbox bars, padding and frames of any solid colour, each side with
    its own colour, and frames inside frames (up to ``max_passes``). Returns the full box when there
    is no border, and None when nothing is left (one colour throughout, a sliver of an image, a
    border that covers everything); never raises for an odd image.
    """
    a, factor = working_copy(img, max_side)
    box = trim_box(a, tolerance=tolerance, noise=noise, max_passes=max_passes)
    if box is None:
        return None
    return _to_original(box, factor, img.size)


# ---------------------------------------------------------------- frames inside frames

MAX_REGIONS = 8
MIN_REGION_SHARE = 0.02
"""A region smaller than this share of the image is an icon or a word, not a picture."""
MAX_REGION_SHARE = 0.92
"""A region this big is the image itself (its trimmed box is hashed already)."""
MIN_REGION_SIDE = 24
MAX_ASPECT = 5.0
MIN_FILL = 0.6
"""Share of a candidate's box that must differ from the background: pictures fill their box, text does not."""
BACKGROUND_SHARE = 0.08
"""A colour must cover this share of the image to be taken for a background."""
MAX_BACKGROUNDS = 3
BACKGROUND_RIM = 0.05
"""A background also shows on the image's outer edge in at least this share of the edge pixels."""
MAX_CANDIDATES = 64
"""Candidates kept for the finer checks, whatever the number of components (bounded time)."""


def _backgrounds(a: np.ndarray) -> list[np.ndarray]:
    """Colours that cover a large share of the image in one flat tone and reach its edge: page, app
    or collage backgrounds.

    Colours are bucketed 5 bits a channel (32 levels). A photo's sky spreads over many buckets, a
    drawn background sits in one.
    """
    sample = a[::2, ::2] >> 3
    keys = (sample[..., 0].astype(np.int32) << 10) | (sample[..., 1].astype(np.int32) << 5) | sample[..., 2]
    counts = np.bincount(keys.ravel(), minlength=1 << 15)
    total = keys.size
    rim = np.concatenate([keys[0], keys[-1], keys[:, 0], keys[:, -1]])
    rim_counts = np.bincount(rim, minlength=1 << 15)
    colours = []
    for _ in range(MAX_BACKGROUNDS * 2):
        key = int(np.argmax(counts))
        if counts[key] < BACKGROUND_SHARE * total or len(colours) == MAX_BACKGROUNDS:
            break
        counts[key] = 0
        if rim_counts[key] < BACKGROUND_RIM * rim.size:
            continue  # a dark photo inside a light page is not the page
        bucket = np.array([(key >> 10) & 31, (key >> 5) & 31, key & 31], dtype=np.int32)
        colours.append(bucket * 8 + 4)
    return colours


def _not_background(a: np.ndarray, backgrounds: list[np.ndarray], tolerance: int) -> np.ndarray:
    """Pixels that are none of the background colours, by a lookup in 5-bit-a-channel buckets
    (one pass over the image whatever the number of colours; the tolerance rounds up to whole buckets)."""
    reach = -(-tolerance // 8)
    lut = np.ones(1 << 15, dtype=bool)
    for colour in backgrounds:
        r, g, b = (int(c) >> 3 for c in colour)
        rs = np.arange(max(0, r - reach), min(31, r + reach) + 1)
        gs = np.arange(max(0, g - reach), min(31, g + reach) + 1)
        bs = np.arange(max(0, b - reach), min(31, b + reach) + 1)
        lut[((rs[:, None, None] << 10) | (gs[None, :, None] << 5) | bs[None, None, :]).ravel()] = False
    q = a >> 3
    keys = (q[..., 0].astype(np.int32) << 10) | (q[..., 1].astype(np.int32) << 5) | q[..., 2]
    return lut[keys]


def _iou(a: Box, b: Box) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def region_boxes(
    a: np.ndarray,
    *,
    max_regions: int = MAX_REGIONS,
    tolerance: int = BORDER_TOLERANCE,
    backgrounds: list[np.ndarray] | None = None,
) -> list[Box]:
    """`find_regions` on an (h, w, 3) array, boxes in the array's pixels.

    ``backgrounds`` may come from a larger image this array was cut from (the page around it).
    """
    height, width = a.shape[:2]
    if max_regions <= 0 or width < MIN_REGION_SIDE or height < MIN_REGION_SIDE:
        return []
    if backgrounds is None:
        backgrounds = _backgrounds(a)
    if not backgrounds:
        return []
    content = _not_background(a, backgrounds, tolerance)
    if content.mean() > 0.985:
        return []  # one picture fills it all (a letterboxed photo once its bars are gone)
    labels, count = ndimage.label(content, structure=np.ones((3, 3), dtype=bool))
    if count == 0:
        return []
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    sizes[0] = 0
    image_area = width * height
    big = np.flatnonzero(sizes >= MIN_REGION_SHARE * image_area * MIN_FILL)
    big = big[np.argsort(sizes[big])[::-1][:MAX_CANDIDATES]]
    slices = ndimage.find_objects(labels)
    scored: list[tuple[float, Box]] = []
    for label in big:
        rows, cols = slices[label - 1]
        box = (cols.start, rows.start, cols.stop, rows.stop)
        w, h = box[2] - box[0], box[3] - box[1]
        area = w * h
        if w < MIN_REGION_SIDE or h < MIN_REGION_SIDE:
            continue
        if not MIN_REGION_SHARE * image_area <= area <= MAX_REGION_SHARE * image_area:
            continue
        if max(w / h, h / w) > MAX_ASPECT:
            continue
        fill = sizes[label] / area
        if fill < MIN_FILL:
            continue
        scored.append((area * fill, box))
    scored.sort(key=lambda item: item[0], reverse=True)
    chosen: list[Box] = []
    for _, box in scored:
        if all(_iou(box, other) < 0.9 for other in chosen):
            chosen.append(box)
        if len(chosen) >= max_regions:
            break
    return chosen


def find_regions(
    img: Image.Image,
    *,
    max_regions: int = MAX_REGIONS,
    tolerance: int = BORDER_TOLERANCE,
    max_side: int = WORKING_SIDE,
) -> list[Box]:
    """Rectangles that stand out from a flat background: a photo in a chat screenshot, a collage tile.

    Background colours are those covering a large share of the image in one tone; every connected
    patch of other colours is a candidate, kept when it is big, not too thin and fills its box (a
    picture does, a line of text does not). Largest first, at most ``max_regions``; the work is one
    labelling pass plus at most ``MAX_CANDIDATES`` boxes, so thousands of specks cost no more.
    """
    a, factor = working_copy(img, max_side)
    return [_to_original(box, factor, img.size) for box in region_boxes(a, max_regions=max_regions, tolerance=tolerance)]


# ---------------------------------------------------------------- pictures pasted over a busy background

EDGE_STEP = 18
"""Luma difference across a line that counts as an edge."""
MAX_LINES = 16
"""Candidate rows and columns kept (the strongest), so a busy picture costs no more than a plain one."""
MIN_SIDE_SUPPORT = 0.6
"""Share of a box's side that must lie on an edge: picture and background agree here and there."""


def _luma(a: np.ndarray) -> np.ndarray:
    """Luma as int16 (about Rec. 601 weights), ready for differences."""
    return (a[..., 0] * np.int16(19) + a[..., 1] * np.int16(37) + a[..., 2] * np.int16(8)) >> 6


def _strongest(profile: np.ndarray, count: int) -> np.ndarray:
    """Indices of the ``count`` largest local maxima of a projection profile (neighbours within 2 dropped)."""
    order = np.argsort(profile)[::-1]
    taken: list[int] = []
    for i in order[: count * 6]:
        if profile[i] <= 0:
            break
        if all(abs(int(i) - t) > 2 for t in taken):
            taken.append(int(i))
        if len(taken) >= count:
            break
    return np.array(sorted(taken), dtype=np.int64)


def _find_edge_boxes(y: np.ndarray, max_regions: int) -> list[Box]:
    height, width = y.shape
    across_rows = np.abs(np.diff(y, axis=0)) >= EDGE_STEP  # [r, x]: a step between rows r and r+1
    across_cols = np.abs(np.diff(y, axis=1)) >= EDGE_STEP  # [r, x]: a step between columns x and x+1
    rows = _strongest(across_rows.sum(axis=1), MAX_LINES)
    cols = _strongest(across_cols.sum(axis=0), MAX_LINES)
    if len(rows) < 2 or len(cols) < 2:
        return []
    # Prefix sums along the candidate lines only, so any stretch of a side is counted in constant time.
    row_sums = np.zeros((len(rows), width), dtype=np.int32)
    np.cumsum(across_rows[rows, :-1], axis=1, out=row_sums[:, 1:])
    col_sums = np.zeros((len(cols), height), dtype=np.int32)
    np.cumsum(across_cols[:-1, cols].T, axis=1, out=col_sums[:, 1:])
    r0, r1 = np.triu_indices(len(rows), k=1)
    c0, c1 = np.triu_indices(len(cols), k=1)
    top, bottom = rows[r0][:, None], rows[r1][:, None]  # boundary after row `top` / `bottom`
    left, right = cols[c0][None, :], cols[c1][None, :]
    box_w, box_h = right - left, bottom - top
    # Stretches are inset by 2 pixels at each corner: corners are where sides blur together.
    x_from, x_to = np.minimum(left + 2, width - 1), np.maximum(right - 2, 0)
    y_from, y_to = np.minimum(top + 2, height - 1), np.maximum(bottom - 2, 0)
    span_x = np.maximum(box_w - 4, 1)
    span_y = np.maximum(box_h - 4, 1)
    support = np.minimum.reduce([
        (row_sums[r0[:, None], x_to] - row_sums[r0[:, None], x_from]) / span_x,
        (row_sums[r1[:, None], x_to] - row_sums[r1[:, None], x_from]) / span_x,
        (col_sums[c0[None, :], y_to] - col_sums[c0[None, :], y_from]) / span_y,
        (col_sums[c1[None, :], y_to] - col_sums[c1[None, :], y_from]) / span_y,
    ])
    area = box_w * box_h
    ok = (
        (support >= MIN_SIDE_SUPPORT)
        & (box_w >= MIN_REGION_SIDE // 2) & (box_h >= MIN_REGION_SIDE // 2)
        & (area >= MIN_REGION_SHARE * width * height) & (area <= MAX_REGION_SHARE * width * height)
        & (np.maximum(box_w / np.maximum(box_h, 1), box_h / np.maximum(box_w, 1)) <= MAX_ASPECT)
    )
    ri, ci = np.nonzero(ok)
    order = np.argsort((area * support)[ri, ci])[::-1]
    chosen: list[Box] = []
    for k in order:
        i, j = ri[k], ci[k]
        box = (int(left[0, j]) + 1, int(top[i, 0]) + 1, int(right[0, j]) + 1, int(bottom[i, 0]) + 1)
        if all(_iou(box, other) < 0.9 for other in chosen):
            chosen.append(box)
        if len(chosen) >= max_regions:
            break
    return chosen


def _refine_side(y: np.ndarray, guess: int, lo: int, hi: int, reach: int, horizontal: bool) -> int:
    """The boundary near ``guess`` (a row or column index where the picture starts) with the most
    edge along [lo, hi) of the other axis; ``y`` is the (h, w, 3) RGB copy."""
    limit = y.shape[0] if horizontal else y.shape[1]
    first, last = max(1, guess - reach), min(limit - 1, guess + reach)
    if last < first:
        return guess
    band = y[first - 1 : last + 1, lo:hi] if horizontal else y[lo:hi, first - 1 : last + 1].transpose(1, 0, 2)
    band = _luma(band.astype(np.int16))
    counts = (np.abs(np.diff(band, axis=0)) >= EDGE_STEP).sum(axis=1)
    return first + int(np.argmax(counts))


def edge_boxes(a: np.ndarray, *, max_regions: int = MAX_REGIONS) -> list[Box]:
    """Rectangles outlined by edges: a picture pasted over another (picture in picture).

    The rows and columns with the most luma steps across them are candidate sides (at most
    ``MAX_LINES`` each way); every box they make is scored by how much of each of its four sides lies
    on an edge (prefix sums: constant time a box), and boxes whose every side is mostly edge are kept.
    Found on a half-size copy, then each side is put back on the strongest edge nearby.
    """
    height, width = a.shape[:2]
    if max_regions <= 0 or width < 2 * MIN_REGION_SIDE or height < 2 * MIN_REGION_SIDE:
        return []
    step = 2 if max(height, width) > 400 else 1
    boxes = _find_edge_boxes(_luma(a[::step, ::step].astype(np.int16)), max_regions)
    y = a  # sides are refined on the full copy, a few lines at a time
    out = []
    for x0, y0, x1, y1 in boxes:
        x0, y0, x1, y1 = x0 * step, y0 * step, min(width, x1 * step), min(height, y1 * step)
        if step > 1:
            reach = step + 1
            y0 = _refine_side(y, y0, x0 + 2, x1 - 2, reach, True)
            y1 = _refine_side(y, y1, x0 + 2, x1 - 2, reach, True)
            x0 = _refine_side(y, x0, y0 + 2, y1 - 2, reach, False)
            x1 = _refine_side(y, x1, y0 + 2, y1 - 2, reach, False)
        if x1 - x0 >= MIN_REGION_SIDE and y1 - y0 >= MIN_REGION_SIDE:
            out.append((x0, y0, x1, y1))
    return out

# ---------------------------------------------------------------- crops for banks of originals


@dataclass(frozen=True)
class Crop:
    """A crop given as the share cut from each side, so it applies to any size."""

    label: str
    left: float = 0.0
    top: float = 0.0
    right: float = 0.0
    bottom: float = 0.0

    def box(self, width: int, height: int) -> Box:
        x0 = round(width * self.left)
        y0 = round(height * self.top)
        x1 = width - round(width * self.right)
        y1 = height - round(height * self.bottom)
        return (x0, y0, max(x0 + 1, x1), max(y0 + 1, y1))

    def to_dict(self) -> dict:
        return {"label": self.label, "left": self.left, "top": self.top, "right": self.right, "bottom": self.bottom}


def _crops() -> tuple[Crop, ...]:
    # PDQ keeps within the threshold for about 3% cut from one side or 1.5% from every side, so the
    # steps are 5% for one side and 3% a side for centre crops.
    crops = [Crop(f"centre{100 - 2 * p}", p / 100, p / 100, p / 100, p / 100) for p in (3, 6, 9, 12, 15)]
    for p in (5, 10, 15, 20):
        crops += [
            Crop(f"left{p}", left=p / 100),
            Crop(f"right{p}", right=p / 100),
            Crop(f"top{p}", top=p / 100),
            Crop(f"bottom{p}", bottom=p / 100),
        ]
    for keep in (90, 80):
        cut = (100 - keep) / 100
        crops += [
            Crop(f"corner_tl{keep}", right=cut, bottom=cut),
            Crop(f"corner_tr{keep}", left=cut, bottom=cut),
            Crop(f"corner_bl{keep}", right=cut, top=cut),
            Crop(f"corner_br{keep}", left=cut, top=cut),
        ]
    return tuple(crops)


CROPS: tuple[Crop, ...] = _crops()
"""The crops `bank add --crops` hashes besides the original (29): ``centre94`` cuts 3% from every side
(also 88, 82, 76, 70); ``left5`` cuts 5% from the left (also 10, 15, 20; right, top, bottom alike);
``corner_tl90`` keeps the top-left 90% by 90% (also 80; tr, bl, br alike)."""


def crop_images(img: Image.Image, crops: tuple[Crop, ...] = CROPS) -> list[tuple[Crop, Image.Image]]:
    """Each crop of the image, for hashing into a bank of originals."""
    width, height = img.size
    return [(crop, img.crop(crop.box(width, height))) for crop in crops]


# ---------------------------------------------------------------- what to hash besides the whole image


@dataclass(frozen=True)
class Picture:
    """A part of an image worth hashing on its own: the trimmed picture or a framed region.

    ``pixels`` come from the reduced copy (PDQ looks at 64x64 anyway, so hashing 512 pixels a side
    gives the same bits as hashing the full size, at a tenth of the cost); ``box`` is in pixels
    of the image given.
    """

    pixels: np.ndarray
    box: Box
    trimmed: bool


def pictures_within(
    img: Image.Image,
    *,
    trim: bool = True,
    regions: bool = True,
    max_regions: int = MAX_REGIONS,
    max_side: int = WORKING_SIDE,
) -> list[Picture]:
    """The trimmed picture (when a border was found) and up to ``max_regions`` framed regions.

    A region is hashed as found and, when its edge is a frame, trimmed too; up to a quarter of
    ``max_regions`` more come from outlines (`edge_boxes`), so at most ``2.25 * max_regions + 2``
    pictures. Near-duplicates (a region that is the trimmed box again, or the whole image) are left out, so
    every extra hash looks at something new.
    """
    if not (trim or regions):
        return []
    a, factor = working_copy(img, max_side)
    height, width = a.shape[:2]
    seen: list[Box] = [(0, 0, width, height)]
    found: list[Picture] = []

    def keep(box: Box, trimmed: bool) -> None:
        if any(_iou(box, other) >= 0.95 for other in seen):
            return
        seen.append(box)
        x0, y0, x1, y1 = box
        pixels = np.ascontiguousarray(a[y0:y1, x0:x1], dtype=np.uint8)
        found.append(Picture(pixels, _to_original(box, factor, img.size), trimmed))

    boxes = trim_passes(a)
    if boxes is None:
        return []  # one colour throughout, or frames all the way in: no picture to find
    if trim:
        for box in dict.fromkeys(boxes[:1] + boxes[-1:]):
            keep(box, True)
    if regions:
        # Look inside the first trim only: bars and margins are gone, so a letterboxed photo shows
        # no background and costs nothing more, and a screenshot keeps its page colour.
        # The page colours come from the whole image (its edge shows them), the labelling from inside.
        ox, oy, ex, ey = boxes[0] if boxes else (0, 0, width, height)
        page = _backgrounds(a)
        for bx0, by0, bx1, by1 in region_boxes(a[oy:ey, ox:ex], max_regions=max_regions, backgrounds=page):
            x0, y0, x1, y1 = bx0 + ox, by0 + oy, bx1 + ox, by1 + oy
            # A pasted picture often sits in a frame of its own (a chat bubble's edge): trim it too.
            # Both are hashed: the picture's own edge may be flat enough to look like a frame.
            keep((x0, y0, x1, y1), False)
            inner = trim_box(a[y0:y1, x0:x1], max_passes=1)
            if inner is not None:
                keep((x0 + inner[0], y0 + inner[1], x0 + inner[2], y0 + inner[3]), False)
        # Pictures pasted over a busy background have no page colour around them, only their outline.
        for bx0, by0, bx1, by1 in edge_boxes(a[oy:ey, ox:ex], max_regions=max(1, max_regions // 4)):
            keep((bx0 + ox, by0 + oy, bx1 + ox, by1 + oy), False)
    return found


def trim_frame(rgb: np.ndarray) -> np.ndarray | None:
    """A video frame (h, w, 3 uint8) with its bars cut away, or None when it has none (or is one
    colour throughout, as a fade to black is): then its plain hash stands for the trimmed one too.

    Borders are found on every second pixel when the frame is large, then cut from the full frame.
    """
    height, width = rgb.shape[:2]
    step = max(1, max(height, width) // WORKING_SIDE)
    small = rgb[::step, ::step]
    box = trim_box(small)
    if box is None or box == (0, 0, small.shape[1], small.shape[0]):
        return None
    x0, y0, x1, y1 = box
    return np.ascontiguousarray(rgb[y0 * step : min(height, y1 * step), x0 * step : min(width, x1 * step)])
