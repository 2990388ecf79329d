"""Undo the cheap edits people make to dodge a hash list: borders, frames inside frames, crops.

PDQ shrugs off re-encoding, resizing and colour changes, but a 2% crop on every side already moves a
hash by about 36 bits (the match threshold is 31), and a letterbox bar moves it by 140. So before
looking an image up we find where the picture really is (`trim_borders`, `find_regions`) and hash
that too; for banks built from originals we can hash a fixed set of crops (`CROPS`).

All boxes are ``(x0, y0, x1, y1)`` in pixels of the image given, x1/y1 exclusive. Detection runs on
a sampled copy (`working_copy`) so it costs a millisecond or two whatever the photo's size; what is
found is hashed from the image itself.
"""

from __future__ import annotations

import importlib
import math
import os
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, lru_cache
from typing import Callable, Iterator

import numpy as np
from PIL import Image

Box = tuple[int, int, int, int]


def _optional(name: str):
    """A compiled part of this module (setup.py builds each separately), or None: numpy/scipy then."""
    try:
        return importlib.import_module(f"childsafe.media.{name}")
    except ImportError:  # pragma: no cover - no C compiler at install time
        return None


_c_trim = _optional("_trim")  # border trimming, page colours
_c_outlines = _optional("_outlines")  # outlines of pictures pasted over a busy background
_c_components = _optional("_components")  # patches of non-page colour


NUMPY_ONLY = os.environ.get("CHILDSAFE_MEDIA_ENGINE", "") == "numpy"
"""CHILDSAFE_MEDIA_ENGINE=numpy, read when the module is imported: the numpy versions throughout (the
reference the compiled ones are tested against, and where the Python constants can be tried). A test
switches it by setting this. (Read at every call, the variable cost a microsecond a call, as much
as some of the compiled calls themselves.)"""


def _compiled(module, name: str):
    """The compiled function ``name``, or None (not built, or `NUMPY_ONLY`)."""
    if module is None or NUMPY_ONLY:
        return None
    return getattr(module, name, None)


def preload() -> None:
    """Import what a query imports only when it needs it (scipy's ndimage: a quarter of a second on
    first use, for a picture turned in its own frame), so that a service's first such upload does not
    pay for it."""
    from scipy import ndimage  # noqa: F401


def media_engine() -> str:
    """Which implementation finds borders, page colours and outlines: "compiled" or "numpy"."""
    names = ((_c_trim, "trim_passes"), (_c_trim, "backgrounds"), (_c_trim, "not_background"), (_c_trim, "blend_cuts"),
             (_c_trim, "floats_on_page"), (_c_trim, "near_counts"),
             (_c_outlines, "edge_boxes"), (_c_components, "components"), (_c_components, "largest"))
    return "compiled" if all(_compiled(m, n) for m, n in names) else "numpy"


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

PICTURE_SIDE = 384
"""A picture's own pixels (`Picture.pixels`, what a region's trimming looks at) are every k-th pixel of
the image, down to between this and twice this on the longer side. A picture is hashed from them only
when shorter than twice this in a reduced image (all its pixels then); otherwise
(`childsafe.media.queries`) from the image's luma, every pixel of it, as a bank hashed its original
(sampling that luma too moved a drawn scene's hash 16 to 24 bits)."""


SAME_AS_WHOLE = 0.995
"""A trimmed box overlapping the whole image this much (intersection over union) is left out: its
hash stands close to the image's own (a photo's dark rim of 8 pixels in 1,411: 18 bits), and a photo
with such a rim would otherwise cost a picture more on every lookup. A bar on one side of 3% or more
is kept: a bar of 5% is an overlap of 0.95, and a fine texture lies 50 bits or more from itself
under it."""


EXACTLY = 1.0
"""An overlap (intersection over union) that only a box kept already has."""


def working_copy(img: Image.Image, max_side: int = WORKING_SIDE) -> tuple[np.ndarray, int]:
    """A reduced RGB copy as a read-only uint8 array (a view of Pillow's own memory where it can be:
    `images.rgb_array`), and the integer factor that maps it back.

    Every ``factor``-th pixel each way (nearest neighbour over an exact multiple of the factor, so
    boxes map back without drift): a tenth of the cost of a box filter on a large photo, since it
    reads only the pixels it keeps. Borders and outlines are as sharp as in the original, flat areas
    as flat, and PDQ, which blurs down to 64x64, hashes such a copy within a few bits of the
    full-size picture (measured: the same drift as a box-filtered copy). A see-through image
    (`images.SEE_THROUGH`) is copied as shown over black (`images.over_black`).
    """
    from childsafe.media.images import SEE_THROUGH, over_black, rgb_array, rgb_sampled, see_through, to_rgb

    width, height = img.size
    factor = max(1, max(width, height) // max_side)
    a = None
    if factor > 1:
        w, h = max(1, width // factor), max(1, height // factor)
        if w * factor <= width and h * factor <= height:  # (not a sliver narrower than the factor)
            a = rgb_sampled(img, factor, (w, h))  # the same pixels, from Pillow's memory
        if a is None:
            a = rgb_array(to_rgb(img.resize((w, h), Image.Resampling.NEAREST, box=_sampled_box(img, factor, (w, h)))))
    else:
        a = rgb_array(to_rgb(img))
    if see_through(img):  # transparent padding is a border, whatever colours lie under it
        alpha = img.info[SEE_THROUGH]
        if factor > 1:
            alpha = alpha.resize((a.shape[1], a.shape[0]), Image.Resampling.NEAREST,
                                 box=_sampled_box(img, factor, (a.shape[1], a.shape[0])))
        a = over_black(a, np.asarray(alpha))
        a.flags.writeable = False
    return a, factor


def _sampled_box(img: Image.Image, factor: int, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The box whose nearest-neighbour resize to ``size`` takes every ``factor``-th pixel."""
    return (0, 0, min(img.width, size[0] * factor), min(img.height, size[1] * factor))


def _to_original(box: Box, factor: int, size: tuple[int, int]) -> Box:
    """A box in the working copy's pixels, in the image's (a box reaching the copy's far edge reaches
    the image's: the copy leaves out the last ``size % factor`` pixels)."""
    width, height = size
    x0, y0, x1, y1 = box
    x1 = width if x1 >= width // factor else x1 * factor
    y1 = height if y1 >= height // factor else y1 * factor
    return (x0 * factor, y0 * factor, x1, y1)


def _near(a: np.ndarray, colour: np.ndarray, tolerance: int) -> np.ndarray:
    """Pixels within ``tolerance`` of a colour on every channel (range tests on uint8: no temporaries wider than bool)."""
    out = None
    for ch in range(3):
        c = int(colour[ch])
        plane = a[..., ch]
        ok = (plane >= max(0, c - tolerance)) & (plane <= min(255, c + tolerance))
        out = ok if out is None else out & ok
    return out


BLEND_SKIP = 4
"""A band may start after this many lines of blend at most (`_uniform_prefix`): resampling blends one
line of a border into its surroundings; a chat bubble's frame on a half-size copy two (page and
frame in the first, the frame's JPEG-shifted colour in the second); JPEG's halved colour up to four
between two strong colours (a green frame's edge on magenta: four lines off both), which may make
a band of their own. A frame of one colour in a border of another, then JPEG 60-95 (225 copies of
the eval's originals and unrelated photos): 206 found with two lines, 215 with three, 219 with three
when a pass asks for its own colour after them, 221 with four (and five)."""


def _uniform_prefix(lines: np.ndarray, tolerance: int, noise: float, chunk: int = 4, *,
                    whole: bool = False, want: np.ndarray | None = None) -> tuple[int, np.ndarray | None]:
    """How many leading lines (axis 0) have the colour of the first line, allowing some noise, and
    that colour (None when there are no lines). With ``want`` (a trimming pass's colour), a band
    after lines of blend counts only in that colour.

    ``lines`` is (n, length, 3). The colour is the median of the outermost line, so a few noisy or
    logo pixels on it do not decide the colour. Lines are checked a chunk at a time, so a picture
    without a border costs one chunk a side. Each line is judged by its middle eight tenths, or
    with ``whole`` over its full length.
    """
    n = lines.shape[0]
    if n == 0 or lines.shape[1] == 0:
        return 0, None
    # Judge each line by its middle: rounded corners of a bubble or a channel logo in a corner
    # should not hide the frame.
    end = 0 if whole else lines.shape[1] // 10
    if end:
        lines = lines[:, end:-end]
    if lines.shape[1] > 320:
        lines = lines[:, ::2]  # every second pixel judges a long line as well, at half the work
    count, colour = _prefix_of(lines, 0, tolerance, noise, chunk)
    skip = 1
    while count <= 1 and skip <= BLEND_SKIP and n > skip + 1:
        # The outermost lines may be a blend of border and surroundings (`BLEND_SKIP`).
        rest, inner = _prefix_of(lines, skip, tolerance, noise, chunk)
        if rest >= 2 and (want is None or _channel_gap(inner, want) <= tolerance):
            return skip + rest, inner
        skip += 1  # (two lines of blend can make a band of their own, in neither colour)
    return count, colour


def _median_colour(line: np.ndarray) -> np.ndarray:
    """The per-channel median of a (length, 3) line of pixels (the upper of the two middle values of
    an even length; cheaper than np.median)."""
    planes = np.ascontiguousarray(line.T)  # (3, length)
    middle = planes.shape[1] // 2
    return np.partition(planes, middle, axis=1)[:, middle]


def _channel_gap(colour: np.ndarray, other: np.ndarray) -> int:
    """The largest difference on a channel between two colours."""
    return int(np.abs(colour.astype(np.int16) - other.astype(np.int16)).max())


def _prefix_of(lines: np.ndarray, start: int, tolerance: int, noise: float, chunk: int) -> tuple[int, np.ndarray]:
    lines = lines[start:]
    n = lines.shape[0]
    colour = _median_colour(lines[0])
    done = 0
    while done < n:
        block = lines[done : done + chunk]
        close = _near(block, colour, tolerance)
        uniform = close.sum(axis=1) >= (1.0 - noise) * close.shape[1]
        if not uniform.all():
            return done + int(np.argmin(uniform)), colour
        done += block.shape[0]
        chunk *= 2
    return n, colour


def _any_uniform_edge(a: np.ndarray, tolerance: int, noise: float) -> bool:
    """Whether the outermost or the next line of any side is one colour (judged as `_uniform_prefix`
    does: its middle, against its own median). When none is, no side has a border: one test for all
    eight lines instead of a scan per side, and most photos stop here."""
    height, width = a.shape[:2]
    ex, ey = width // 10, height // 10
    for lines in (a[[0, 1, height - 2, height - 1], ex : width - ex],
                  a[ey : height - ey, [0, 1, width - 2, width - 1]].transpose(1, 0, 2)):
        if lines.shape[1] == 0:
            return True
        if lines.shape[1] > 320:
            lines = lines[:, ::2]  # as `_uniform_prefix` judges a long line
        planes = np.ascontiguousarray(lines.transpose(0, 2, 1)).astype(np.int16)  # (4, 3, length)
        middle = planes.shape[2] // 2
        colour = np.partition(planes, middle, axis=2)[:, :, middle : middle + 1]  # per-line, per-channel median
        close = (np.abs(planes - colour) <= tolerance).all(axis=1)
        if (close.sum(axis=1) >= (1.0 - noise) * planes.shape[2]).any():
            return True
    return False


FULL_BAR_NOISE = 3
"""A bar's outermost line over its full length may differ from its colour in a third of the share
that ``noise`` allows a line judged by its middle."""


FLAT_TOLERANCE = 4
"""How close to its colour a pixel of a pasted bar lies (a flat fill, even after JPEG)."""


def _side(a: np.ndarray, box: Box, side: int) -> np.ndarray:
    """The lines of one side of ``box`` (0 top, 1 bottom, 2 left, 3 right) as an (n, length, 3)
    view, read from that side's outer edge inwards."""
    x0, y0, x1, y1 = box
    rows = a[y0:y1, x0:x1]
    lines = rows if side < 2 else rows.transpose(1, 0, 2)
    return lines[::-1] if side % 2 else lines


def _full_bar_colour(a: np.ndarray, box: Box, tolerance: int, noise: float) -> np.ndarray | None:
    """The colour of the side of ``box`` that looks most like a pasted bar, or None: of the sides
    whose two outermost lines (or the next two, when the outermost is a blend) are one colour over
    their full length, the flattest (the largest share of its three outer lines within
    ``FLAT_TOLERANCE`` of that colour). Of sides alike flat, the one whose colour runs least along
    the two sides beside it (their outermost lines, within ``tolerance``); then the first of top,
    bottom, left, right.

    A bar added along a side spans that side from corner to corner; the picture's own flat edge (a
    sky, a wall) stops where a bar runs beside it. So a side that is one colour end to end is cut
    first, and a pass that starts with it is the picture exactly: a white pillarbox around a photo
    with a grey sky is cut before the sky, where judging lines by their middle (which a bar under a
    tenth of the side does not reach) cut the sky first and left no box that is the picture. When
    the picture's own edge spans a side too (dark space left of the moon, a bar on the right), the
    bar is the flatter of the two: a fill, where the picture's edge has noise and shading. A drawn
    picture's background is as flat as a bar: a bar on one side runs along the sides beside it only
    for its own width, the background all along them (shapes on a blue page with a black bar on
    its right: the page's left side was cut first, and no pass left the picture).
    """
    sides = []  # (side, colour, flat, total)
    for side in range(4):
        lines = _side(a, box, side)[:3]
        count, colour = _uniform_prefix(lines, tolerance, noise / FULL_BAR_NOISE, whole=True)
        if count < 2:
            continue  # a single line (a box one pixel wider than a frame, a blend line) is not a bar
        flat = int(_near(lines, colour, FLAT_TOLERANCE).sum())
        sides.append((side, colour, flat, lines.shape[0] * lines.shape[1]))
    if not sides:
        return None
    best = sides[0]
    for candidate in sides[1:]:
        if candidate[2] * best[3] > best[2] * candidate[3]:
            best = candidate
    alike = [c for c in sides if c[2] * best[3] == best[2] * c[3]]
    if len(alike) > 1:

        def along_neighbours(candidate) -> int:
            beside = (2, 3) if candidate[0] < 2 else (0, 1)
            return sum(int(_near(_side(a, box, k)[0], candidate[1], tolerance).sum()) for k in beside)

        best = min(alike, key=along_neighbours)  # the first of the fewest
    return best[1]


def _trim_once(a: np.ndarray, box: Box, tolerance: int, noise: float) -> Box:
    """One pass: the uniform bands of the top, bottom, left and right sides, in that order, cut away.

    A pass cuts bands of one colour only, within ``tolerance`` on every channel: that of the
    flattest side that is one colour end to end (`_full_bar_colour`), else that of the first band it
    cuts.
    A side in another colour waits for the next pass. A bar pasted on one side and the picture's
    own flat edge on another (a grey sky beside an orange bar) are then cut in two passes, and the
    first one is the picture exactly, where one pass would cut into it.
    """
    x0, y0, x1, y1 = box
    cut = _full_bar_colour(a, box, tolerance, noise)  # the colour of this pass's bands

    def band(lines: np.ndarray) -> int:
        nonlocal cut
        count, colour = _uniform_prefix(lines, tolerance, noise, want=cut)
        if count == 0:
            return 0
        if cut is None:
            cut = colour
        elif _channel_gap(colour, cut) > tolerance:
            return 0
        return count

    y0 += band(_side(a, (x0, y0, x1, y1), 0))
    if y1 - y0 < MIN_CONTENT:
        return (x0, y0, x1, y0)
    y1 -= band(_side(a, (x0, y0, x1, y1), 1))
    if y1 - y0 < MIN_CONTENT:
        return (x0, y0, x1, y0)
    x0 += band(_side(a, (x0, y0, x1, y1), 2))
    if x1 - x0 < MIN_CONTENT:
        return (x0, y0, x0, y1)
    x1 -= band(_side(a, (x0, y0, x1, y1), 3))
    return (x0, y0, x1, y1)


EVEN_FRAME_GUESS = True
"""A framed region (`frame_colour`) is also looked up as its first trim with each axis cut by the
narrower of its two sides (`margin_cuts`' even guess): a chat bubble's margin is alike all round,
and a picture whose own edge has the bubble's colour (a white sky in a white bubble) is trimmed into
on that side (60 to 82 bits off; 4 to 16 this way). A switch for tests."""

EVEN_FRAME_SLACK = 2
"""`_even_frame`: a bubble's margin trimmed on three sides varies by at most this many lines."""

EVEN_FRAME_SHARE = 0.08
"""`_even_frame`: a bubble's margin is at most this share of the box's shorter side."""


def _even_frame(first: Box, shape: tuple[int, ...]) -> bool:
    """Whether a region's first trim (``first``, in an array of ``shape``) cut a margin like a chat
    bubble's: thin (its narrowest at most `EVEN_FRAME_SHARE` of the shorter side) and alike on three
    sides at least (within `EVEN_FRAME_SLACK` lines), the fourth perhaps deeper. A flat shape of a
    drawing round another (a frame of one colour too) has margins of any width: a guess for each
    (8 lookups) was 1.8% more lookups of unrelated images, for no match."""
    height, width = shape[:2]
    x0, y0, x1, y1 = first
    margins = sorted((x0, y0, width - x1, height - y1))
    return margins[2] - margins[0] <= EVEN_FRAME_SLACK and margins[0] <= EVEN_FRAME_SHARE * min(width, height)


CAPTION_SHARE = 0.25
"""`caption_cut`: a line of a caption band has at least this share of its pixels in the frame's
colour (a timestamp or a sender's name takes a few words of the line; a meme's big capitals up to
two thirds of it, a flat top of a row of them included; a picture's edge in the frame's own colour
keeps going past `CAPTION_DEPTH`)."""

CAPTION_MIDDLE = 0.5
"""`caption_cut`: a box whose middle row and column each have at least this share of their pixels
in a side's colour holds words, not a picture (a chat bubble of text)."""

CAPTION_EDGE = 0.5
"""`caption_cut`: a picture starts at a line with less than this share of the side's colour after a
line of that colour alone (`_caption_end`)."""

CAPTION_DROP = 0.05
"""`caption_cut`: words written right against the picture leave no line of the colour alone before
it; a band of `CAPTION_LINES` twice over or more (a line of words) that ends in a line with at most
this share of the colour ends at the picture all the same (`_caption_end`). A photo's own thin edge
of a few mixed lines does not (a 256 px photo: 3 lines, 16 more lookups)."""

CAPTION_DEPTH = 0.25
"""`caption_cut`: a caption band is at most this share of the box across it."""

CAPTION_RUN = 24
"""`caption_cut`: a band of marks this many lines long with no line of the side's colour alone, whose
last lines all hold less of that colour than its first, is a picture's curved edge against its page
(a round photo on black: the picture widens line by line), and its scan stops there. A meme's big
words (50 lines of capitals with no plain line) keep about as much of the colour all the way down.
(Until 27 November 2026 any run of 24 lines without a plain line stopped it.)"""

CAPTION_LINES = 3
"""`caption_cut`: a caption band is at least this many lines (one or two are a blend line, which
`cut_colour_blend` is for)."""


def _near_counts(a: np.ndarray, colour, tolerance: int) -> list[int]:
    """How many pixels of each row of ``a`` lie within ``tolerance`` of a colour on every channel
    (`_near`, counted a row), as a list: compiled where built (the trim's own range count, one pass
    where numpy makes six, and a call of a few microseconds, as the caption cut makes them line by
    line)."""
    fast = _compiled(_c_trim, "near_counts")
    if fast is not None:
        return fast(a, (int(colour[0]), int(colour[1]), int(colour[2])), tolerance)
    return _near_counts_numpy(a, colour, tolerance)


def _near_counts_numpy(a: np.ndarray, colour, tolerance: int) -> list[int]:
    return np.count_nonzero(_near(a, np.asarray(colour), tolerance), axis=1).tolist()


def side_colours(a: np.ndarray, box: Box) -> list[np.ndarray | None]:
    """For each side of ``box`` in ``a`` (top, bottom, left, right): the colour of its outer line when
    that line is one colour (judged over its middle eight tenths against its own median, as trimming
    judges a line, on every second pixel of a long one), else None."""
    x0, y0, x1, y1 = box
    if x1 - x0 < 1 or y1 - y0 < 1:
        return [None] * 4
    out: list[np.ndarray | None] = []
    for side in range(4):
        line = _side(a, box, side)[0]
        n = len(line)
        line = line[n // 10 : n - n // 10 : 2 if n > 64 else 1]
        colour = _median_colour(line)
        uniform = _near_counts(line[None], colour, BORDER_TOLERANCE)[0] >= (1.0 - BORDER_NOISE) * line.shape[0]
        out.append(colour if uniform else None)
    return out


def cut_colours(a: np.ndarray, box: Box) -> list[np.ndarray | None]:
    """For each side of ``box`` (top, bottom, left, right), trimmed out of the whole of ``a``: the
    colour of the line just outside it, which trimming cut as one colour (its median), or None where
    nothing was cut."""
    x0, y0, x1, y1 = box
    height, width = a.shape[:2]
    if x1 - x0 < 1 or y1 - y0 < 1:
        return [None] * 4
    lines = (a[y0 - 1, x0:x1] if y0 > 0 else None, a[y1, x0:x1] if y1 < height else None,
             a[y0:y1, x0 - 1] if x0 > 0 else None, a[y0:y1, x1] if x1 < width else None)
    return [None if line is None else _median_colour(line) for line in lines]


def frame_colour(a: np.ndarray, frame: Box) -> np.ndarray | None:
    """The colour of ``frame``'s outer lines in ``a`` when at least three of them are that one colour
    (`side_colours`): a frame round a picture, a chat bubble. None otherwise, which most regions and
    outlines over a photo or a texture are."""
    return _alike_on_three_sides(side_colours(a, frame))


def _alike_on_three_sides(colours: list[np.ndarray | None]) -> np.ndarray | None:
    """One of four sides' colours (None for a side without one) that at least three of them share
    within `BORDER_TOLERANCE`, else None."""
    present = [c for c in colours if c is not None]
    for colour in present:
        if sum(_channel_gap(other, colour) <= BORDER_TOLERANCE for other in present) >= 3:
            return colour.astype(np.uint8)
    return None


def _caption_end(share: list[float], closed: bool = True) -> int:
    """Where a caption band ends and the picture begins (0: nowhere), from the share of the side's
    colour in each line from the side inwards, up to and including the first line below
    `CAPTION_SHARE` (the last entry; with ``closed`` False the band runs on past the lines given, as
    into a picture whose edge holds a third of the colour). Lines of the colour alone are plain (as
    trimming judges one: `BORDER_NOISE`); the picture starts `CAPTION_LINES` lines in or more, with
    marks before it:

    1. at the deepest line that follows a plain line (or a blend line after one, holding at least
       `CAPTION_EDGE` of the colour) and is the band's last or holds less than `CAPTION_EDGE`: a
       picture whose edge is partly the colour (a dark scene under a black bar) starts there and
       the band runs on into it; the deepest, as big words in two lines with a plain line between
       start the second line with little of the colour;
    2. else at the band's last line, when it holds next to none of the colour (`CAPTION_DROP`:
       words set against the picture) after a line of words (twice `CAPTION_LINES`);
    3. else, when the band ends among these lines, at the first line after a plain one that is not
       plain: a picture whose own edge is mostly the colour (a round photo on black under a black
       bar) starts there, as its trimmed original does.

    Rules 2 and 3 ask for the band's end: a band running on past reach is cut by rule 1 alone (a
    dark photo in a dark chat bubble, a time under it: 25 to 50% of its lines the bubble's grey).
    """
    end = len(share) - 1
    last = end if closed else -1  # the band's own last line, when it ends among these
    plain = [s >= 1.0 - BORDER_NOISE for s in share]
    for e in range(end, CAPTION_LINES - 1, -1):
        # a blend line may lie between, one that holds at least as much of the colour as a picture's edge
        after_plain = plain[e - 1] or (plain[e - 2] and share[e - 1] >= CAPTION_EDGE)
        if after_plain and (e == last or share[e] < CAPTION_EDGE) and not all(plain[:e]):
            return e
    if closed and end >= 2 * CAPTION_LINES and share[end] <= CAPTION_DROP and not all(plain[:end]):
        return end
    if closed:
        marks = False
        for e in range(1, end + 1):
            marks = marks or not plain[e - 1]
            if marks and plain[e - 1] and not plain[e] and e >= CAPTION_LINES:
                return e
    return 0


def caption_cut(a: np.ndarray, box: Box, colours: list[np.ndarray | None]) -> Box:
    """``box`` (trimmed out of ``a``) without a band of a side's colour with marks on it along that
    side: the timestamp or sender's name that a chat app writes under or over a picture inside its
    bubble, or a meme's caption in a bar above or below the picture, which trimming stops at (its
    text is not one colour) and which moved a picture's hash 80 to 110 bits. ``colours`` is a colour
    or None for each side (top, bottom, left, right): the frame's all round (`frame_colour`), or
    the bars' that trimming cut from the whole image (`cut_colours`).

    The band runs from a side of ``box`` inwards over lines of which at least `CAPTION_SHARE` of the
    pixels lie within `BORDER_TOLERANCE` of the side's colour (at most `CAPTION_DEPTH` of the box
    across), and the picture begins where `_caption_end` says: after a line of the side's colour
    alone, with marks before it (a band of one colour only is trimming's), `CAPTION_LINES` or more
    in. The same box when no side has one, or when the box's middle row and column are mostly a
    side's colour (words in a bubble, no picture)."""
    x0, y0, x1, y1 = box
    if x1 - x0 < 1 or y1 - y0 < 1:
        return box
    cut = [0, 0, 0, 0]
    middle = False  # the middle row and column looked at
    for side, colour in enumerate(colours):
        if colour is None:
            continue
        lines = _side(a, box, side)  # from the side inwards
        depth, width = int(lines.shape[0] * CAPTION_DEPTH), max(1, lines.shape[1])
        band = CAPTION_SHARE * width
        if depth < CAPTION_LINES or _near_counts(lines[:1], colour, BORDER_TOLERANCE)[0] < band:
            continue  # the picture's own edge: most sides
        parts: list[list[int]] = []
        done, chunk = 0, 8  # a few lines at a time: a caption's band ends soon
        plain = (1.0 - BORDER_NOISE) * width
        while done <= depth and not (parts and min(parts[-1]) < band):
            parts.append(_near_counts(lines[done : min(done + chunk, depth + 1)], colour, BORDER_TOLERANCE))
            done += chunk
            chunk *= 2
            if (done >= CAPTION_RUN and max(parts[-1]) < min(parts[0])
                    and not any(max(part) >= plain for part in parts)):
                break  # marks all the way, fewer and fewer: a curved edge (a round picture), not words
        counts = [n for part in parts for n in part]
        end = next((i for i, n in enumerate(counts) if n < band), None)  # None: the band runs past reach
        shares = [n / width for n in (counts[: end + 1] if end is not None else counts)]
        cut[side] = _caption_end(shares, closed=end is not None)
        if cut[side] and not middle:
            middle = True
            inner = a[y0:y1, x0:x1]
            across = (inner[inner.shape[0] // 2][None], inner[:, inner.shape[1] // 2][None])
            if all(_near_counts(line, colour, BORDER_TOLERANCE)[0] >= CAPTION_MIDDLE * line.shape[1] for line in across):
                return box  # no picture across the middle: words in a bubble
    if not any(cut):
        return box
    nx0, ny0, nx1, ny1 = x0 + cut[2], y0 + cut[0], x1 - cut[3], y1 - cut[1]
    if nx1 - nx0 < MIN_CONTENT or ny1 - ny0 < MIN_CONTENT:
        return box
    return (nx0, ny0, nx1, ny1)


def margin_cuts(box: Box, size: tuple[int, int]) -> tuple[Box, Box]:
    """Where a picture may end inside a border of its own edge's colour, from the first trimming
    pass's box: a border cut together with the picture's flat margin leaves no mark of where the
    one ends and the other begins. Two guesses, each axis alike:

    - **even**: letterbox, pillarbox and frame bars are as wide on both sides of an axis, a picture's
      own margin need not be: the axis is cut by the narrower of its two sides. A text page with a
      wider margin on its right, in a white letterbox, pillarbox or frame: 0 to 6 bits from its hash
      this way, 58 to 62 from the trimmed box alone.
    - **balanced**: a bar on one side only, around a picture whose own margins are alike (a logo or
      a silhouette in the middle of its page): the wider side is cut down to the narrower one. The
      border sweep's one-side rows: 93% -> 97% against a hash list.

    A photo in bars gets nothing from either (no margin is left beside its bars: each guess is then
    the trimmed box or the whole image, which are looked up already). (Cutting one axis only, the
    other kept whole, found 3 more of the border sweep's 1,728 copies, at two more pictures for every
    framed photo: left out.) `frame_cuts` and `ratio_cuts` guess further, for a picture that floats
    on its page (`floats_on_page`)."""
    x0, y0, x1, y1 = box
    width, height = size
    cx, cy = min(x0, width - x1), min(y0, height - y1)
    return (cx, cy, width - cx, height - cy), (x0 - cx, y0 - cy, x1 + cx, y1 + cy)


STEP_MIN = 10
"""`colour_step_cut`: a band that trimming cut as one colour, whose outer and inner lines differ by at
least this much on a channel, may hold two colours: a bar and a picture's flat margin that lies
within `BORDER_TOLERANCE` of it."""

STEP_GAP = 8
"""`colour_step_cut`: at most this many lines between the last of the bar's colour and the first of
the margin's (blend and ringing after JPEG, which subsamples colour by two: 5 lines between a
yellow margin and an orange bar)."""

STEP_SHARE = 0.9
"""`colour_step_cut`: a line is of the bar's colour when this share of it lies near that colour
(JPEG's ringing beside a step leaves a few per cent of a line off, more than trimming's
`BORDER_NOISE`)."""

STEP_MARGIN_SHARE = 0.75
"""`colour_step_cut`: a line is of the margin's colour when this share of it lies near that colour:
a picture's margin is a photo's wall or sky as often as a flat page (a clock's wall beside a bar 18
levels off: 81 to 90% of each line within 8)."""

STEP_LINES = 3
"""`colour_step_cut`: the picture's own margin is at least this many lines (one or two are a blend
line, which `cut_colour_blend` is for)."""


def _step_in_band(band: np.ndarray, outer: np.ndarray, inner: np.ndarray, first: int = 0,
                  least: int = 1) -> tuple[int, np.ndarray, int] | None:
    """Where a cut band's lines (from the image's edge inwards) step from the bar's colour ``outer``
    (read from line ``first``: the lines before it may hold anything; ``least`` lines of it at
    least) to a picture's margin (`colour_step_cut`): (the margin's first line, its colour, the
    tolerance "near" took), or None. The margin's colour is the innermost line's, ``inner``;
    failing that, when the bar ended, the colour `STEP_LINES` lines past its end: a margin that is
    no flat page but a ramp (a photo's sky lightening towards the picture's middle, in a pale chat
    bubble: 197 at the step, 203 thirty lines in)."""
    depth = band.shape[0]
    need, margin = STEP_SHARE * band.shape[1], STEP_MARGIN_SHARE * band.shape[1]
    colours = [inner]
    while colours:
        colour = colours.pop(0)
        diff = _channel_gap(outer, colour)
        if diff < STEP_MIN:
            continue
        tolerance = (diff - 1) // 2
        near_outer = _near_counts(band, outer, tolerance)
        bar = next((i for i in range(first, depth) if near_outer[i] < need), depth)
        if not first + least <= bar <= depth - STEP_LINES:
            continue  # no bar, or no room for a margin after it (the common case: a few cheap lines)
        near_inner = _near_counts(band, colour, tolerance)
        if colour is inner and bar + STEP_LINES < depth:
            colours.append(_median_colour(band[bar + STEP_LINES]))
        flat = next((i for i in range(bar, min(depth, bar + STEP_GAP + 1)) if near_inner[i] >= margin), depth)
        if not (flat + STEP_LINES <= depth
                and all(n >= margin for n in near_inner[flat : flat + STEP_LINES])):
            continue
        # A step, not a ramp: within `STEP_GAP` lines before it a line has the bar's colour, and
        # within as many after it one has the margin's, as a line's median within a quarter of the
        # difference (JPEG's ringing moves the lines right beside a step by more; a ramp's lines run
        # through every colour between, each near enough to one of the two). The lines furthest from
        # the step are looked at first: they are the likeliest to hold the colour.
        sharp = max(2, diff // 4)
        if not (any(_channel_gap(_median_colour(band[i]), outer) <= sharp
                    for i in range(max(0, bar - STEP_GAP), bar))
                and any(_channel_gap(_median_colour(band[i]), colour) <= sharp
                        for i in reversed(range(flat, min(depth, flat + STEP_GAP))))):
            continue
        return next(i for i in range(bar, flat + 1) if near_inner[i] > near_outer[i]), colour, tolerance
    return None


def colour_step_cut(a: np.ndarray, box: Box, inner: list[np.ndarray | None], *, least: int = 1) -> Box:
    """``box`` (the first trimming pass's, out of the whole of ``a``) put back, on each side, where
    the band cut there changes from one flat colour to another: a bar within `BORDER_TOLERANCE` of
    the picture's own flat margin (a maroon border round shapes on brown, a black bar over a night
    sky) is cut together with that margin, which moved the hash 40 to 110 bits. Unlike a border of
    the margin's very colour (`margin_cuts`, `ratio_cuts`), the step says where the picture begins.
    ``inner`` is `cut_colours`' (the colour of each side's innermost cut line, or None).

    A side has a step when its band's first line (over the box's span; else its second: the first
    may be a blend) differs from its inner line by `STEP_MIN` or more on a channel, the band's lines
    hold that colour from there inwards (`STEP_SHARE` of a line, ``least`` lines at least: a frame
    round a region asks for 2, as one line of another colour there is a shape's blended edge as
    often as a bar; the image's own edge is no blend, and an uneven frame's side can be 1 px) and,
    at most `STEP_GAP` lines of blend on, the inner colour for `STEP_LINES` lines
    (`STEP_MARGIN_SHARE` of a line), near meaning within half the difference (no pixel is near
    both). The change is a step, not a ramp: lines within `STEP_GAP`
    before and after it have the two colours as their medians, within a quarter of the difference.
    The picture begins at the first line that holds more of the inner colour than of the outer.
    Then a side cut without a step whose band is the colour of a stepped side's margin throughout
    (and not its bar's) is the picture's margin too, as far as the image's edge: bars on two sides
    only, over a picture whose margin runs all round. The same box when no side has a step.

    Most sides are one colour throughout: more than half of the first and the second line lie within
    `STEP_MIN` of the inner colour, which is then the medians' case too, and they are passed over on
    those counts (a photo's first pass: 2 to 6 us a side)."""
    x0, y0, x1, y1 = box
    height, width = a.shape[:2]
    if x1 - x0 < 1 or y1 - y0 < 1:
        return box
    whole = (0, 0, width, height)
    depths = (y0, height - y1, x0, width - x1)
    spans = ((x0, x1), (x0, x1), (y0, y1), (y0, y1))
    starts = list(depths)  # where the picture begins on each side, counted from the image's edge
    stepped = []  # (bar colour, margin colour, tolerance) of each side with a step
    for side, depth in enumerate(depths):
        colour = inner[side]
        if depth < STEP_LINES + 2 or colour is None:
            continue
        band = _side(a, whole, side)[:depth, spans[side][0] : spans[side][1]]
        # The bar's colour from its first line, else from its second: the first may be a blend
        # with what lies outside the box (a region's box from the labelling takes a line of the
        # page; JPEG moved a pale bubble's edge 4 levels towards a sky 11 off, and the step went
        # unseen).
        for first in (0, 1):
            if 2 * _near_counts(band[first : first + 1], colour, STEP_MIN - 1)[0] > band.shape[1]:
                continue  # that line's median lies within STEP_MIN of the inner colour
            outer = _median_colour(band[first])
            found = _step_in_band(band, outer, colour, first, least)
            if found is not None:
                starts[side], margin_colour, tolerance = found
                stepped.append((outer, margin_colour, tolerance))
            break  # the second line is read only when the first was near the inner colour (a blend)
    if not stepped:
        return box
    for side, depth in enumerate(depths):
        if starts[side] != depth or depth == 0:
            continue  # stepped, or nothing cut
        band = _side(a, whole, side)[:depth, spans[side][0] : spans[side][1]]
        for outer, colour, tolerance in stepped:
            if (min(_near_counts(band, colour, tolerance)) >= STEP_MARGIN_SHARE * band.shape[1]
                    and _near_counts(band[:1], outer, tolerance)[0] < STEP_SHARE * band.shape[1]):
                starts[side] = 0
                break
    top, bottom, left, right = starts
    return (left, top, width - right, height - bottom)


NOISE_STEP = 900
"""A line of noise (`noise_border`): the mean step between neighbouring pixels' luma is at least this
many thousandths of the line's spread (its standard deviation): about 1,130 for pixels drawn at
random, 1,100 to 1,200 still after JPEG at quality 30 to 80, where a photo's lines give 50 to 500 and
the roughest of the unrelated set (grass) 700. (Neighbours in a picture are alike; in noise they are
as far apart as any two pixels.)"""

NOISE_SPREAD = 12
"""...and the line's spread at least this many levels (a flat bar's lines are the trimmer's)."""

NOISE_LINES = 2
"""A side's border of noise is at least this many lines deep."""

NOISE_DEPTH = 0.45
"""...and the first line that is not noise lies within this share of the side (else the whole image
is noise, or a picture that is)."""


def noise_border(a: np.ndarray) -> Box | None:
    """The box inside a border of noise (random pixels: one more way to pad a picture, which the
    colour trimmer cannot cut), or None: on each side, the lines from the edge in that are noise
    (`NOISE_STEP`), when there are `NOISE_LINES` or more of them and a line that is not comes within
    `NOISE_DEPTH`. Compiled where built (`_trim.noise_depths`: one line a side when there is none)."""
    h, w = a.shape[:2]
    depths = (int(h * NOISE_DEPTH), int(h * NOISE_DEPTH), int(w * NOISE_DEPTH), int(w * NOISE_DEPTH))
    fast = _compiled(_c_trim, "noise_depths")
    if fast is not None:
        top, bottom, left, right = fast(a, NOISE_LINES, depths, NOISE_SPREAD, NOISE_STEP)
    else:
        top, bottom, left, right = _noise_depths_numpy(a, depths)
    if not (top or bottom or left or right) or left + right >= w or top + bottom >= h:
        return None
    return left, top, w - right, h - bottom


def _noisy_line_numpy(line: np.ndarray) -> bool:
    """Whether one (length, 3) line is noise, as `_trim.noise_depths` tells it: the same integer test."""
    luma = _luma_lines(line[None])[0].astype(np.int64)
    n = len(luma)
    if n < 2:
        return False
    total, squares, steps = int(luma.sum()), int((luma * luma).sum()), int(np.abs(np.diff(luma)).sum())
    spreads = n * squares - total * total
    if spreads < NOISE_SPREAD * NOISE_SPREAD * n * n:
        return False
    return (1000 * steps * n) ** 2 >= (NOISE_STEP * (n - 1)) ** 2 * spreads


def _noise_depths_numpy(a: np.ndarray, depths: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    whole = (0, 0, a.shape[1], a.shape[0])
    out = []
    for side, depth in enumerate(depths):
        lines = _side(a, whole, side)
        reach = min(depth, len(lines))
        j = 0
        while j < reach and _noisy_line_numpy(lines[j]):
            j += 1
        out.append(j if NOISE_LINES <= j < reach else 0)
    return tuple(out)


def painted_border(a: np.ndarray, box: Box) -> np.ndarray:
    """A copy of ``a`` with everything outside ``box`` one flat colour, black or white, whichever lies
    further from the lines just inside the box (their median luma), so that the trimmer cuts it as a
    border and stops at the picture's own edge."""
    x0, y0, x1, y1 = box
    inside = [a[y0, x0:x1], a[y1 - 1, x0:x1], a[y0:y1, x0], a[y0:y1, x1 - 1]]
    level = float(np.median(_luma_lines(np.concatenate(inside)[None])[0]))
    out = np.empty_like(a)
    out[...] = 0 if level >= 128 else 255
    out[y0:y1, x0:x1] = a[y0:y1, x0:x1]
    out.flags.writeable = False
    return out


SOFT_STEP = 12
"""Soft bars (`soft_bars`: bars that hold a blurred picture, most often the picture itself enlarged,
as phone apps fill a tall frame): a step between neighbours along a line sharper than this many
levels of luma is a sharp pixel..."""

SOFT_SHARE = 0.05
"""...and a soft line has at most this share of sharp pixels (a picture blurred 8 pixels, enlarged
and JPEG'd has up to 3.3%; shapes crossing a drawn page 0.3 to 1%, which the next tests tell)."""

SOFT_MEAN = 2.5
"""The outermost `SOFT_LINES` lines at both ends of an axis are soft and their mean step along the line
is at most this many levels (a blurred bar 0.01 to 2; a page with a little noise on it 4.5): the
cheap test before the rest."""

SOFT_LINES = 2

SOFT_CONTRAST = 5
"""...and the picture between is far sharper: three lines about the middle have a mean step at least
this many times the outer lines' (or a quarter of a level): 5.6 to 60 in the eval's originals in
blurred bars, 0.6 to 0.8 on the smooth labelme photos (the deeper reading cost 0.4 ms there)."""

SOFT_BREAK = 6
"""Between the bar and the picture the luma of most pixels changes by this many levels or more..."""

SOFT_BREAK_SHARE = 0.35
"""...at least this share of them (0.38 to 1.0 in the eval's originals in blurred bars)..."""

SOFT_STAND_OUT = 3.0
"""...and at least this many times the mean share between the bar's own lines nearer the edge (a
noisy page breaks everywhere by a third)."""

SOFT_MIN = 0.03
SOFT_MAX = 0.4
"""A soft bar is 3% to 40% of the side."""


def _soft_ends(a: np.ndarray, axis: int, depth: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The two ends of ``axis`` (0: top and bottom; 1: left and right) read in step from the edge, in
    Pillow's luma: None unless the first `SOFT_LINES` lines at both ends are soft (at most `SOFT_SHARE`
    of the steps between neighbours along them exceed `SOFT_STEP`; mean step at most `SOFT_MEAN`)
    and the middle far sharper (`SOFT_CONTRAST`), else for each end, between each pair of
    neighbouring lines (i, i + 1), how many pixels differ by `SOFT_BREAK` or more, from the edge to
    the second line past the soft ones (the first line that is not soft at either end, or line
    ``depth``): a far bar may be a line deeper than the near one.
    Compiled where built (`_trim.soft_ends`)."""
    length = a.shape[1 - axis]
    most, mean = int(SOFT_SHARE * (length - 1)), int(SOFT_MEAN * (length - 1))
    fast = _compiled(_c_trim, "soft_ends")
    if fast is None:
        return _soft_ends_numpy(a, axis, depth, most, mean)
    ends = fast(a, axis, depth, SOFT_STEP, SOFT_BREAK, most, SOFT_LINES, mean, SOFT_CONTRAST)
    return None if ends is None else (np.frombuffer(ends[0], np.int64), np.frombuffer(ends[1], np.int64))


def _soft_ends_numpy(a: np.ndarray, axis: int, depth: int, most: int, mean: int) -> tuple[np.ndarray, np.ndarray] | None:
    whole = (0, 0, a.shape[1], a.shape[0])
    lines, far = _side(a, whole, 2 * axis), _side(a, whole, 2 * axis + 1)
    n, length = lines.shape[:2]
    depth = min(depth, n)
    if depth < SOFT_LINES or length < 2:
        return None
    ends = [_luma_lines(lines[:depth + 2]), _luma_lines(far[:depth + 2])]
    steps = [np.abs(np.diff(luma[:depth], axis=1)) for luma in ends]
    soft = np.logical_and(*[np.count_nonzero(s > SOFT_STEP, axis=1) <= most for s in steps])
    soft[:SOFT_LINES] &= np.logical_and(*[s[:SOFT_LINES].sum(axis=1) <= mean for s in steps])
    read = int(np.argmin(soft)) if not soft.all() else depth
    if read < SOFT_LINES:
        return None
    middle = _luma_lines(lines[[n // 2, n // 2 - n // 8, n // 2 + n // 8]])
    mid = int(np.abs(np.diff(middle, axis=1)).sum())
    outer = int(sum(s[:SOFT_LINES].sum() for s in steps))
    if 8 * SOFT_LINES * mid < SOFT_CONTRAST * max(12 * outer, 6 * SOFT_LINES * (length - 1)):
        return None
    pairs = min(read + 1, n - 1)  # and the breaks into the two lines past the soft ones
    return tuple(np.count_nonzero(np.abs(np.diff(luma[:pairs + 1], axis=0)) >= SOFT_BREAK, axis=1).astype(np.int64)
                 for luma in ends)


def soft_bars(a: np.ndarray, trimmed: Box | None = None) -> list[Box]:
    """Boxes between bars at both ends of an axis (top and bottom, or left and right) that hold a
    blurred picture: a tall frame filled with the picture itself enlarged and blurred, as phone apps
    make them. No colour to trim, and where the picture's own edge is smooth the outlines miss it (the
    eval's originals in such bars: 43 of 69 found). Both ends' lines are soft (few sharp steps along
    them) from the edge to the bars' end (`_soft_ends`); the bars are the same depth within a line
    (the picture is centred) and end where most pixels change (`SOFT_BREAK_SHARE`) far more than
    between the bar's own lines (`SOFT_STAND_OUT`). The depth with the strongest weaker end is
    taken. An axis whose two ends the first trimming pass cut (``trimmed``) is passed over: bars of
    one colour are the trimmer's, and reading a black surround soft line by line cost 2 ms."""
    out: list[Box] = []
    for axis in (0, 1):
        n, length = (a.shape[0], a.shape[1]) if axis == 0 else (a.shape[1], a.shape[0])
        if trimmed is not None and trimmed[axis ^ 1] > 0 and trimmed[3 - axis] < n:
            continue
        first = max(SOFT_LINES, int(n * SOFT_MIN))  # the least bar depth tried
        if n < 40 or length < 2:
            continue
        ends = _soft_ends(a, axis, int(n * SOFT_MAX) + 1)
        if ends is None or len(ends[0]) <= first:
            continue
        near, far = (counts / length for counts in ends)  # [i]: between line i and line i + 1
        t = np.arange(first, len(near))  # bar depths: the picture starts at line t

        def strong(share: np.ndarray, gap: np.ndarray) -> np.ndarray:
            """Whether the break between lines gap and gap + 1 stands out from those nearer the edge."""
            before = np.concatenate([[0.0], np.cumsum(share)])[gap] / np.maximum(gap, 1)
            return (share[gap] >= SOFT_BREAK_SHARE) & (share[gap] >= SOFT_STAND_OUT * before)

        # the far bar within a line of the near one's depth (an odd remainder)
        gaps = np.clip(np.stack([t - 2, t - 1, t]), 0, len(far) - 1)
        far_gap = gaps[np.argmax(far[gaps], axis=0), np.arange(len(t))]
        ok = strong(near, t - 1) & strong(far, far_gap)
        if not ok.any():
            continue
        k = int(np.argmax(np.where(ok, np.minimum(near[t - 1], far[far_gap]), -1.0)))
        start, stop = int(t[k]), n - int(far_gap[k]) - 1
        out.append((0, start, a.shape[1], stop) if axis == 0 else (start, 0, stop, a.shape[0]))
    return out


CORNER_MIN = 2
"""Rounded corners (`corner_radius`): a picture shown with rounded corners (chat apps, phones' share
sheets, cards) has the page's colour in its box's corners, which moved a photo's hash 30 to 44 bits
(the eval's originals on a page with corners of 24 and 48 px: 21 and 16 of 24 found on their exact
box). Each corner's diagonal holds at least this many pixels of the colour outside the corner..."""

CORNER_MAX = 0.2
"""...for a radius of at most this share of the box's shorter side (a circle's box has the page in
its corners too, 0.5 of its side: coins and clock faces gave twins until it was bounded)..."""

CORNER_ALIKE = 1.5
"""...and the four corners alike: the longest diagonal at most this many times the shortest, and 1."""


def corner_radius(a: np.ndarray, box: Box) -> float:
    """The radius of the rounded corners of the picture in ``box`` (pixels of ``a``) as a share of the
    box's shorter side, or 0: each corner's pixel, and its diagonal inwards for `CORNER_MIN` pixels or
    more, has the colour just outside the corner (within `BORDER_TOLERANCE`), alike at three corners
    at least (`CORNER_ALIKE`; a circle's corner lies 0.29 of its radius along the diagonal; the
    fourth's picture may have the page's colour there), up to `CORNER_MAX`, and the sides are the
    picture's own a radius and a half from those corners. A box on the edge of ``a`` has no outside
    there and gets 0."""
    x0, y0, x1, y1 = box
    height, width = a.shape[:2]
    side = min(x1 - x0, y1 - y0)
    if x0 < 1 or y0 < 1 or x1 > width - 1 or y1 > height - 1 or side < 4 * CORNER_MIN:
        return 0.0
    ys, xs = np.array([y0, y0, y1 - 1, y1 - 1]), np.array([x0, x1 - 1, x0, x1 - 1])
    dy, dx = np.array([1, 1, -1, -1]), np.array([1, -1, 1, -1])
    outside = a[ys - dy, xs - dx].astype(np.int16)
    if (np.abs(a[ys, xs].astype(np.int16) - outside).max(axis=1) > BORDER_TOLERANCE).any():
        return 0.0  # (most pictures: their corner pixel is their own)
    reach = np.arange(int(side * CORNER_MAX * (1 - 1 / np.sqrt(2))) + 2)
    diagonals = a[ys[:, None] + dy[:, None] * reach, xs[:, None] + dx[:, None] * reach].astype(np.int16)
    near = np.abs(diagonals - outside[:, None, :]).max(axis=2) <= BORDER_TOLERANCE
    runs = np.where(near.all(axis=1), len(reach), np.argmin(near, axis=1))
    # three corners at least alike (the fourth's picture may be near the page's colour there)
    used = np.argsort(runs, kind="stable")[:3]
    shortest, longest = int(runs[used[0]]), int(runs[used[2]])
    if shortest < CORNER_MIN or longest >= len(reach) or longest > CORNER_ALIKE * shortest + 1:
        return 0.0
    radius = runs[used].mean() / (1 - 1 / np.sqrt(2))
    # past the rounding those corners' sides are straight: a radius and a half along each side, the
    # picture's own colour again
    along = int(np.ceil(1.5 * radius))
    ys, xs, dy, dx, outside = ys[used], xs[used], dy[used], dx[used], outside[used]
    sides = a[np.concatenate([ys, ys + dy * along]), np.concatenate([xs + dx * along, xs])].astype(np.int16)
    if (np.abs(sides - np.concatenate([outside, outside])).max(axis=1) <= BORDER_TOLERANCE).any():
        return 0.0
    return float(radius) / side


@lru_cache(maxsize=64)
def _corner_sources(radius: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For the top-left ``radius`` x ``radius`` square of a picture: the pixels outside the circle of
    that radius and, for each, the pixel a line and a half inside the circle on the way to its centre."""
    rows, cols = np.mgrid[0:radius, 0:radius]
    dist = np.hypot(rows + 0.5 - radius, cols + 0.5 - radius)
    out = dist > radius - 0.5
    scale = max(radius - 2.0, 0.0) / np.maximum(dist, 1e-6)
    from_rows = np.clip(np.round(radius - 0.5 + (rows + 0.5 - radius) * scale).astype(np.int64), 0, radius)
    from_cols = np.clip(np.round(radius - 0.5 + (cols + 0.5 - radius) * scale).astype(np.int64), 0, radius)
    return rows[out], cols[out], from_rows[out], from_cols[out]


def fill_corners(pixels: np.ndarray, share: float) -> np.ndarray:
    """A copy of ``pixels`` ((h, w) or (h, w, 3)) with its rounded corners (radius ``share`` of the
    shorter side) filled: each pixel outside the rounding takes the pixel just inside it on the way
    to the corner circle's centre, so the page's colour there no longer weighs on the hash (the
    eval's originals with corners of 24 and 48 px, on their exact box: 30-44 bits -> 0-10)."""
    height, width = pixels.shape[:2]
    radius = min(int(round(share * min(height, width))), min(height, width) // 2 - 1)
    out = np.array(pixels, copy=True)
    if radius < 2:
        return out
    rows, cols, from_rows, from_cols = _corner_sources(radius)
    for flip_rows, flip_cols in ((False, False), (False, True), (True, False), (True, True)):
        r = height - 1 - rows if flip_rows else rows
        c = width - 1 - cols if flip_cols else cols
        fr = height - 1 - from_rows if flip_rows else from_rows
        fc = width - 1 - from_cols if flip_cols else from_cols
        out[r, c] = out[fr, fc]
    return out


TILT_FILL = 0.985
"""A picture turned a little on a page (`tilt_angle`): PDQ does not survive a turn of 2 degrees (the
eval's originals turned 2 degrees on white: none found, 38 bits off at the median) and a box round
it holds the page in four triangles. Looked for when the first trimming pass (or a region's box) has
one colour all round, and the picture fills less than this share of its box (a square one all of
it, but for JPEG's blend)..."""

TILT_MIN, TILT_MAX = 0.3, 30.0
"""...for a turn of this many degrees either way (under 0.3, PDQ is within 6 bits anyway)."""

TILT_ARM = 12
"""The longer arm of a side's profile (the picture's side seen from the box's) at least this long..."""

TILT_FIT = 1.0
"""...on a straight line: its middle 70% within this many pixels of the fitted line (median)..."""

TILT_AGREE = 0.3
"""...and at least two of the four sides' angles within this many degrees of each other."""


def _arm_slope(profile: np.ndarray, arm: int = TILT_ARM) -> float | None:
    """The slope (lines a step along) of the longer arm of a V-shaped profile (how far a picture turned
    in a box lies from one side of the box, along that side): fitted to its middle 70% by least squares;
    None where that arm is shorter than ``arm``, NaN where it is not straight."""
    n = len(profile)
    lowest = np.flatnonzero(profile == profile.min())
    first, last = int(lowest[0]), int(lowest[-1])
    steps = np.arange(0, first) if first >= n - 1 - last else np.arange(last + 1, n)
    if len(steps) < arm:
        return None
    steps = steps[int(0.15 * len(steps)):int(0.85 * len(steps))].astype(np.float64)
    if len(steps) < 2:
        return None
    values = profile[steps.astype(np.int64)].astype(np.float64)
    across = steps - steps.mean()
    slope = float(across @ (values - values.mean()) / max(float(across @ across), 1e-9))  # least squares
    residuals = np.sort(np.abs(values - values.mean() - slope * across))
    if residuals[len(residuals) // 2] > TILT_FIT:  # the median (np.median cost 235 us a call here)
        return float("nan")
    return slope


TILT_COARSE = 4
"""`tilt_angle` looks at every this-many-th pixel each way first: a disc on a page (the retina photo
in its black surround) has curved sides there, and its full reading cost 3.8 ms."""


def _tilt(part: np.ndarray, colour: np.ndarray, arm: int, agree: float) -> tuple[float | None, int]:
    """`tilt_angle` of the whole of ``part``, with arms of ``arm`` steps at least agreeing within
    ``agree`` degrees; and how many sides' longer arms were long enough but curved."""
    picture = ~_near(part, colour, BORDER_TOLERANCE)
    if picture.mean() >= TILT_FILL or not (picture.any(axis=0).all() and picture.any(axis=1).all()):
        return None, 0
    top, left = np.argmax(picture, axis=0), np.argmax(picture, axis=1)
    bottom, right = np.argmax(picture[::-1], axis=0), np.argmax(picture[:, ::-1], axis=1)
    angles, curved = [], 0
    for profile, sign in ((top, 1), (bottom, -1), (left, -1), (right, 1)):
        slope = _arm_slope(profile, arm)
        if slope is not None and slope != slope:  # NaN: curved
            curved += 1
        elif slope is not None:
            angles.append(-sign * float(np.degrees(np.arctan(slope))))
    angles.sort()
    agreeing = [angles[i:j] for i in range(len(angles)) for j in range(i + 2, len(angles) + 1)
                if angles[j - 1] - angles[i] <= agree]
    return (float(np.median(max(agreeing, key=len))) if agreeing else None), curved


def tilt_angle(a: np.ndarray, box: Box, colour: np.ndarray) -> float | None:
    """How many degrees (counter-clockwise, as Pillow turns) the picture in ``box`` is turned, when
    the box holds it on a page of ``colour`` in four triangles, or None: from each side, how far the
    picture lies (its pixels not of the page's colour), a V whose longer arm is the picture's own
    side (`_arm_slope`); two sides at least agree (`TILT_AGREE`; a side whose picture runs into the
    page's colour is left out). Read on every `TILT_COARSE`-th pixel first: three curved sides or
    more (a disc, a face) end it there."""
    x0, y0, x1, y1 = box
    part = a[y0:y1, x0:x1]
    if min(part.shape[:2]) < 4 * TILT_ARM:
        return None
    _, curved = _tilt(part[::TILT_COARSE, ::TILT_COARSE], colour, TILT_ARM // TILT_COARSE, TILT_AGREE)
    if curved >= 3:
        return None
    theta, _ = _tilt(part, colour, TILT_ARM, TILT_AGREE)
    return theta if theta is not None and TILT_MIN <= abs(theta) <= TILT_MAX else None


TILT_SIDE = 2 * PICTURE_SIDE
"""`turned_back` turns the picture reduced to at most this long, with bilinear weights: Pillow turned
an 855 px RGB picture in 58 ms with bicubic ones, 22 ms with bilinear. Smaller costs more bits than
the weights do (the eval's originals turned 2 to 10 degrees, 96 copies: 94 found at 768 px, median
6 bits; 91 at 576 and at 384, median 10 and 12)."""

TILT_MARGIN = 0.03
"""`turned_back` turns the box grown by this share of its sides each way (the trimmed box can have
cut into a picture's corner of nearly the page's colour), then trims the page off again."""


def _turn_part(img: Image.Image, box: Box) -> Image.Image:
    """The image's ``box`` as RGB, reduced by a whole factor to at most `TILT_SIDE` a side, for a turn
    (no full-size copy of the box; a mode Pillow cannot reduce, a palette's, is made RGB first: a
    palette image passed to the library raised here)."""
    from childsafe.media.images import to_rgb

    x0, y0, x1, y1 = box
    k = -(-max(x1 - x0, y1 - y0) // TILT_SIDE)
    if k <= 1:
        return to_rgb(img.crop(box))
    source = img if img.mode in ("RGB", "RGBA", "L", "LA") else to_rgb(img)
    return to_rgb(source.reduce(k, box=box))


def turned_back(img: Image.Image, box: Box, theta: float, page: np.ndarray) -> np.ndarray:
    """The picture turned ``theta`` degrees in ``box`` (the image's pixels) on a page of colour
    ``page``, turned back and trimmed to its own sides (one trimming pass, then its colour-blend
    lines), as RGB reduced to at most `TILT_SIDE` (trimmed in luma alone, a drawing whose page has
    the grey page's luma lost its page: 3 of 12 turned drawings). Cut from the box's own shadow of
    the sides instead, the picture lost the lines where its corner is nearly the page's colour (36
    bits off for a drawing turned 12 degrees on black)."""
    x0, y0, x1, y1 = box
    grow_x, grow_y = round((x1 - x0) * TILT_MARGIN), round((y1 - y0) * TILT_MARGIN)
    grown = (max(0, x0 - grow_x), max(0, y0 - grow_y), min(img.width, x1 + grow_x), min(img.height, y1 + grow_y))
    part = _turn_part(img, grown)
    fill = tuple(int(v) for v in page[:3])
    upright = np.asarray(part.rotate(-theta, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=fill))
    boxes = trim_passes(upright, max_passes=1)  # in colour: a drawing's page and the page can share a luma
    if not boxes:
        return upright
    ux0, uy0, ux1, uy1 = cut_colour_blend(upright, boxes[0])
    return np.ascontiguousarray(upright[uy0:uy1, ux0:ux1])


TURN_CUT_GROW = 2
"""`turned_in_frame` fills this many lines more than the corners the turn cut off, along the cut and
along the edges: they are a blend of the picture and the frame's fill (bilinear weights, JPEG)."""


CORNER_IN = 2
"""`corner_colour` reads each corner this many pixels in along its diagonal: a box cut from bars has a
line of their blend along its side (JPEG)."""


def corner_colour(a: np.ndarray, box: Box, tolerance: int = BORDER_TOLERANCE) -> np.ndarray | None:
    """The colour at the four corners of ``box`` (`CORNER_IN` pixels in), when they are alike (within
    ``tolerance`` on every channel of their median), else None: a picture turned in its own frame by
    an editor that keeps the size has its frame's corners filled with one colour."""
    x0, y0, x1, y1 = box
    if x1 - x0 < 4 * CORNER_IN or y1 - y0 < 4 * CORNER_IN:
        return None
    near, far_x, far_y = CORNER_IN, x1 - 1 - CORNER_IN, y1 - 1 - CORNER_IN
    corners = a[[y0 + near, y0 + near, far_y, far_y], [x0 + near, far_x, x0 + near, far_x]].astype(np.int16)
    colour = np.sort(corners, axis=0)[2]  # the upper middle of four, per channel
    if np.abs(corners - colour).max() > tolerance:
        return None
    return colour.astype(np.uint8)


TURN_SIDE_FILL = 0.9
"""A picture turned in its own frame (`turned_in_frame`) reaches every side of the frame between the
corners the turn filled: at most this share of each side's line (`CORNER_IN` in) has the fill's
colour (a square turned 45 degrees: 59%, with the picture's own dark edge along a side up to 80%;
bars or a page along a side: 100%; the retina photo's black surround 93-100%). At 0.75 the eval's
originals turned 4 degrees on black lost two (astronaut, 80% along its dark right side)."""


def turned_in_own_frame_sides(a: np.ndarray, box: Box, colour: np.ndarray) -> bool:
    """Whether every side of ``box`` could be that of a picture turned in its own frame with corners
    of ``colour`` (`TURN_SIDE_FILL`): the test before `tilt_angle` reads the whole box (a letterboxed
    photo's black corners cost 3.5 ms of it, a disc on black 8 ms)."""
    x0, y0, x1, y1 = box
    lines = (a[y0 + CORNER_IN, x0:x1], a[y1 - 1 - CORNER_IN, x0:x1], a[y0:y1, x0 + CORNER_IN], a[y0:y1, x1 - 1 - CORNER_IN])
    return all(_near(line, colour, BORDER_TOLERANCE).mean() <= TURN_SIDE_FILL for line in lines)


def turned_in_frame(img: Image.Image, box: Box, theta: float, fill: np.ndarray) -> np.ndarray:
    """The picture in ``box`` (the image's pixels) turned ``theta`` degrees within its own frame, as
    an editor turns a photo and keeps its size (its corners cut off, the frame's corners filled with
    ``fill``), turned back, as RGB reduced to at most `TILT_SIDE`: the corners the turn cut off (and
    `TURN_CUT_GROW` lines along the cut and the edges) take the nearest pixel kept. The eval's
    originals turned 5, 10 and 15 degrees and turned back at the known angle: 16, 5 and 5 of 24
    within the threshold with the corners left in the fill's colour, 24, 22 and 18 so (each row's
    own nearest pixel: 22, 21, 18)."""
    from scipy import ndimage  # here, not at the top: importing it takes a quarter of a second

    part = _turn_part(img, box)
    colour = tuple(int(v) for v in fill[:3])
    upright = np.asarray(part.rotate(-theta, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=colour))
    inside = np.asarray(Image.new("L", part.size, 255).rotate(-theta, resample=Image.Resampling.NEAREST,
                                                              expand=False, fillcolor=0)) > 0
    lost = ~ndimage.binary_erosion(inside, iterations=TURN_CUT_GROW, border_value=0)  # (the edges blend too)
    if lost.all() or not lost.any():
        return np.ascontiguousarray(upright)
    rows, cols = ndimage.distance_transform_edt(lost, return_distances=False, return_indices=True)
    return np.ascontiguousarray(upright[rows, cols])


def frame_cuts(box: Box, size: tuple[int, int]) -> tuple[Box, Box]:
    """Two more guesses like `margin_cuts`', for a frame all round: as wide on every side
    (``ImageOps.expand``), or the same share of each side (the picture's shape kept). The narrowest
    margin, or the smallest share, is taken from every side: exact when the picture's content reaches
    its own edge anywhere (a shape across it). The border sweep's frames of the picture's own edge
    colour: 68 -> 77 of 88 against a hash list (two seeds)."""
    x0, y0, x1, y1 = box
    width, height = size
    cx, cy = min(x0, width - x1), min(y0, height - y1)
    share = min(cx / width, cy / height)
    sx, sy = round(share * width), round(share * height)
    c = min(cx, cy)
    return (c, c, width - c, height - c), (sx, sy, width - sx, height - sy)


FLOATING = 0.5
"""`floats_on_page`: a side of the trimmed box whose inner line is at least this share of the cut
colour is a page's edge, where shapes only touch the box."""


def floats_on_page(a: np.ndarray, box: Box, tolerance: int = BORDER_TOLERANCE) -> bool:
    """Whether what the first trimming pass left floats on a page of the colour cut: on a side that
    was cut, the line just inside the box (the second, past a JPEG blend line) is mostly of the colour
    just outside it. Shapes, text or a silhouette on a page touch their box at a few points; a photo
    fills it, and its bars end at its edge. Only a floating picture can have a margin of the bars'
    colour of its own, and only then are `frame_cuts` and `ratio_cuts` worth their lookups (a photo
    in black bars got 7 more pictures from them, none of them it). Compiled where built
    (`_trim.floats_on_page`)."""
    fast = _compiled(_c_trim, "floats_on_page")
    if fast is not None:
        return fast(a, box, tolerance, FLOATING)
    return _floats_on_page_numpy(a, box, tolerance)


def _floats_on_page_numpy(a: np.ndarray, box: Box, tolerance: int = BORDER_TOLERANCE) -> bool:
    """`floats_on_page` in numpy: the reference of the compiled one."""
    x0, y0, x1, y1 = box
    height, width = a.shape[:2]
    sides = ((y0 > 0, 0), (y1 < height, 1), (x0 > 0, 2), (x1 < width, 3))
    for cut, side in sides:
        if not cut:
            continue
        outer = _side(a, (0, 0, width, height), side)
        lines = _side(a, box, side)
        if len(lines) < 2:
            continue
        # the line just outside the box on this side (a bar's colour there), against the box's second line
        offset = (y0, height - y1, x0, width - x1)[side]
        start, stop = (x0, x1) if side < 2 else (y0, y1)
        inside = lines[1]
        bar = outer[offset - 1, start:stop]
        near = np.all(np.abs(inside.astype(np.int16) - bar.astype(np.int16)) <= tolerance, axis=-1)
        if near.mean() >= FLOATING:
            return True
    return False


COMMON_RATIOS = (4 / 3, 3 / 4, 1.0, 16 / 9, 9 / 16, 3 / 2, 2 / 3, 5 / 4, 4 / 5)
"""Width over height of the pictures people make and share most (camera, square, widescreen, 35 mm,
print), likeliest first: `ratio_cuts` guesses a picture's own edge where it has one of these."""

MAX_RATIO_CUTS = 6
"""At most this many `ratio_cuts` a query (a small logo on a wide page fits many)."""

RATIO_SLACK = 0.01
"""How far (a share of the side) a guessed edge may lie inside the trimmed content: JPEG blends a
bar into the picture's edge by a pixel or two, and a bar cut from a resized copy is a pixel off."""


def ratio_cuts(box: Box, size: tuple[int, int], ratios: tuple[float, ...] = COMMON_RATIOS,
               limit: int = MAX_RATIO_CUTS) -> list[Box]:
    """Where a picture may end inside a border of its own edge's colour, from the first trimming
    pass's box, when the picture has a common shape (`COMMON_RATIOS`).

    A bar of the colour of the picture's flat margin (a white border around shapes drawn on white)
    is cut together with that margin, and nothing in the pixels tells where the one ends: the
    picture lies anywhere between the trimmed box and the whole image, and PDQ finds it only within
    about 1% of a side (`margin_cuts` guesses from the margins' widths). The bar's kind fixes all
    but one number: a letterbox or pillarbox is centred, a bar on one side leaves three of the
    image's edges, a frame of one width takes as much from each side. Each kind is tried with each
    common ratio, and kept when the box it gives holds the trimmed content (within `RATIO_SLACK`)
    and is neither the whole image nor the trimmed box. A frame that keeps the image's own ratio (a
    share of each side) leaves no number to find: `margin_cuts`' even cut is the guess there."""
    x0, y0, x1, y1 = box
    width, height = size
    sx, sy = RATIO_SLACK * width, RATIO_SLACK * height
    # A guess holds the trimmed content when it starts at or before (x0 + sx, y0 + sy) and ends at or
    # past (x1 - sx, y1 - sy); the tests are made before a guess is rounded (a query tries some forty
    # guesses and keeps a few).
    left_of, top_of, right_of, bottom_of = x0 + sx, y0 + sy, x1 - sx, y1 - sy
    out: list[Box] = []
    for r in ratios:
        tall, wide = width / r, height * r  # the picture's height at full width, its width at full height
        guesses: list[tuple[float, float, float, float]] = []
        if tall < height:  # bars top and/or bottom: letterbox, then a bar above, then below
            top = (height - tall) / 2
            guesses += [(0, top, width, top + tall), (0, height - tall, width, height), (0, 0, width, tall)]
        if wide < width:  # pillarbox, a bar on the left, on the right
            left = (width - wide) / 2
            guesses += [(left, 0, left + wide, height), (width - wide, 0, width, height), (0, 0, wide, height)]
        if r != 1.0:  # a frame as wide on every side: (width - 2b) / (height - 2b) = r
            b = (r * height - width) / (2 * (r - 1))
            if 0 < b < min(width, height) / 2:
                guesses.append((b, b, width - b, height - b))
        for cx0, cy0, cx1, cy1 in guesses:
            if not (cx0 <= left_of and cy0 <= top_of and cx1 >= right_of and cy1 >= bottom_of):
                continue
            rounded = (round(cx0), round(cy0), round(cx1), round(cy1))
            if (rounded != box and rounded not in out
                    and (rounded[2] - rounded[0] < width - sx or rounded[3] - rounded[1] < height - sy)):
                out.append(rounded)
                if len(out) == limit:
                    return out
    return out


def trim_passes(
    a: np.ndarray,
    *,
    tolerance: int = BORDER_TOLERANCE,
    noise: float = BORDER_NOISE,
    max_passes: int = MAX_TRIM_PASSES,
) -> list[Box] | None:
    """The content box after each pass that changed something (empty: no border), None when nothing is left.

    Each pass is kept because a later one may cut into the picture (a uniform sky behind a frame
    looks like one more frame); the caller hashes each. Frames all the way in
    (nothing but solid colour inside) are nothing left.
    """
    fast = _compiled(_c_trim, "trim_passes")
    if fast is not None:
        return fast(a, tolerance, noise, max_passes, MIN_CONTENT)
    return _trim_passes_numpy(a, tolerance=tolerance, noise=noise, max_passes=max_passes)


def _trim_passes_numpy(a: np.ndarray, *, tolerance: int, noise: float, max_passes: int) -> list[Box] | None:
    height, width = a.shape[:2]
    if width < MIN_CONTENT or height < MIN_CONTENT:
        return None
    box: Box = (0, 0, width, height)
    boxes: list[Box] = []
    for _ in range(max_passes):
        x0, y0, x1, y1 = box
        if not _any_uniform_edge(a[y0:y1, x0:x1], tolerance, noise):
            break  # no side starts with a line of one colour: nothing (more) to trim
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
MIN_REGION_SHARE = 0.015
"""A region smaller than this share of the image is an icon or a word, not a picture. A 4:3 picture a
fifth as wide as a phone's screenshot (9 x 19.5), in its chat bubble, is 1.6% of it; the 2% this was
until 26 November 2026 left such a picture out, and 1% took the badge on the astronaut photo's
sleeve (16 hashes more)."""
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
BACKGROUND_SAMPLE = 128
"""A page colour's share is counted on every n-th pixel, n = longest side // this: 128 to 255
pixels a side (16,000 or more), where a share of 8% is known to a fraction of a percent."""
LABEL_SIDE = 192
"""Longest side of the copy that page-colour regions are labelled on: a region of 2% of the image
spans 27 pixels a side or more there, and is put back on its edge at full size (`_tighten`). At 192
rather than 256 the evaluation's screenshots, collages and pictures pasted over a busy background
are found exactly as often, and the medium photos' extra hashing time fell by about 4 points."""
MAX_CANDIDATES = 64
"""Candidates kept for the finer checks, whatever the number of components (bounded time)."""


def _colour_keys(a: np.ndarray) -> np.ndarray:
    """5-bit-a-channel colour buckets (0 to 32767) of an (..., 3) uint8 array."""
    q = np.ascontiguousarray(np.moveaxis(a, -1, 0)) >> 3  # channel planes: fast whole-plane operations
    keys = q[0].astype(np.uint16) << 10
    keys |= q[1].astype(np.uint16) << 5
    keys |= q[2]
    return keys


def _backgrounds(a: np.ndarray) -> list[np.ndarray]:
    """Colours that cover a large share of the image in one flat tone and reach its edge: page, app
    or collage backgrounds.

    Colours are bucketed 5 bits a channel (32 levels). A photo's sky spreads over many buckets, a
    drawn background sits in one. The candidates are the colours on at least ``BACKGROUND_RIM`` of
    the image's outer edge (a dark photo inside a light page is not the page); those covering at
    least ``BACKGROUND_SHARE`` of the image are kept, most pixels first (then the lower bucket), at
    most ``MAX_BACKGROUNDS``. Only the rim's colours are counted over the image.
    """
    fast = _compiled(_c_trim, "backgrounds")
    if fast is not None:
        return [np.array(c, dtype=np.int32) for c in fast(a, MAX_BACKGROUNDS, BACKGROUND_SHARE, BACKGROUND_RIM)]
    return _backgrounds_numpy(a)


def _backgrounds_numpy(a: np.ndarray) -> list[np.ndarray]:
    # The rim first: it is a few hundred pixels, and only a colour on a share of it can be the page;
    # most photos have none, so they are done here.
    rim = _colour_keys(np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]]))
    rim_keys, rim_n = np.unique(rim, return_counts=True)
    keys = rim_keys[rim_n >= BACKGROUND_RIM * rim.size]  # a dark photo inside a light page is not the page
    if len(keys) == 0 or MAX_BACKGROUNDS <= 0:
        return []
    sample = max(1, max(a.shape[:2]) // BACKGROUND_SAMPLE)  # a share of 8% needs no more
    pixels = _colour_keys(a[::sample, ::sample])
    counts = np.bincount(pixels.ravel(), minlength=1 << 15)[keys]
    wide = counts >= BACKGROUND_SHARE * pixels.size
    keys, counts = keys[wide], counts[wide]
    keys = keys[np.lexsort((keys, -counts))][:MAX_BACKGROUNDS]  # most pixels first, then the lower key
    return [np.array([(k >> 10) & 31, (k >> 5) & 31, k & 31], dtype=np.int32) * 8 + 4 for k in keys.tolist()]


def _not_background(a: np.ndarray, backgrounds: list[np.ndarray], tolerance: int) -> np.ndarray:
    """Pixels that are none of the background colours, by a lookup in 5-bit-a-channel buckets
    (one pass over the image whatever the number of colours; the tolerance rounds up to whole buckets)."""
    fast = _compiled(_c_trim, "not_background")
    if fast is not None:
        out = np.empty(a.shape[:2], dtype=bool)
        fast(a, out, [tuple(int(v) for v in c) for c in backgrounds], tolerance)
        return out
    return _not_background_numpy(a, backgrounds, tolerance)


def _not_background_numpy(a: np.ndarray, backgrounds: list[np.ndarray], tolerance: int) -> np.ndarray:
    reach = -(-tolerance // 8)
    lut = np.ones(1 << 15, dtype=bool)
    for colour in backgrounds:
        r, g, b = (int(c) >> 3 for c in colour)
        rs = np.arange(max(0, r - reach), min(31, r + reach) + 1)
        gs = np.arange(max(0, g - reach), min(31, g + reach) + 1)
        bs = np.arange(max(0, b - reach), min(31, b + reach) + 1)
        lut[((rs[:, None, None] << 10) | (gs[None, :, None] << 5) | bs[None, None, :]).ravel()] = False
    return lut[_colour_keys(a)]


SMALL_MOVE = 3
"""A trimming pass that cut at most this many lines (of the reduced copy) from each side moved "a
pixel or two": a blend line, a thin mat."""


BLEND_LINES = 4
"""`cut_colour_blend`: at most this many lines a side. A bar narrower than JPEG's 16-pixel colour
block may be blended all across; 8 or 15 found 2 or 3 more of 900 small pictures in coloured bars,
and cut into a low-contrast photo's own edge (a 102 px photo in a frame of nearly its own luma:
10 -> 32 bits)."""

BLEND_LUMA_TOLERANCE = 12
"""`cut_colour_blend`: how far from the bar's luma a pixel of a colour-blend line may lie (JPEG's
ringing beside a bar: 4 to 8 in the cases measured; the picture's own edge there spread over 50)."""

BLEND_SHARE = 0.65
"""`cut_colour_blend`: the share of a line's pixels that must be bar-like. JPEG at quality 50 to 60
rings in luma too: 56% to 94% of a blend line's pixels lay within `BLEND_LUMA_TOLERANCE` of the
bar's luma, 1% to 23% of the picture's first line's. (Small pictures in coloured bars after JPEG,
900 copies: 849 found at 0.65, 853 at 0.5 with 2% more hashes; 805 without the cut.)"""


def _luma_lines(lines: np.ndarray) -> np.ndarray:
    """Pillow's luma of (n, length, 3) uint8 lines (`pdq.grey_of_rgb`, else Pillow's own conversion),
    as int32."""
    from childsafe.media import pdq

    grey = pdq.grey_of_rgb(lines)
    if grey is None:
        grey = np.asarray(Image.fromarray(np.ascontiguousarray(lines)).convert("L"))
    return grey.astype(np.int32)


def cut_colour_blend(a: np.ndarray, box: Box) -> Box:
    """``box`` (trimmed out of the whole array ``a``) with, on each side that was cut, up to
    `BLEND_LINES` more lines cut where they have the luma of the last line cut there though not its
    colour.

    JPEG keeps colour at half resolution and rings: beside a yellow or magenta bar the bar's last
    lines take some of the picture's colour (and the picture's first some of the bar's), beyond the
    colour tolerance, so trimming stops one to five lines early. PDQ sees only luma, and in luma
    those lines are bar: a small picture hashed with them lies 30 bits or more from its original (a
    102 px photo in a coloured frame after JPEG: 32 to 34 bits, 6 to 18 for the exact box). A line
    is cut, from the outside in, while `BLEND_SHARE` of its middle eight tenths lie within
    `BLEND_LUMA_TOLERANCE` of the median luma of the bar's last line and nearer to it than to the
    line `BLEND_LINES` + 1 in (the picture, most likely): a picture's own edge near the bar's luma is
    as near to its own next lines.

    Compiled where built (`_trim.blend_cuts`: a few microseconds where the numpy steps took a tenth
    of a millisecond a side, a third of the extra time of a 256 px photo's query)."""
    fast = _compiled(_c_trim, "blend_cuts")
    if fast is not None:
        top, bottom, left, right = fast(a, box, BLEND_LINES, BLEND_LUMA_TOLERANCE, BLEND_SHARE)
    else:
        top, bottom, left, right = _blend_cuts_numpy(a, box)
    x0, y0, x1, y1 = box
    nx0, ny0, nx1, ny1 = x0 + left, y0 + top, x1 - right, y1 - bottom
    if nx1 - nx0 < MIN_CONTENT or ny1 - ny0 < MIN_CONTENT:
        return box
    return (nx0, ny0, nx1, ny1)


def _blend_cuts_numpy(a: np.ndarray, box: Box) -> tuple[int, int, int, int]:
    """The lines `cut_colour_blend` cuts on each side of ``box``: (top, bottom, left, right). The
    reference of the compiled ``blend_cuts``."""
    height, width = a.shape[:2]
    x0, y0, x1, y1 = box
    cuts = [0, 0, 0, 0]  # top, bottom, left, right
    for side, was_cut in enumerate((y0 > 0, y1 < height, x0 > 0, x1 < width)):
        if not was_cut:
            continue
        grown = [x0, y0, x1, y1]  # and the bar's last line
        grown[(1, 3, 0, 2)[side]] += -1 if side in (0, 2) else 1
        lines = _side(a, tuple(grown), side)[: BLEND_LINES + 2]
        end = lines.shape[1] // 10
        if lines.shape[1] - 2 * end <= 0:
            continue
        luma = _luma_lines(lines[:, end : lines.shape[1] - end] if end else lines)
        bar, inner = int(np.median(luma[0])), luma[-1]
        for line in luma[1:-1]:
            off = np.abs(line - bar)
            bar_like = (off <= BLEND_LUMA_TOLERANCE) & (off < np.abs(line - inner))
            if bar_like.sum() < BLEND_SHARE * line.size:
                break
            cuts[side] += 1
    top, bottom, left, right = cuts
    return top, bottom, left, right


SNAP_LUMA_TOLERANCE = 12
"""`snap_to_frame`: a line is frame while its luma lies this close to the frame's."""
SNAP_SHARE = 0.9
"""`snap_to_frame`: ... on this share of its middle eight tenths."""
SNAP_BREAK = 16
"""`snap_to_frame`: a step of this much luma between two lines is a break ..."""
SNAP_BREAK_SHARE = 0.35
"""... and a side with no frame outside it moves to a step that breaks along this share of its
middle (as much as the outline finder asks of a side)..."""
SNAP_BREAK_GAIN = 1.25
"""... and this many times as much as the step it is on."""


def snap_to_frame(rgb: np.ndarray, box: Box, reach: int) -> Box:
    """``box`` (found on a copy reduced by ``reach``) with each side put on the image's own pixels
    (``rgb``, (h, w, 3) at full size): where the frame or page outside it ends, or else on a clearly
    stronger break, within ``reach`` lines outside and twice that inside.

    A reduced copy keeps every ``reach``-th line, so a box found there is up to ``reach - 1`` lines
    off, and a region's frame is trimmed on a copy filtered by 2: a picture pasted in a chat bubble
    kept a line of the bubble on two sides. PDQ's blur is a few pixels wide on a small picture, so
    one bright line along a dark photo's edge moved its hash 24 bits (a 313 x 209 photo in a 4 px
    bubble: 34 bits from its original, 10 for the exact box). Each side is read in luma (all PDQ
    sees; JPEG blends a frame's colour into the picture's first line, not its luma), by the middle
    eight tenths of its lines. When the outermost line is one tone (`SNAP_SHARE` of it within
    `SNAP_LUMA_TOLERANCE` of its median), the side moves to the first line that is not (one tone all
    through: a flat edge that may be the picture's own, and the side stays). When it is not (a
    picture over a busy background, a collage's next tile), the side moves to the step between two
    lines that changes by `SNAP_BREAK` or more along `SNAP_BREAK_SHARE` of the line, when that step is
    `SNAP_BREAK_GAIN` times as long as the one the side is on (a pasted picture's edge, where the
    outline finder's reduced copy left a line of the background).

    Compiled where built (`_trim.snap_box`, a few microseconds where the numpy steps took a fifth of
    a millisecond: a screenshot's regions and their cuts are snapped a dozen times or more)."""
    fast = _compiled(_c_trim, "snap_box")
    if fast is not None:
        snapped = fast(rgb, box, reach, SNAP_LUMA_TOLERANCE, SNAP_SHARE, SNAP_BREAK, SNAP_BREAK_SHARE, SNAP_BREAK_GAIN)
    else:
        snapped = _snap_to_frame_numpy(rgb, box, reach)
    if snapped[2] - snapped[0] < MIN_CONTENT or snapped[3] - snapped[1] < MIN_CONTENT:
        return box
    return snapped


def _snap_to_frame_numpy(rgb: np.ndarray, box: Box, reach: int) -> Box:
    """`snap_to_frame` before its size check: the reference of the compiled ``snap_box``."""
    height, width = rgb.shape[:2]
    x0, y0, x1, y1 = box
    inside = min(2 * reach, (x1 - x0) // 2, (y1 - y0) // 2)
    if reach <= 1 or inside < 1:
        return box
    edges = [x0, y0, x1, y1]
    # (index in the box, `_side`'s number, the lines there are outside the box, the box grown by them)
    left, top = min(reach, x0), min(reach, y0)
    right, bottom = min(reach, width - x1), min(reach, height - y1)
    sides = ((0, 2, left, (x0 - left, y0, x1, y1)), (1, 0, top, (x0, y0 - top, x1, y1)),
             (2, 3, right, (x0, y0, x1 + right, y1)), (3, 1, bottom, (x0, y0, x1, y1 + bottom)))
    for index, side, outside, grown in sides:
        if outside < 1:
            continue
        lines = _side(rgb, grown, side)[: outside + inside]  # read from the outside in
        end = lines.shape[1] // 10
        luma = _luma_lines(lines[:, end : lines.shape[1] - end] if end else lines)
        first = luma[0]
        tone = int(np.partition(first, first.size // 2)[first.size // 2])
        frame = (np.abs(luma - tone) <= SNAP_LUMA_TOLERANCE).sum(axis=1) >= SNAP_SHARE * luma.shape[1]
        count = int(np.argmin(frame)) if not frame.all() else len(frame)
        if count == len(frame):
            continue
        if count == 0:
            steps = (np.abs(np.diff(luma, axis=0)) >= SNAP_BREAK).sum(axis=1)
            best = int(np.argmax(steps))
            if steps[best] < SNAP_BREAK_SHARE * luma.shape[1] or steps[best] < SNAP_BREAK_GAIN * steps[outside - 1]:
                continue
            count = best + 1
        move = count - outside  # lines the side moves inwards (negative: outwards)
        edges[index] += move if index < 2 else -move
    return (edges[0], edges[1], edges[2], edges[3])


def _moved_little(a: Box, b: Box) -> bool:
    return max(abs(p - q) for p, q in zip(a, b)) <= SMALL_MOVE


def _iou(a: Box, b: Box) -> float:
    # (comparisons, not min / max calls: a query compares a few dozen pairs; 0.81 -> 0.23 us a pair, the same values)
    ax0, ay0, ax1, ay1 = a
    bx0, by0, bx1, by1 = b
    ix = (ax1 if ax1 < bx1 else bx1) - (ax0 if ax0 > bx0 else bx0)
    iy = (ay1 if ay1 < by1 else by1) - (ay0 if ay0 > by0 else by0)
    inter = ix * iy if ix > 0 and iy > 0 else 0
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    return inter / union if union else 0.0


def _patches(mask: np.ndarray, min_size: int = 0) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """The 8-connected patches of a 2-D mask of at least ``min_size`` pixels, in the order
    scipy.ndimage.label numbers them: their pixel counts (int64, one a patch) and boxes ``(y0, y1,
    x0, x1)`` (exclusive ends). Compiled, a smaller patch costs no Python object (a starfield's
    hundreds of specks: 200 -> 10 us)."""
    fast = _compiled(_c_components, "components")
    if fast is not None:
        found = fast(mask, min_size)
        return np.array([p[0] for p in found], dtype=np.int64), [p[1:] for p in found]
    sizes, boxes = _patches_scipy(mask)
    keep = np.flatnonzero(sizes >= min_size)
    return sizes[keep], [boxes[i] for i in keep]


def _largest_patch(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """The box ``(y0, y1, x0, x1)`` of the largest patch of a mask (the first of that size in
    `_patches` order), or None; compiled, it lists no patch (a crop full of specks costs no list of
    hundreds of thousands)."""
    fast = _compiled(_c_components, "largest")
    if fast is not None:
        found = fast(mask)
        return None if found is None else tuple(found[1:])
    sizes, boxes = _patches_scipy(mask)
    return None if len(sizes) == 0 else tuple(int(v) for v in boxes[int(np.argmax(sizes))])


def _patches_scipy(mask: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    from scipy import ndimage  # here, not at the top: importing it takes a quarter of a second

    labels, count = ndimage.label(mask, structure=np.ones((3, 3), dtype=bool))
    if count == 0:
        return np.zeros(0, dtype=np.int64), []
    sizes = np.bincount(labels.ravel(), minlength=count + 1)[1:].astype(np.int64)
    boxes = [(r.start, r.stop, c.start, c.stop) for r, c in ndimage.find_objects(labels)]
    return sizes, boxes


TIGHTEN_BAND = 3
"""How far inside each side of a box found on the labelling copy (in steps of that copy) `_tighten`
looks pixel by pixel: the box is the coarse patch's, widened by a step, so the picture's edge lies
within a step or two of its sides; the rest is inside the patch."""


def _tighten(a: np.ndarray, box: Box, backgrounds: list[np.ndarray], tolerance: int, step: int = 1) -> Box | None:
    """A box found on a copy every ``step``-th pixel, put on the edge of the largest patch of
    non-page colour inside it at full size (a line of blended pixels along a frame beside it is a
    patch of its own).

    Only a band of ``TIGHTEN_BAND`` steps inside each side is looked at pixel by pixel; the inside is
    the patch the copy found and counts as one piece (a picture whose own dark parts have the page
    colour stays whole). The work grows with the box's outline, not its area."""
    x0, y0, x1, y1 = box
    crop = a[y0:y1, x0:x1]
    height, width = crop.shape[:2]
    band = TIGHTEN_BAND * step
    if step <= 1 or height <= 2 * band or width <= 2 * band:
        mask = _not_background(crop, backgrounds, tolerance)
    else:
        mask = np.ones((height, width), dtype=bool)
        for rows, cols in ((slice(0, band), slice(None)), (slice(height - band, height), slice(None)),
                           (slice(band, height - band), slice(0, band)),
                           (slice(band, height - band), slice(width - band, width))):
            mask[rows, cols] = _not_background(crop[rows, cols], backgrounds, tolerance)
    patch = _largest_patch(mask)
    if patch is None:
        return None
    r0, r1, c0, c1 = patch
    return (x0 + c0, y0 + r0, x0 + c1, y0 + r1)


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
    return _regions(a, max_regions=max_regions, tolerance=tolerance, backgrounds=backgrounds)[0]


def _regions(
    a: np.ndarray,
    *,
    max_regions: int = MAX_REGIONS,
    tolerance: int = BORDER_TOLERANCE,
    backgrounds: list[np.ndarray] | None = None,
) -> tuple[list[Box], float]:
    """`region_boxes`, and the share of the array that is page colour (0 when none was looked at)."""
    height, width = a.shape[:2]
    if max_regions <= 0 or width < MIN_REGION_SIDE or height < MIN_REGION_SIDE:
        return [], 0.0
    if backgrounds is None:
        backgrounds = _backgrounds(a)
    if not backgrounds:
        return [], 0.0
    # Labelled on a copy at most LABEL_SIDE pixels long (every step-th pixel): a region is at least 2%
    # of the image, so it still spans many pixels there, and thousands of specks (a starfield on
    # black) cost a fraction as much. A box found there is widened to hold the whole picture, then
    # put back on its edge at full size (`_tighten`).
    step = -(-max(height, width) // LABEL_SIDE)
    small = a[::step, ::step]
    content = _not_background(small, backgrounds, tolerance)
    page = 1.0 - np.count_nonzero(content) / content.size  # content.mean()'s value, without a float pass
    if page < 0.015:
        return [], page  # one picture fills it all (a letterboxed photo once its bars are gone)
    image_area = width * height
    least = MIN_REGION_SHARE * image_area * MIN_FILL  # a candidate's pixels, at full size
    # the fewest pixels a patch of the copy needs for that: n step^2 >= least, and n step^2 is whole
    fewest = max(1, -(-math.ceil(least) // (step * step)))
    sizes, patches = _patches(content, fewest)
    if len(sizes) == 0:
        return [], page  # specks only (a starfield, text): nothing the size of a picture
    sizes = sizes * (step * step)
    big = np.argsort(sizes, kind="stable")[::-1][:MAX_CANDIDATES]  # the same order on every CPU
    scored: list[tuple[float, Box]] = []
    for label in big:
        r0, r1, c0, c1 = patches[label]
        box = (max(0, (c0 - 1) * step + 1), max(0, (r0 - 1) * step + 1),
               min(width, c1 * step), min(height, r1 * step))
        # Judged on the coarse box (a step wider at most), put on its edge only once chosen.
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
    if len(scored) > max_regions:
        # More candidates than places: flat ones (a chat's text bubbles, a button) go last, whatever
        # their size; they would be dropped below quality 10 anyway, after taking a picture's place.
        flat = [_mostly_one_colour(small[box[1] // step:-(-box[3] // step), box[0] // step:-(-box[2] // step)])
                for _, box in scored]
        scored = [item for _, item in sorted(zip(flat, scored), key=lambda pair: pair[0])]  # stable: by score within
    chosen: list[Box] = []
    for _, box in scored:
        if all(_iou(box, other) < 0.9 for other in chosen):
            chosen.append(box)
        if len(chosen) >= max_regions:
            break
    if step > 1:
        chosen = [tight for box in chosen if (tight := _tighten(a, box, backgrounds, tolerance, step)) is not None]
    return chosen, page


PAGE_LINE = 0.02
"""`region_parts`: a row or column of a region this little of which is not page colour is page."""
PART_SAMPLE = 8
"""`region_parts` first looks at every PART_SAMPLE-th pixel along a region's rows."""
PART_STEP = 3
"""`region_parts` looks for gaps only where regions were labelled every PART_STEP-th pixel or more
sparsely (an array longer than twice `LABEL_SIDE`): a 256 px photo with a page colour (the stairs
photo: 0.44 ms more on 3.4) pays nothing for a gap of one pixel."""


def region_parts(a: np.ndarray, regions: list[Box], backgrounds: list[np.ndarray], *,
                 limit: int, tolerance: int = BORDER_TOLERANCE) -> list[Box]:
    """The parts of each region between rows, then columns, of page colour that cross it, when there
    are two or more, each as tight as its content and the size of a region (`MIN_REGION_SHARE`,
    `MIN_REGION_SIDE`); at most ``limit``, none within 0.9 (intersection over union) of a region or a
    part before it.

    Regions are labelled on a copy every few pixels (`LABEL_SIDE`), where a gap narrower than that
    step between two patches can vanish: a photo in a chat bubble 6 px below a text bubble was one
    region with it, and its hash 112 bits from the photo's (12 for the photo's own box). Looked at
    here at the full size of the working copy, the gap is a line of page colour across the region.
    The region itself is kept too: a picture may have a stripe of the page's colour of its own."""
    height, width = a.shape[:2]
    if -(-max(height, width) // LABEL_SIDE) < PART_STEP:
        return []  # labelled every pixel or every second: only a gap of one pixel can have vanished
    least = MIN_REGION_SHARE * height * width
    parts: list[Box] = []

    def spans(mask: np.ndarray, axis: int) -> list[tuple[int, int]]:
        """Runs of lines (along ``axis``) that are not page."""
        content = np.count_nonzero(mask, axis=1 - axis) > PAGE_LINE * mask.shape[1 - axis]
        edges = np.flatnonzero(np.diff(np.concatenate([[False], content, [False]]).astype(np.int8)))
        return list(zip(edges[::2].tolist(), edges[1::2].tolist()))

    for x0, y0, x1, y1 in regions:
        # First every PART_SAMPLE-th pixel along the rows (a row of page colour is page at every
        # pixel): only a band between gaps that could hold a part (a region's size, and not nearly
        # the region: a part lies inside its band) makes the whole test worth its time. A photo
        # whose sky is its page (the camera photo: 1 ms more on a 2 ms hash) has none. Rows only:
        # bubbles stack, and a collage's tiles side by side are cut by its seams (`grid_cells`).
        width_, height_ = x1 - x0, y1 - y0
        bands = spans(_not_background(a[y0:y1, x0:x1:PART_SAMPLE], backgrounds, tolerance), 0)
        if not any(MIN_REGION_SIDE <= r1 - r0 < 0.9 * height_ and (r1 - r0) * width_ >= least for r0, r1 in bands):
            continue
        mask = _not_background(a[y0:y1, x0:x1], backgrounds, tolerance)
        found = []
        for r0, r1 in spans(mask, 0):
            for c0, c1 in spans(mask[r0:r1], 1):
                live = np.flatnonzero(np.count_nonzero(mask[r0:r1, c0:c1], axis=1))  # its rows with content
                found.append((x0 + c0, y0 + r0 + int(live[0]), x0 + c1, y0 + r0 + int(live[-1]) + 1))
        if len(found) < 2:
            continue
        for part in found:
            pw, ph = part[2] - part[0], part[3] - part[1]
            if (pw >= MIN_REGION_SIDE and ph >= MIN_REGION_SIDE and pw * ph >= least
                    and all(_iou(part, other) < 0.9 for other in regions + parts)):
                parts.append(part)
    return parts[:limit]


FLAT_REGION = 0.8
"""A candidate region this much of one colour (a 5-bit bucket a channel) is flat: a text bubble."""


def _mostly_one_colour(pixels: np.ndarray) -> bool:
    if pixels.size == 0:
        return True
    counts = np.bincount(_colour_keys(pixels).ravel(), minlength=1)
    return bool(counts.max() >= FLAT_REGION * pixels.shape[0] * pixels.shape[1])


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

EDGE_STEP = 24
"""Largest per-channel difference across a line that counts as an edge (colour, not only luma: a
pasted picture and its background often agree in brightness but not in hue)."""
EDGE_RATIO = (3, 2)
"""A break must also be 3/2 times the larger of the steps just before and after it: a pasted
picture's side is a sharp break between two smooth pictures, while texture (grass, gravel, noise)
steps at every pixel and a blurred shape's outline over several. A thin line's far side does not
count (`_edge_maps`)."""
SMOOTH_SIDE = 4
"""A step of at least `SMOOTH_SIDE_STEP` that is also this many times both steps on one side of it (the
next two lines that way) is a break whatever the other side does: a picture pasted over texture (grass,
gravel, bricks) meets it with a smooth side of its own, and the texture's steps on the other side held
the two-sided rule back. Since the eighth session of 26 November 2026: pictures of 20-60% of the width
pasted over drawn scenes and package photos (a generator of that session, 900 cases): 771 -> 799 found
(35 more, 7 fewer); `make eval-matching`'s pasted sweep 537 -> 550 of 600, its fixed rows of pictures
in pictures 2 fewer of 216. 3, 5, 6 or 8 times found a few fewer of the first 300."""
SMOOTH_SIDE_STEP = 36
"""... and at least this large: from `EDGE_STEP` (24) on, as many were found but windows in busy
architecture were outlined (a 256 px street of houses: 3 pictures -> 7) and 4.9% more hashes of
unrelated images looked up (from 36: 3.8%); from 48, fewer were found."""
MAX_LINES = 16
"""Candidate rows and columns kept (the strongest), so a busy picture costs no more than a plain one."""
MIN_SIDE_SUPPORT = 0.35
"""Share of each side of a box that must lie on an edge (picture and background agree here and there) ..."""
MIN_MEAN_SUPPORT = 0.7
"""... and of the four sides together."""
FLAT_PAGE = 0.9
"""Outlines are not looked for when page colour covers this share of the image (specks on a page)."""
OUTLINE_MARGIN = 16
"""Lines past the first trim on each side that outlines are looked for in (on the working copy; a
multiple of `CONTRAST_ALONG` where the trim cut that much, fewer where it cut less). A trim that
stops at a pasted picture's own side (a drawn scene's smooth sky or gradient cut as a bar) leaves
that side on the array's border, which runs on past every corner and scores the box down: the
evaluation's pasted sweep lost 5 of 600 that way."""
MAX_OUTLINE_CANDIDATES = 256
"""Boxes looked at, best first, when picking outlines that do not overlap (bounded time)."""
MIN_OUTLINE_SHARE = 0.02
"""An outline smaller than this share of the image is left out (texture and clutter outline many
small boxes; a page-colour region can be smaller, `MIN_REGION_SHARE`)."""
OUTLINE_REACH = 0.15
"""How far past each corner (a share of the side) a side's edge is checked for running on: a pasted
picture's sides stop at its corners, a background line does not."""


CONTRAST_WINDOW = 5
"""`_contrast_maps`: the steps at this many places along a line (centred; fewer at its ends) are averaged ..."""
CONTRAST_ALONG = 4
"""... every this many pixels (so a window spans 17): a quarter of the work, and as many found as at
every pixel with a window of 9 (pictures over texture, 288 cases: 257 and 256, with every second
pixel and a window of 9 257)."""
CONTRAST_STEP = 12
"""`_contrast_maps`: the mean step along a stretch of a side must be at least this ..."""
CONTRAST_RATIO = (3, 2)
"""... and 3/2 times the mean step over the same stretch of the lines just before and after it."""
CONTRAST_MIN_SCORE = 0.5
"""A box of `_contrast_maps`' breaks is kept only with this score (mean support less half the run-on,
`_find_edge_boxes`): a picture's sides so found scored 0.63-0.83 in a study of pictures over texture,
while most such boxes in unrelated photos (stairs, windows, fields) scored less (0.31-0.59 for 44 of 59)."""
CONTRAST_SAME = 0.9
"""`pictures_within`: a box from `_contrast_maps` overlapping a sharp outline by this much is that outline."""
CONTRAST_OUTLINES = True
"""Whether `pictures_within` looks for contrast outlines at all (the tests and a cost comparison turn
it off; a platform turns the whole search off with ``regions=False``)."""


def _contrast_maps(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Breaks of an (h, w, 3) uint8 array by the mean step along a stretch of line, laid out as
    `_edge_maps`' are: where the steps across a line, averaged over `CONTRAST_WINDOW` places along
    it `CONTRAST_ALONG` pixels apart, are at least `CONTRAST_STEP` and `CONTRAST_RATIO` times the
    same average on the lines just before and after it (at the first and last line the one
    neighbour there is). The row lines are found on every `CONTRAST_ALONG`-th column, the column
    lines on every such row, and each break then stands for the pixels up to the next place.

    A picture pasted over texture (grass, gravel, cells) or a busy drawing: pixel by pixel, the
    texture's own steps beside the picture's side are as large as the side's, so `_edge_maps` finds
    few breaks there; but texture's neighbouring lines of pixels resemble each other, the picture's
    and the texture's lines do not, and averaged along the side the step across it stands out. In
    whole numbers (sums, not means: the same window on both sides), so the compiled version agrees
    to the bit."""
    height, width = c.shape[:2]
    rows = np.repeat(_contrast_lines(c[:, ::CONTRAST_ALONG]), CONTRAST_ALONG, axis=1)[:, :width]
    cols = np.repeat(_contrast_lines(c[::CONTRAST_ALONG].transpose(1, 0, 2)), CONTRAST_ALONG, axis=1)[:, :height]
    return rows, cols.T


def _contrast_lines(c: np.ndarray) -> np.ndarray:
    """`_contrast_maps`' breaks across the row lines of ``c`` (between rows r and r + 1), (h - 1, w)."""
    planes = np.ascontiguousarray(np.moveaxis(c, 2, 0)).astype(np.int16)  # (3, h, w)
    step = np.abs(planes[:, 1:] - planes[:, :-1]).max(axis=0).astype(np.int32)  # (h - 1, w)
    n, length = step.shape
    half = CONTRAST_WINDOW // 2
    sums = np.zeros((n, length + 1), np.int32)
    np.cumsum(step, axis=1, out=sums[:, 1:])
    x = np.arange(length)
    lo, hi = np.maximum(x - half, 0), np.minimum(x + half + 1, length)
    window = sums[:, hi] - sums[:, lo]
    beside = np.maximum(*_neighbour_lines(window))
    return (window >= CONTRAST_STEP * (hi - lo)) & (window * CONTRAST_RATIO[1] >= beside * CONTRAST_RATIO[0])


def _neighbour_lines(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each line of ``v`` (axis 0), the line before it and the line after it, and at the ends the
    one neighbour there is both ways (the line itself when alone): what a break is compared with."""
    if len(v) < 2:
        return v, v
    return np.concatenate([v[1:2], v[:-1]]), np.concatenate([v[1:], v[-2:-1]])


def _edge_maps(c: np.ndarray, thin: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Sharp colour breaks of an (h, w, 3) uint8 array: ``rows[r, x]`` between rows r and r+1,
    ``cols[y, c]`` between columns c and c+1.

    A break is a step (the largest per-channel difference across the line) of at least `EDGE_STEP`
    that is `EDGE_RATIO` times the larger step beside it, or one of at least `SMOOTH_SIDE_STEP` that
    is `SMOOTH_SIDE` times both steps on one side of it. With ``thin`` (on the half-size copy of a
    large image), where the step beside it is the far side of a thin line (`_thin_lines`: a line of
    pixels one wide, above or below both lines beside it), and the steps past both are smaller
    again, the step on its other side counts instead: a 2 px outline round a pasted picture is one
    pixel wide on that copy, and its two sides, side by side, held each other back (8 pictures in
    a 2 px outline over a busy picture: none found, 7 now)."""
    planes = np.ascontiguousarray(np.moveaxis(c, 2, 0)).astype(np.int16)  # (3, h, w)
    out = []
    for axis in (1, 2):
        lines = planes if axis == 1 else planes.transpose(0, 2, 1)  # the steps run down axis 1
        diff = lines[:, 1:] - lines[:, :-1]
        step = np.abs(diff).max(axis=0).astype(np.int32)  # (n, length)
        n = step.shape[0]
        if n == 0:
            out.append(np.zeros(step.shape, dtype=bool) if axis == 1 else np.zeros(step.shape[::-1], dtype=bool))
            continue
        thin_k = _thin_lines(diff) if thin else np.zeros((max(0, n - 1), step.shape[1]), dtype=bool)  # line k + 1
        far = np.full((2, step.shape[1]), 255, np.int32)  # past the ends: never a small step
        ext = np.concatenate([far, step, far])
        before, after, before2, after2 = ext[1 : n + 1], ext[3 : n + 3], ext[:n], ext[4 : n + 4]
        near_before, near_after = _neighbour_lines(step)
        none = np.zeros((1, step.shape[1]), dtype=bool)
        thin_after = np.concatenate([thin_k, none])  # the line of pixels after step r is thin
        thin_before = np.concatenate([none, thin_k])
        small = lambda v: v * EDGE_RATIO[0] <= step * EDGE_RATIO[1]
        beside = np.maximum(near_before, near_after)
        beside = np.where(thin_after & small(after2) & small(before), near_before,
                          np.where(thin_before & small(before2) & small(after), near_after, beside))
        breaks = (step * EDGE_RATIO[1] >= EDGE_RATIO[1] * EDGE_STEP) & (step * EDGE_RATIO[1] >= beside * EDGE_RATIO[0])
        smooth_side = (np.maximum(before, before2) * SMOOTH_SIDE <= step) | (np.maximum(after, after2) * SMOOTH_SIDE <= step)
        breaks |= (step >= SMOOTH_SIDE_STEP) & smooth_side
        out.append(breaks if axis == 1 else breaks.T)
    return out[0], out[1]


def _thin_lines(diff: np.ndarray) -> np.ndarray:
    """From (3, n, length) signed steps between lines of pixels: whether each inner line (1 .. n-1)
    stands above or below both lines beside it by `EDGE_STEP` in some channel (a thin line of its
    own colour, not a blur: a blurred edge steps the same way twice)."""
    up = np.minimum(diff[:, :-1], -diff[:, 1:]).max(axis=0)
    down = np.minimum(-diff[:, :-1], diff[:, 1:]).max(axis=0)
    return np.maximum(up, down) >= EDGE_STEP


def _strongest(profile: np.ndarray, count: int) -> np.ndarray:
    """Indices of the ``count`` largest local maxima of a projection profile (neighbours within 2 dropped)."""
    order = np.argsort(profile, kind="stable")[::-1]  # equal counts: the later line first, on every CPU
    taken: list[int] = []
    for i in order[: count * 6]:
        if profile[i] <= 0:
            break
        if all(abs(int(i) - t) > 2 for t in taken):
            taken.append(int(i))
        if len(taken) >= count:
            break
    return np.array(sorted(taken), dtype=np.int64)


BORDER_SUPPORT = 0.75
"""What a side on the image's own border counts as: enough to make a box, less than a real outline."""


def _side_tables(edges: np.ndarray, lines: np.ndarray, border: np.ndarray, ends: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every candidate line (one row of ``edges`` each) and every pair (i < j) of candidate
    boundaries ``ends`` across it: the share of the stretch between the two that lies on a break
    (``support``, shape (lines, pairs)), how much of the line breaks just past either end
    (``run_on``), and the pairs' lengths. A line on the image's border counts as ``BORDER_SUPPORT``.

    A box is then a pair of lines each way; its four sides are looked up in these tables, so the
    work per box is a few array operations over all boxes at once.
    """
    length = edges.shape[1]
    picked = edges[np.clip(lines, 0, edges.shape[0] - 1)].astype(np.float32)
    picked[border] = BORDER_SUPPORT
    sums = np.zeros((len(lines), length + 1), dtype=np.float32)
    np.cumsum(picked, axis=1, out=sums[:, 1:])
    i, j = np.triu_indices(len(ends), k=1)
    start, stop = ends[i], ends[j]  # the side runs over positions start+1 .. stop (inclusive)
    span = stop - start

    def share(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        lo = np.clip(lo, 0, length)
        hi = np.clip(hi, 0, length)
        return np.where(hi > lo, (sums[:, hi] - sums[:, lo]) / np.maximum(hi - lo, 1), 0).astype(np.float32)

    # Inset by 2 at each corner: corners are where sides blur together.
    support = share(start + 3, stop - 1)
    reach = np.maximum(2, (span * OUTLINE_REACH).astype(np.int64))
    run_on = np.maximum(share(start - reach + 1, start - 1), share(stop + 3, stop + 3 + reach))
    return support, run_on, span


def _find_edge_boxes(c: np.ndarray, max_regions: int, thin: bool = False,
                     maps: tuple[np.ndarray, np.ndarray] | None = None, min_score: float | None = None) -> list[Box]:
    """Boxes (x0, y0, x1, y1) whose four sides lie on sharp breaks, best first. A side is either a
    line with many breaks or the array's own border (a picture pushed against the edge). ``thin``:
    `_edge_maps`' thin-line rule; ``maps``: breaks found otherwise (`_contrast_maps`), and
    ``min_score`` the least score a box needs."""
    height, width = c.shape[:2]
    across_rows, across_cols = maps if maps is not None else _edge_maps(c, thin)  # (h-1, w), (h, w-1)
    # Candidate boundaries: "after row r" for r in rows means the box starts at row r + 1; the border
    # lines are -1 (before the first row) and height - 1 (after the last).
    rows = np.unique(np.concatenate([[-1], _strongest(np.count_nonzero(across_rows, axis=1), MAX_LINES), [height - 1]]))
    cols = np.unique(np.concatenate([[-1], _strongest(np.count_nonzero(across_cols, axis=0), MAX_LINES), [width - 1]]))
    row_border = (rows < 0) | (rows >= height - 1)
    col_border = (cols < 0) | (cols >= width - 1)
    # h_*: horizontal sides, (row line, column pair); v_*: vertical sides, (column line, row pair).
    h_sup, h_run, box_w = _side_tables(across_rows, rows, row_border, cols)
    v_sup, v_run, box_h = _side_tables(across_cols.T, cols, col_border, rows)
    r0, r1 = np.triu_indices(len(rows), k=1)  # row pairs, in the order of v_* columns
    c0, c1 = np.triu_indices(len(cols), k=1)  # column pairs, in the order of h_* columns
    # Every box at once as (row pair, column pair): first the cheap test that every side has some
    # support, then the rest only for the few boxes that pass it.
    ok = np.minimum(h_sup[r0], h_sup[r1]) >= MIN_SIDE_SUPPORT
    ok &= (np.minimum(v_sup[c0], v_sup[c1]) >= MIN_SIDE_SUPPORT).T
    ri, ci = np.nonzero(ok)
    if len(ri) == 0:
        return []
    top, bottom = h_sup[r0[ri], ci], h_sup[r1[ri], ci]
    left, right = v_sup[c0[ci], ri], v_sup[c1[ci], ri]
    mean = (top + bottom + left + right) / 4
    run_on = np.maximum(np.maximum(h_run[r0[ri], ci], h_run[r1[ri], ci]),
                        np.maximum(v_run[c0[ci], ri], v_run[c1[ci], ri]))
    on_border = (row_border[r0[ri]].astype(np.int8) + row_border[r1[ri]] + col_border[c0[ci]]
                 + col_border[c1[ci]])
    bw, bh = box_w[ci], box_h[ri]
    area = bw * bh
    keep = (
        (mean >= MIN_MEAN_SUPPORT) & (on_border <= 2)
        & (bw >= MIN_REGION_SIDE // 2) & (bh >= MIN_REGION_SIDE // 2)
        & (area >= MIN_OUTLINE_SHARE * width * height) & (area <= MAX_REGION_SHARE * width * height)
        & (bw <= MAX_ASPECT * bh) & (bh <= MAX_ASPECT * bw)
    )
    ri, ci = ri[keep], ci[keep]
    if len(ri) == 0:
        return []
    score = np.round(mean[keep] - 0.5 * run_on[keep], 2)
    area = area[keep]
    if min_score is not None:
        good = score >= min_score
        ri, ci, score, area = ri[good], ci[good], score[good], area[good]
    order = np.lexsort((-area, -score))[:MAX_OUTLINE_CANDIDATES]
    chosen: list[Box] = []
    for k in order:
        i, j = ri[k], ci[k]
        box = (int(cols[c0[j]]) + 1, int(rows[r0[i]]) + 1, int(cols[c1[j]]) + 1, int(rows[r1[i]]) + 1)
        if all(_iou(box, other) < 0.8 for other in chosen):
            chosen.append(box)
        if len(chosen) >= max_regions:
            break
    return chosen


def _refine_side(a: np.ndarray, guess: int, lo: int, hi: int, reach: int, horizontal: bool) -> int:
    """The boundary near ``guess`` (a row or column index where the picture starts) with the most
    colour breaks along [lo, hi) of the other axis; ``a`` is the (h, w, 3) RGB copy. A guess on the
    border stays there."""
    limit = a.shape[0] if horizontal else a.shape[1]
    if guess <= 0 or guess >= limit:
        return guess
    first, last = max(1, guess - reach), min(limit - 1, guess + reach)
    if last < first or hi <= lo:
        return guess
    band = a[first - 1 : last + 1, lo:hi] if horizontal else a[lo:hi, first - 1 : last + 1].transpose(1, 0, 2)
    counts = (np.abs(np.diff(band.astype(np.int16), axis=0)).max(axis=2) >= EDGE_STEP).sum(axis=1)
    return first + int(np.argmax(counts))


GRID_LINE = 0.85
"""`grid_cells`: a row or column is a seam between tiles when it breaks (`EDGE_STEP`) along this share
of its length."""
MAX_GRID_SEAMS = 2
"""Seams each way that make a collage (up to 3 x 3 tiles); more are a texture's (stairs, bricks)."""
GRID_SAMPLE = 4
"""`grid_cells` looks at every GRID_SAMPLE-th pixel along a line of its reduced copy (a seam breaks
all along it)."""
GRID_SPLITS = (2, 3)
"""Collages are cut evenly: a seam at a half, a third or two thirds of a side."""
GRID_WEAK_LINE = 0.5
"""`grid_cells`: once one seam lies where an even collage has one (`GRID_SPLITS`), a line that breaks
along this share of its length where another seam of such a collage belongs is one too: two tiles of
the same tone along part of the seam (a grey sky beside a grey wall) stop it from breaking all along.
(Drawn collages of photos whose tiles touch, 2 x 2 and 3 x 3: 20 -> 30 of 30 with all their tiles;
the reference and package photos: 1 of 56 has cells either way.)"""
GRID_FIT = 2
"""How many lines of the reduced copy a weak seam may lie from where an even collage puts it."""
GUTTER_SHARE = 0.03
"""`grid_cells`: the widest gutter between a collage's tiles, as a share of the side it cuts."""
GUTTER_SLACK = 3
"""`grid_cells`: a gutter starts within this many lines of the break a seam was put on (JPEG blends
a line or two of it with the tile beside it)."""


def _seam_lines_numpy(a: np.ndarray, step: int, share: float = GRID_LINE) -> tuple[list[int], list[int], np.ndarray, np.ndarray]:
    """For each row and column i of ``a[::step, ::step]``: at how many of every `GRID_SAMPLE`-th
    position along it the step from line i - 1 is at least `EDGE_STEP` (0 for line 0), and the lines
    where that is ``share`` of them or more: (rows, columns, row counts, column counts); the compiled
    ``seam_lines`` gives the same."""
    planes = np.ascontiguousarray(np.moveaxis(a[::step, ::step], 2, 0))  # fast whole-plane steps
    lines_out, counts_out = [], []
    for axis in (0, 1):
        if axis == 0:
            lines = planes[:, :, ::GRID_SAMPLE]
            lo, hi = lines[:, :-1], lines[:, 1:]
        else:
            lines = planes[:, ::GRID_SAMPLE]
            lo, hi = lines[:, :, :-1], lines[:, :, 1:]
        d = np.maximum(lo, hi)
        d -= np.minimum(lo, hi)
        breaks = np.count_nonzero(np.maximum(np.maximum(d[0], d[1]), d[2]) >= EDGE_STEP, axis=1 - axis)
        samples = lines.shape[2 - axis]
        lines_out.append((np.flatnonzero(breaks >= share * samples) + 1).tolist() if samples else [])
        counts_out.append(np.concatenate([[0], breaks]).astype(np.int64) if planes.shape[1 + axis] else np.zeros(0, np.int64))
    return lines_out[0], lines_out[1], counts_out[0], counts_out[1]


SeamCounts = tuple[tuple[np.ndarray, int], tuple[np.ndarray, int]]
"""For the rows and then the columns of a reduced copy: each line's count of breaks, and of how many
positions along it (`_seam_lines`)."""


def _seam_lines(a: np.ndarray, step: int, share: float = GRID_LINE) -> tuple[list[int], list[int], SeamCounts]:
    """The rows and columns of ``a[::step, ::step]`` that break along ``share`` of their length (at every
    `GRID_SAMPLE`-th position), and every line's count of breaks (`SeamCounts`): compiled where built
    (`_seam_lines_numpy`)."""
    fast = _compiled(_c_outlines, "seam_lines")
    if fast is not None:
        rows, cols, row_counts, col_counts = fast(a, step, GRID_SAMPLE, share)
        row_counts, col_counts = np.frombuffer(row_counts, np.int64), np.frombuffer(col_counts, np.int64)
    else:
        rows, cols, row_counts, col_counts = _seam_lines_numpy(a, step, share)
    height, width = -(-a.shape[0] // step), -(-a.shape[1] // step)
    # a row line is sampled along the columns, a column line along the rows
    return rows, cols, ((row_counts, -(-width // GRID_SAMPLE)), (col_counts, -(-height // GRID_SAMPLE)))


def _lines_breaking(counts: SeamCounts, share: float) -> tuple[list[int], list[int]]:
    """The rows and columns whose count (`SeamCounts`) is ``share`` of their positions or more."""
    rows, cols = (np.flatnonzero(line >= share * samples).tolist() if samples else [] for line, samples in counts)
    return rows, cols


def _seams(a: np.ndarray, step: int) -> tuple[list[int], list[int], SeamCounts]:
    """Seams of ``a[::step, ::step]`` (rows, columns): lines that break along `GRID_LINE` of their
    length (nearly all of it); a seam blurred over two lines (resampling, JPEG) counts once. And every
    line's count of breaks (`SeamCounts`)."""
    rows, cols, counts = _seam_lines(a, step)

    def merged(lines: list[int]) -> list[int]:
        seams: list[int] = []
        for i in lines:
            if not seams or i - seams[-1] > 2:
                seams.append(i)
        return seams

    return merged(rows), merged(cols), counts


def _inner_line(i: int, length: int, slack: int) -> bool:
    """Whether line ``i`` lies at least a tile's side (`MIN_REGION_SIDE`) from both ends of
    ``length``, give or take ``slack`` (the step of a reduced copy)."""
    return MIN_REGION_SIDE <= i + slack and i - slack <= length - MIN_REGION_SIDE


GRID_PEAK = 0.2
"""`_even_weak_seams`: a weak seam breaks along this share of its length more than the lines around it
do (their median, from 2 to `GRID_PEAK_REACH` lines away): a seam is a line, a texture breaks
everywhere (grass and gravel got 4 to 9 cells without it)."""

GRID_PEAK_REACH = 6
"""`_even_weak_seams`: how far (lines of the reduced copy) the lines a weak seam is compared with lie."""

GRID_TILE_BREAKS = 0.05
"""`_even_weak_seams`: a weak seam breaks along at least this share of each tile's side on it: a
collage's tiles differ somewhere along every side of a seam (the moon's black beside another dark
tile: under 20% of that side); a photo's own line that breaks along half its length, across two of
the four would-be tiles only, is no seam."""


def _breaks_along_every_tile(a: np.ndarray, step: int, rows: list[int], cols: list[int]) -> bool:
    """Whether each of the seams ``rows`` and ``cols`` (lines of ``a[::step, ::step]``) breaks
    (`EDGE_STEP`) along `GRID_TILE_BREAKS` of every tile's side on it, between the other axis's
    seams."""
    small = a[::step, ::step].astype(np.int16)
    for seams, across, lines in ((rows, cols, small), (cols, rows, small.transpose(1, 0, 2))):
        ends = [0, *across, lines.shape[1]]
        for i in seams:
            steps = np.abs(lines[i] - lines[i - 1]).max(axis=1) >= EDGE_STEP
            if any(steps[lo:hi].mean() < GRID_TILE_BREAKS for lo, hi in zip(ends, ends[1:]) if hi > lo):
                return False
    return True


def _even_weak_seams(counts: SeamCounts, a: np.ndarray, step: int) -> tuple[list[int], list[int]]:
    """With no seam that breaks all along (``counts``: `_seam_lines`'): the seams of an even collage
    (`GRID_SPLITS`) when a line that breaks along `GRID_WEAK_LINE` of its length, more than the lines
    around it (`GRID_PEAK`), lies at every place such a collage has one, on both axes, and breaks
    along every tile's side on it (`_breaks_along_every_tile`): tiles alike here and there along
    every seam (a 2 x 2 of photos with a 2 px gutter). Two empty lists otherwise."""
    def peak(line: np.ndarray, samples: int, i: int) -> bool:
        around = np.concatenate([line[max(1, i - GRID_PEAK_REACH) : max(1, i - 1)], line[i + 2 : i + GRID_PEAK_REACH + 1]])
        return line[i] >= (float(np.median(around)) if len(around) else 0.0) + GRID_PEAK * samples

    for n in GRID_SPLITS:
        # First the lines that break along half their length at every place, read as a few ints
        # (most photos have none at the first place looked at); then whether each breaks more
        # than the lines around it, the dearer test.
        places: list[list[tuple[float, list[int]]]] = []
        for line, samples in counts:
            length, weak = len(line), GRID_WEAK_LINE * samples
            axis = []
            for k in range(1, n):
                at = k * length / n
                lo, hi = max(1, math.ceil(at - GRID_FIT)), min(length, math.floor(at + GRID_FIT) + 1)
                near = [lo + j for j, c in enumerate(line[lo:hi].tolist()) if samples and c >= weak]
                if not near:
                    break
                axis.append((at, near))
            if len(axis) < n - 1:
                break
            places.append(axis)
        if len(places) < 2:
            continue
        picked: list[list[int]] = []
        for (line, samples), axis in zip(counts, places):
            seams = []
            for at, near in axis:
                near = [i for i in near if peak(line, samples, i)]
                if not near:
                    break
                seams.append(min(near, key=lambda i: abs(i - at)))
            picked.append(seams)
        if all(len(seams) == n - 1 for seams in picked) and _breaks_along_every_tile(a, step, picked[0], picked[1]):
            return picked[0], picked[1]
    return [], []


def _grid_seams(a: np.ndarray, step: int) -> tuple[list[int], list[int]]:
    """`_seams`, and where one of them lies where an even collage has a seam (`GRID_SPLITS`), the lines
    that break along `GRID_WEAK_LINE` of their length where such a collage's other seams belong
    (both ways; on a side without a seam, at a half or at thirds)."""
    lengths = (-(-a.shape[0] // step), -(-a.shape[1] // step))
    rows, cols, counts = _seams(a, step)
    # Not the lines along the image's edge (a border round the whole collage, a photo's own rim):
    # they are no seam between tiles, and counted as one they made a 3 x 3 collage in a 1 px border
    # "more seams than a collage has" (`MAX_GRID_SEAMS`).
    strong = tuple([i for i in lines if _inner_line(i * step, length * step, step)]
                   for lines, length in zip((rows, cols), lengths))
    if len(strong[0]) > MAX_GRID_SEAMS or len(strong[1]) > MAX_GRID_SEAMS:
        return strong
    splits = {n for lines, length in zip(strong, lengths) for i in lines for n in GRID_SPLITS
              if any(abs(i - k * length / n) <= GRID_FIT for k in range(1, n))}
    if not splits:
        return strong if any(strong) else _even_weak_seams(counts, a, step)
    # Every line that breaks, not the first of each run: the one nearest where the seam belongs is
    # taken (a run of three weak lines over a seam put it at the run's first, two lines of the
    # reduced copy off, past the reach of `_refine_side`).
    weak = _lines_breaking(counts, GRID_WEAK_LINE)
    out = []
    for lines, length, candidates in zip(strong, lengths, weak):
        more: list[int] = []
        # The collage's own split first; on a side without a seam of its own, the other splits only
        # when that finds none (a 2 x 2 collage whose tiles are alike along one seam took a line
        # within a tile at a third as well, and every cell was off).
        tries = [sorted(splits)] if lines else [sorted(splits), sorted(set(GRID_SPLITS) - splits)]
        for group in tries:
            for n in group:
                for k in range(1, n):
                    at = k * length / n
                    if any(abs(i - at) <= GRID_FIT + 1 for i in lines):
                        continue
                    near = [i for i in candidates if abs(i - at) <= GRID_FIT]
                    if near:
                        more.append(min(near, key=lambda i: abs(i - at)))
            if more:
                break
        out.append(sorted(set(lines) | set(more)))
    return out[0], out[1]


def grid_cells(a: np.ndarray) -> list[Box]:
    """The tiles of a collage whose tiles touch (no page colour between them, so no region shows): the
    rows and columns where the picture breaks from one end to the other (or nearly, where an even
    collage has its seams and one seam is found: `_grid_seams`) cut it into cells. Up to
    `MAX_GRID_SEAMS` seams each way (3 x 3 tiles), each cell at least `MIN_REGION_SIDE` a side and no
    longer than `MAX_ASPECT` times its width; none when no seam runs all the way, or more seams do (a
    texture: stairs, bricks)."""
    height, width = a.shape[:2]
    if height < 2 * MIN_REGION_SIDE or width < 2 * MIN_REGION_SIDE:
        return []
    # Seams are looked for on a copy at most LABEL_SIDE long (a seam runs all the way, so it shows
    # there too), then each is put back on the strongest break near it at full size.
    step = -(-max(height, width) // LABEL_SIDE)

    def inner(lines: list[int], length: int, slack: int) -> list[int]:
        # not within a tile's side of the edge (a photo's own thin rim); ``slack``: the copy's step
        return [i for i in lines if _inner_line(i, length, slack)]

    coarse_rows, coarse_cols = _grid_seams(a, step)
    coarse_rows = inner([i * step for i in coarse_rows], height, step)
    coarse_cols = inner([i * step for i in coarse_cols], width, step)
    if not (coarse_rows or coarse_cols) or len(coarse_rows) > MAX_GRID_SEAMS or len(coarse_cols) > MAX_GRID_SEAMS:
        return []
    inner_rows = inner([_refine_side(a, r, 0, width, step, True) for r in coarse_rows], height, 0)
    inner_cols = inner([_refine_side(a, c, 0, height, step, False) for c in coarse_cols], width, 0)
    if not (inner_rows or inner_cols):
        return []
    rows = _tile_spans(a, inner_rows, horizontal=True)
    cols = _tile_spans(a, inner_cols, horizontal=False)
    if rows is None or cols is None:  # gutters on one axis only: the other's are the tiles' own edges
        rows = cols = None
    rows = rows or list(zip([0, *inner_rows], [*inner_rows, height]))
    cols = cols or list(zip([0, *inner_cols], [*inner_cols, width]))
    cells = [(x0, y0, x1, y1) for y0, y1 in rows for x0, x1 in cols]
    if any(min(x1 - x0, y1 - y0) < MIN_CONTENT or max((x1 - x0) / (y1 - y0), (y1 - y0) / (x1 - x0)) > MAX_ASPECT
           for x0, y0, x1, y1 in cells):
        return []
    return cells


def _tile_spans(a: np.ndarray, seams: list[int], *, horizontal: bool) -> list[tuple[int, int]] | None:
    """Where a collage's tiles start and end along one axis when its seams are gutters: bands of
    lines of one colour (`BORDER_TOLERANCE`, but for `BORDER_NOISE`), at most `GUTTER_SHARE` of the
    side wide, at every seam, with a tile's straight edge on both sides, and at the image's edges
    where there are any. [] when the axis has no seam; None when some seam has no gutter (the tiles
    touch, or a tile's own flat edge lies along a seam, or a tile's edge has the gutter's colour:
    the cells then end at the seams).

    A cell that took a 4 px gutter with it was trimmed as a region is, and missed when that cut into
    a tile (3 x 3 collages of photos with 4 px gaps: 7 to 9 of 11 to 16 a seed found); and a cell
    that is the tile exactly is kept beside a region box a pixel or two off (`SAME_AS_WHOLE`), which
    a striped photo's hash does not survive."""
    if not seams:
        return []
    length = a.shape[0] if horizontal else a.shape[1]
    reach = max(2, round(GUTTER_SHARE * length))
    flat: dict[int, bool] = {}

    def uniform(i: int) -> bool:
        if i not in flat:
            line = a[i] if horizontal else a[:, i]
            colour = np.median(line, axis=0)
            flat[i] = bool(_near(line[None], colour, BORDER_TOLERANCE).mean() >= 1.0 - BORDER_NOISE)
        return flat[i]

    def crossed(inside: int, outside: int) -> bool:
        # whether line ``inside`` (of the band) and ``outside`` (a tile's) differ along half the length
        if not 0 <= outside < length:
            return False
        pair = (a[inside], a[outside]) if horizontal else (a[:, inside], a[:, outside])
        step = np.abs(pair[0].astype(np.int16) - pair[1]).max(axis=1)
        return bool((step >= EDGE_STEP).mean() >= GRID_WEAK_LINE)

    bands = []
    for seam in seams:
        # The seam lies on the strongest break, beside the gutter or beside a line of JPEG's blend.
        near = [i for i in sorted(range(seam - GUTTER_SLACK, seam + GUTTER_SLACK), key=lambda i: abs(i - seam + 0.5))
                if 0 <= i < length and uniform(i)]
        if not near:
            return None
        start, end = near[0], near[0] + 1
        while start - 1 >= max(0, seam - reach) and uniform(start - 1):
            start -= 1
        while end < min(length, seam + reach) and uniform(end):
            end += 1
        # A gutter has a tile's straight edge on both sides (beyond a line of blend); a tile's own
        # flat edge beside a seam ends where the tile's shapes do.
        if not (crossed(start, start - 2) and crossed(end - 1, end + 1)):
            return None
        bands.append((start, end))
    first = 0
    while first < reach and uniform(first):
        first += 1
    last = length
    while last > length - reach and uniform(last - 1):
        last -= 1
    edges = [first] + [e for _, e in bands]
    ends = [b for b, _ in bands] + [last]
    return list(zip(edges, ends))


def edge_boxes(a: np.ndarray, *, max_regions: int = MAX_REGIONS, contrast: bool = False) -> list[Box]:
    """Rectangles outlined by sharp breaks: a picture pasted over another (picture in picture).

    Breaks are colour steps across a line that stand out from the steps beside them (`_edge_maps`).
    The rows and columns with the most breaks, and the array's border, are candidate sides (at most
    ``MAX_LINES + 2`` each way); every box they make is scored by how much of each of its four sides
    lies on breaks and how little those breaks run on past its corners (prefix sums: constant time a
    box). Found on a half-size copy when the copy is large, then each side is put back on the
    strongest break nearby.

    With ``contrast``, breaks are steps that stand out on average along a stretch of line
    (`_contrast_maps`: a picture's side over texture), found on the array as given.
    """
    fast = _compiled(_c_outlines, "edge_boxes")
    if fast is not None:
        return fast(a, max_regions, contrast)
    return _edge_boxes_numpy(a, max_regions=max_regions, contrast=contrast)


def _edge_boxes_numpy(a: np.ndarray, *, max_regions: int, contrast: bool = False) -> list[Box]:
    height, width = a.shape[:2]
    if max_regions <= 0 or width < 2 * MIN_REGION_SIDE or height < 2 * MIN_REGION_SIDE:
        return []
    if contrast:
        boxes = _find_edge_boxes(a, max_regions, maps=_contrast_maps(a), min_score=CONTRAST_MIN_SCORE)
        return [(x0, y0, x1, y1) for x0, y0, x1, y1 in boxes if x1 - x0 >= MIN_REGION_SIDE and y1 - y0 >= MIN_REGION_SIDE]
    step = 2 if max(height, width) > 400 else 1
    boxes = _find_edge_boxes(a[::step, ::step], max_regions, thin=step > 1)
    out = []
    for x0, y0, x1, y1 in boxes:
        x0, y0, x1, y1 = x0 * step, y0 * step, min(width, x1 * step), min(height, y1 * step)
        if step > 1:
            reach = step + 1
            y0 = _refine_side(a, y0, x0 + 2, x1 - 2, reach, True)
            y1 = _refine_side(a, y1, x0 + 2, x1 - 2, reach, True)
            x0 = _refine_side(a, x0, y0 + 2, y1 - 2, reach, False)
            x1 = _refine_side(a, x1, y0 + 2, y1 - 2, reach, False)
        if x1 - x0 >= MIN_REGION_SIDE and y1 - y0 >= MIN_REGION_SIDE:
            out.append((x0, y0, x1, y1))
    return out

# ---------------------------------------------------------------- stickers over the picture


STICKER_FLAT = 7
"""A cell of 2 x 2 pixels of the working copy is flat when each channel's mean lies within this of the
cells beside it (`flat_cells`; the mean of four pixels: JPEG's noise on a sticker's one colour is
smoothed, and no photo texture passes). At 10 a photo's smooth areas joined up (166 of the eval's 299
unrelated images showed a "sticker"); at 6 an emoji after JPEG was found less often."""

STICKER_CELL = 2
"""The side of `flat_cells`' cells, in pixels of the working copy."""

STICKER_MIN = 0.002
STICKER_MAX = 0.2
"""A flat patch is a sticker's candidate when it covers this share of the copy's cells or more, up to
`STICKER_MAX`: a sticker smaller than 0.2% moves PDQ little (a square over 2% of the picture leaves 7
of the eval's 24 originals unfound, over 5% 12), and one over a fifth leaves too little picture to
fill it from."""

STICKER_COMPACT = 0.4
"""A candidate fills this share of its box or more (a sticker is a disc, a square, a heart; a photo's
flat sky or wall winds round what stands in it)."""

STICKER_ASPECT = 4
"""...and its box is no longer than this many times its width (a flat streak is a picture's own)."""

STICKER_NEAR = 24
"""A sticker's pixels: within this of its colour (the median of its flat cells) on every channel,
joined to its flat cells, its holes (eyes, a mouth, a logo drawn on it) filled."""

STICKER_LEAK = 0.25
"""A patch whose colour covers more than this share of the edge of the window round it runs on into
the picture (told before the pixels are labelled; a sticker's own colour touching the window's edge
at all is told after)."""

STICKER_RING = 40
STICKER_RING_SHARE = 0.6
"""A sticker stands out from the picture under it: at least `STICKER_RING_SHARE` of the pixels two
lines round it differ from its colour by more than `STICKER_RING` on some channel (a photo's own
flat patch shades into its surroundings on much of its edge)."""

STICKER_MARGIN = 8
"""A candidate's window reaches past its flat cells' box by this many pixels at least, and by a
sixteenth of the box's width and height together: the flat cells stop a few pixels inside a sticker's
edge (its blend with the picture, the cells beside a step), and with 3 a sticker under 50 px across
was found or not as it fell on the cells' grid."""

STICKER_WINDOW = 64
"""A candidate's window is read on every k-th pixel, k its shorter side over this: a tenth of a
photo's worth of labelling cost a millisecond a candidate at full size."""

STICKER_EXAMINE = 8
MAX_STICKERS = 2
"""At most `STICKER_EXAMINE` candidates (the largest first) are read, and `MAX_STICKERS` stickers are
kept: each is one more picture hashed, the image with that sticker filled (`fill_sticker`)."""

STICKER_GROW = 0.03
"""The filled part is the sticker grown by 2 pixels and this share of its longer side (its outline,
shadow and JPEG's blend round it): 410 of the study's 576 stickered copies found where an exact
mask found 373."""

STICKER_GRID = 24
STICKER_SMOOTHING = 30
"""The fill is smooth (the picture round the sticker carried inwards as a soap film would be): solved
on a grid of at most `STICKER_GRID` cells a side over the sticker's box, started from a mean of the
known cells nearest each unknown one (`_push_pull`), `STICKER_SMOOTHING` steps of averaging each
unknown cell's four neighbours, then resized onto the pixels. Nearest pixels instead: 355 of 576."""


@dataclass(frozen=True)
class Sticker:
    """A patch of one colour over part of an image: its ``box`` in the image's pixels, and ``mask``,
    the patch within the box (True where it covers the picture), at the working copy's scale."""

    box: Box
    mask: np.ndarray = field(repr=False, compare=False)


def flat_cells(a: np.ndarray) -> np.ndarray:
    """(h // 2, w // 2) bool: the cells of 2 x 2 pixels of ``a`` that are flat (`STICKER_FLAT`): like
    the cells right of and below them and, where there are any, left of and above them (a step between
    two flat patches leaves a line of cells unflat on both sides, so the patches' blocks never touch);
    the last row and column are not."""
    fast = _compiled(_c_trim, "flat_cells")
    if fast is not None:
        out = np.empty((a.shape[0] // 2, a.shape[1] // 2), dtype=bool)
        fast(a, out, STICKER_FLAT)
        return out
    return _flat_cells_numpy(a)


def _flat_cells_numpy(a: np.ndarray) -> np.ndarray:
    h, w = a.shape[0] // 2, a.shape[1] // 2
    x = a[: 2 * h, : 2 * w].astype(np.int32)
    sums = x[0::2, 0::2] + x[1::2, 0::2] + x[0::2, 1::2] + x[1::2, 1::2]
    limit = 4 * STICKER_FLAT
    right = np.zeros((h, w), dtype=bool)  # like the cell right of it (none for the last column)
    down = np.zeros((h, w), dtype=bool)  # ... and below (none for the last row)
    right[:, :-1] = np.abs(sums[:, 1:] - sums[:, :-1]).max(axis=2) <= limit
    down[:-1] = np.abs(sums[1:] - sums[:-1]).max(axis=2) <= limit
    out = right & down
    out[:, 1:] &= right[:, :-1]  # and left of it
    out[1:] &= down[:-1]  # and above
    out[-1:] = False
    return out


def stickers(a: np.ndarray, factor: int, size: tuple[int, int], limit: int = MAX_STICKERS) -> list[Sticker]:
    """Patches of one colour pasted over the picture (a sticker, an emoji, a blot), found on the
    working copy ``a`` (reduced by ``factor`` from an image of ``size``): a flat patch
    (`flat_cells`) of a sticker's size and shape, inside the picture (not touching its edge), its
    pixels one colour and standing out from the picture all round it. A photo's own flat patches
    (sky, a wall, a shadow) mostly shade into what is round them; a few of the eval's 299 unrelated
    images still show one (`make eval-matching`'s sticker table). Each sticker's ``box`` is its own
    (its mask's) in the image's pixels."""
    cells = flat_cells(a)
    ch, cw = cells.shape
    if ch < 3 or cw < 3:
        return []
    found: list[Sticker] = []
    # Patches are looked for on blocks of 2 x 2 cells all flat: a photo's flat cells lie in specks and
    # threads by the thousand, which cost the labelling most of its time and are no sticker.
    bh, bw = ch // 2, cw // 2
    even = cells[: 2 * bh, : 2 * bw]
    blocks = even[0::2, 0::2] & even[1::2, 0::2] & even[0::2, 1::2] & even[1::2, 1::2]
    counts, boxes = _patches(blocks, max(1, math.ceil(STICKER_MIN / 4 * bh * bw)))
    cell_boxes = (2 * np.array(boxes, dtype=np.int64).reshape(-1, 4))[:, [2, 0, 3, 1]]  # x0, y0, x1, y1
    colours: dict[int, np.ndarray] = {}

    def colour_of(i: int) -> np.ndarray:
        if i not in colours:
            colours[i] = _patch_colour(a, cells, cell_boxes[i])
        return colours[i]

    examined = 0
    for i in np.argsort(-counts, kind="stable"):
        count, (x0, y0, x1, y1) = 4 * int(counts[i]), (int(v) for v in cell_boxes[i])
        if count < STICKER_MIN * ch * cw or count > STICKER_MAX * ch * cw:
            continue
        if y0 == 0 or x0 == 0 or y1 >= ch - 2 or x1 >= cw - 2:
            continue
        across, down = x1 - x0, y1 - y0
        if count < STICKER_COMPACT * across * down or max(across, down) > STICKER_ASPECT * min(across, down):
            continue
        examined += 1
        if examined > STICKER_EXAMINE:
            break
        colour = colour_of(i)
        c = STICKER_CELL
        sticker = _sticker_at(a, (c * x0, c * y0, c * x1, c * y1), colour)
        if sticker is _RUNS_ON:  # perhaps a piece of a sticker: joined with the others, read again
            joined = _join_pieces((x0, y0, x1, y1), colour, cell_boxes, colour_of, i)
            jx0, jy0, jx1, jy1 = joined
            grown = (jx1 - jx0) * (jy1 - jy0) <= STICKER_JOIN_GROWTH * (x1 - x0) * (y1 - y0)
            sticker = _sticker_at(a, (c * jx0, c * jy0, c * jx1, c * jy1), colour) \
                if joined != (x0, y0, x1, y1) and grown else None
        if isinstance(sticker, tuple):
            (wx0, wy0, _, _), mask = sticker
            rows, cols = np.nonzero(mask)  # the sticker's own box within the window read
            r0, r1, c0, c1 = int(rows.min()), int(rows.max()) + 1, int(cols.min()), int(cols.max()) + 1
            box = _to_original((wx0 + c0, wy0 + r0, wx0 + c1, wy0 + r1), factor, size)
            if any(_iou(box, other.box) > 0.5 for other in found):
                continue  # (the same sticker again, through another of its pieces)
            found.append(Sticker(box, np.ascontiguousarray(mask[r0:r1, c0:c1])))
            if len(found) >= limit:
                break
    return found


def _patch_colour(a: np.ndarray, cells: np.ndarray, cell_box: Box) -> np.ndarray:
    """The median colour of the flat cells in ``cell_box`` (a sample of 32 of them is enough; the
    middle of the sorted sample, cheaper than np.median for a patch of a few hundred cells)."""
    cx0, cy0, cx1, cy1 = (int(v) for v in cell_box)
    c = STICKER_CELL
    flat = np.flatnonzero(cells[cy0:cy1, cx0:cx1])
    if flat.size == 0:
        return np.full(3, -1000, dtype=np.int16)  # (near no colour)
    flat = flat[:: max(1, flat.size // 32)]
    rows, cols = np.divmod(flat, cx1 - cx0)
    sample = np.sort(a[c * (cy0 + rows), c * (cx0 + cols)], axis=0)
    return sample[len(sample) // 2].astype(np.int16)


STICKER_JOIN_ROUNDS = 3
"""JPEG's ringing round an emoji's eyes and mouth breaks its flat yellow into pieces: a candidate whose
colour runs on past its window is joined with the flat patches of its colour within the window's
reach, up to this many times (each join widens the reach), and read again. The eval's emoji over 5%
after JPEG 75: 7 -> 14 of 24 found; all its stickers 364 -> 372 of 480; the 299 unrelated images
showing a patch taken for one 3 as before (5 patches), no match."""


STICKER_JOIN_GROWTH = 4
"""...unless the joined box is more than this many times the candidate's: a sticker broken into pieces
is a few of them round the largest; a photo's sky or wall joined with its like is a large part of it
(and reading it again the most of the cost of finding stickers)."""


def _join_pieces(box: Box, colour: np.ndarray, cell_boxes: np.ndarray, colour_of: Callable[[int], np.ndarray],
                 own: int) -> Box:
    """``box`` (in cells) joined with the boxes (``cell_boxes``, an (n, 4) array of x0, y0, x1, y1)
    of the patches of ``colour`` (within `STICKER_NEAR`) that the window round it reaches
    (`STICKER_MARGIN`, in cells)."""
    joined = box
    taken = np.zeros(len(cell_boxes), dtype=bool)
    taken[own] = True
    for _ in range(STICKER_JOIN_ROUNDS):
        x0, y0, x1, y1 = joined
        reach = _sticker_margin(tuple(STICKER_CELL * v for v in joined)) // STICKER_CELL + 1
        touching = ~taken & (cell_boxes[:, 0] < x1 + reach) & (cell_boxes[:, 2] > x0 - reach) \
            & (cell_boxes[:, 1] < y1 + reach) & (cell_boxes[:, 3] > y0 - reach)
        more = [int(j) for j in np.flatnonzero(touching) if int(np.abs(colour_of(int(j)) - colour).max()) <= STICKER_NEAR]
        taken |= touching  # (a piece of another colour is not asked again)
        if not more:
            break
        ox0, oy0 = cell_boxes[more, :2].min(axis=0)
        ox1, oy1 = cell_boxes[more, 2:].max(axis=0)
        joined = (min(x0, int(ox0)), min(y0, int(oy0)), max(x1, int(ox1)), max(y1, int(oy1)))
    return joined


def _sticker_margin(box: Box) -> int:
    """How far the window read round a candidate's ``box`` (the copy's pixels) reaches past it
    (`STICKER_MARGIN`)."""
    x0, y0, x1, y1 = box
    return max(STICKER_MARGIN, (x1 - x0 + y1 - y0) // 16)


_RUNS_ON = "runs on"
"""`_sticker_at`'s answer for a patch whose colour runs on past the window read round it."""


def _sticker_at(a: np.ndarray, box: Box, colour: np.ndarray) -> tuple[Box, np.ndarray] | str | None:
    """The sticker of ``colour`` whose flat cells lie in ``box`` (the copy's pixels), as the box of the
    window read round it and its mask there; `_RUNS_ON` when its colour runs on past the window (a
    part of the picture of that colour, or a sticker of which ``box`` holds a piece only), None when
    it does not stand out from the picture."""
    from scipy import ndimage  # here, not at the top: importing it takes a quarter of a second

    height, width = a.shape[:2]
    x0, y0, x1, y1 = box
    grow = _sticker_margin(box)
    wx0, wy0, wx1, wy1 = max(0, x0 - grow), max(0, y0 - grow), min(width, x1 + grow), min(height, y1 + grow)
    window = a[wy0:wy1, wx0:wx1]
    edge = np.concatenate([window[0], window[-1], window[:, 0], window[:, -1]])
    if _near(edge, colour, STICKER_NEAR).mean() > STICKER_LEAK:
        return _RUNS_ON  # (told before labelling: much of the window's edge is of its colour)
    if (~_near(edge, colour, STICKER_RING)).mean() < STICKER_RING_SHARE:
        return None  # (before labelling: the window's edge, past the ring, is much of it near its colour)
    # A large window is read on every step-th pixel (the fill grows the mask past such a step).
    step = max(1, min(wy1 - wy0, wx1 - wx0) // STICKER_WINDOW)
    part = window[::step, ::step]
    near = _near(part, colour, STICKER_NEAR)
    labels, _ = ndimage.label(near, structure=np.ones((3, 3), dtype=bool))
    core = labels[-(-(y0 - wy0) // step):(y1 - wy0) // step, -(-(x0 - wx0) // step):(x1 - wx0) // step]
    core = core[core > 0]
    if core.size == 0:
        return None
    mask = labels == np.bincount(core).argmax()
    if mask[0].any() or mask[-1].any() or mask[:, 0].any() or mask[:, -1].any():
        return _RUNS_ON
    # Its holes filled: the parts of the rest that do not reach the window's edge (one labelling;
    # ndimage.binary_fill_holes dilates from the edge until nothing changes, 2 ms on a large window).
    rest, count = ndimage.label(~mask)
    inside = np.ones(count + 1, dtype=bool)
    inside[np.concatenate([rest[0], rest[-1], rest[:, 0], rest[:, -1]])] = False
    inside[0] = True  # (the mask itself)
    mask = inside[rest]
    ring = ndimage.binary_dilation(mask, iterations=max(1, 2 // step)) & ~mask
    if not ring.any() or (~_near(part[ring], colour, STICKER_RING)).mean() < STICKER_RING_SHARE:
        return None
    if step > 1:
        mask = np.repeat(np.repeat(mask, step, axis=0), step, axis=1)[: wy1 - wy0, : wx1 - wx0]
        if mask.shape != (wy1 - wy0, wx1 - wx0):  # (the sampled window's last pixels stand for the rest)
            mask = np.pad(mask, ((0, wy1 - wy0 - mask.shape[0]), (0, wx1 - wx0 - mask.shape[1])), mode="edge")
    return (wx0, wy0, wx1, wy1), mask


def fill_sticker(luma: np.ndarray, size: tuple[int, int], sticker: Sticker) -> np.ndarray:
    """A copy of ``luma`` (the image's, of ``size``, as `images.luma_pixels` gives it) with the
    sticker filled smoothly from the picture round it (`STICKER_GROW`, `STICKER_SMOOTHING`)."""
    from scipy import ndimage

    rows, cols = luma.shape
    width, height = size
    x0, y0, x1, y1 = sticker.box
    c0, r0 = x0 * cols // width, y0 * rows // height
    c1, r1 = max(c0 + 1, -(-x1 * cols // width)), max(r0 + 1, -(-y1 * rows // height))
    mask = np.asarray(Image.fromarray(sticker.mask).resize((c1 - c0, r1 - r0), Image.Resampling.NEAREST))
    ys, xs = np.nonzero(mask)
    out = np.array(luma, copy=True)
    if ys.size == 0:
        return out
    side = max(ys.max() - ys.min(), xs.max() - xs.min()) + 1
    reach = 2 + int(STICKER_GROW * side)
    # the part filled reaches past the box by its growth, and the fill is made from the picture round
    # that: the box is grown by both (a quarter of the sticker's side round it)
    margin = 2 * reach + max(4, side // 4)
    g0, h0 = max(0, c0 - margin), max(0, r0 - margin)
    g1, h1 = min(cols, c1 + margin), min(rows, r1 + margin)
    unknown = np.zeros((h1 - h0, g1 - g0), dtype=bool)
    unknown[r0 - h0:r1 - h0, c0 - g0:c1 - g0] = mask
    unknown = ndimage.binary_dilation(unknown, iterations=reach)
    part = out[h0:h1, g0:g1]
    part[unknown] = np.clip(np.rint(_smooth_fill(part.astype(np.float64), unknown)[unknown]), 0, 255)
    return out


def _smooth_fill(values: np.ndarray, unknown: np.ndarray) -> np.ndarray:
    """``values`` with the ``unknown`` pixels filled smoothly from the known ones (`STICKER_GRID`)."""
    h, w = values.shape
    k = max(1, max(h, w) // STICKER_GRID)
    gh, gw = -(-h // k), -(-w // k)
    known = np.zeros((gh * k, gw * k))
    known[:h, :w] = ~unknown
    total = np.zeros((gh * k, gw * k))
    total[:h, :w] = np.where(unknown, 0.0, values)
    count = known.reshape(gh, k, gw, k).sum(axis=(1, 3))
    fixed = count >= k * k / 2  # a cell mostly of known pixels is known
    if not fixed.any():
        return values
    grid = _push_pull(np.where(fixed, total.reshape(gh, k, gw, k).sum(axis=(1, 3)) / np.maximum(count, 1), 0.0), fixed)
    free = ~fixed
    padded = np.pad(grid, 1, mode="edge")
    for _ in range(STICKER_SMOOTHING):
        inner = padded[1:-1, 1:-1]
        mean = (padded[:-2, 1:-1] + padded[2:, 1:-1] + padded[1:-1, :-2] + padded[1:-1, 2:]) / 4
        inner[free] = mean[free]
        padded[0, :], padded[-1, :], padded[:, 0], padded[:, -1] = padded[1, :], padded[-2, :], padded[:, 1], padded[:, -2]
    grid = padded[1:-1, 1:-1].astype(np.float32)
    return np.asarray(Image.fromarray(grid).resize((gw * k, gh * k), Image.Resampling.BILINEAR))[:h, :w]


def _push_pull(values: np.ndarray, known: np.ndarray) -> np.ndarray:
    """``values`` with the cells not ``known`` set to the mean of the known cells nearest them, level
    by level (each level a quarter of the cells of the one before): a start for the smoothing."""
    weight = known.astype(np.float64)
    total = values * weight
    levels = []
    while weight.min() == 0 and max(weight.shape) > 1:
        levels.append((total, weight))
        h, w = weight.shape
        total = np.pad(total, ((0, h % 2), (0, w % 2)))
        weight = np.pad(weight, ((0, h % 2), (0, w % 2)))
        total = total[0::2, 0::2] + total[1::2, 0::2] + total[0::2, 1::2] + total[1::2, 1::2]
        weight = weight[0::2, 0::2] + weight[1::2, 0::2] + weight[0::2, 1::2] + weight[1::2, 1::2]
        scale = np.minimum(weight, 1.0) / np.maximum(weight, 1e-12)  # a cell with any known cell is known
        total, weight = total * scale, weight * scale
    guess = np.where(weight > 0, total / np.maximum(weight, 1e-12), total.sum() / max(weight.sum(), 1e-12))
    for total, weight in reversed(levels):
        up = np.repeat(np.repeat(guess, 2, axis=0), 2, axis=1)[: weight.shape[0], : weight.shape[1]]
        guess = total + (1 - weight) * up
    return guess


# ---------------------------------------------------------------- crops for banks of originals


RATIO_MIN_CUT = 0.02
"""A crop to a shape (`Crop.ratio`) is left out for an image it would cut by less than this share of a
side: PDQ keeps such a crop within a few bits of the original (the eval's originals cut 2% from one
side: 18 of 24 found without crops), and near its own shape it would hash the original again."""


@dataclass(frozen=True)
class Crop:
    """A crop given as the share cut from each side, so it applies to any size; or (``ratio``) the
    middle of the image cut to that width / height, as a feed cuts a photo to a square or a story's
    9:16; or (``turn``) the image turned that many degrees (counter-clockwise) within its own size
    and cut to the largest box of its own shape inside the turned picture, as an editor's
    "straighten" does (`for_size` gives the shares either cuts from an image of a given size)."""

    label: str
    left: float = 0.0
    top: float = 0.0
    right: float = 0.0
    bottom: float = 0.0
    ratio: float = 0.0
    turn: float = 0.0

    def for_size(self, width: int, height: int) -> Crop | None:
        """This crop of an image of ``width`` x ``height``: a crop to a shape as the shares it cuts
        there (``ratio`` kept), or None where it would cut under `RATIO_MIN_CUT` of a side; a turn
        as the shares of the turned image it keeps (``turn`` kept); a crop by shares as it is."""
        if self.turn:
            t = math.radians(abs(self.turn))
            c, s = math.cos(t), math.sin(t)
            scale = min(width / (width * c + height * s), height / (width * s + height * c))
            x0, y0 = round(width * (1 - scale) / 2), round(height * (1 - scale) / 2)
            x1, y1 = max(x0 + 1, width - x0), max(y0 + 1, height - y0)
            return Crop(self.label, x0 / width, y0 / height, (width - x1) / width, (height - y1) / height, turn=self.turn)
        if not self.ratio:
            return self
        if width / height > self.ratio:  # wider than the shape: the sides go
            kept = max(1, min(width, round(height * self.ratio)))
            if 1 - kept / width < RATIO_MIN_CUT:
                return None
            x0 = (width - kept) // 2
            return Crop(self.label, x0 / width, 0.0, (width - x0 - kept) / width, 0.0, self.ratio)
        kept = max(1, min(height, round(width / self.ratio)))
        if 1 - kept / height < RATIO_MIN_CUT:
            return None
        y0 = (height - kept) // 2
        return Crop(self.label, 0.0, y0 / height, 0.0, (height - y0 - kept) / height, self.ratio)

    def box(self, width: int, height: int) -> Box:
        crop = self.for_size(width, height)
        if crop is None:  # a crop to a shape the image nearly has: the whole
            return (0, 0, width, height)
        x0 = round(width * crop.left)
        y0 = round(height * crop.top)
        x1 = width - round(width * crop.right)
        y1 = height - round(height * crop.bottom)
        return (x0, y0, max(x0 + 1, x1), max(y0 + 1, y1))

    def to_dict(self) -> dict:
        out = {"label": self.label, "left": self.left, "top": self.top, "right": self.right, "bottom": self.bottom}
        if self.ratio:
            out["ratio"] = self.ratio
        if self.turn:
            out["turn"] = self.turn
        return out


def _crops() -> tuple[Crop, ...]:
    # PDQ keeps within the threshold for about 3% cut from one side or 1.5% from every side. Steps of
    # 2.5% for one side and 1.5% a side for centre crops leave no gap: on random crops of the
    # evaluation's originals (one side 0-20%, every side 0-15%) 100% are found, where steps of 5% and
    # 3% found 85% and 91%.
    crops = [Crop(f"centre{100 - 2 * p:g}", p / 100, p / 100, p / 100, p / 100)
             for p in (1.5, 3, 4.5, 6, 7.5, 9, 10.5, 12, 13.5, 15)]
    for p in (2.5, 5, 7.5, 10, 12.5, 15, 17.5, 20):
        crops += [
            Crop(f"left{p:g}", left=p / 100),
            Crop(f"right{p:g}", right=p / 100),
            Crop(f"top{p:g}", top=p / 100),
            Crop(f"bottom{p:g}", bottom=p / 100),
        ]
    for keep in (90, 80):
        cut = (100 - keep) / 100
        crops += [
            Crop(f"corner_tl{keep}", right=cut, bottom=cut),
            Crop(f"corner_tr{keep}", left=cut, bottom=cut),
            Crop(f"corner_bl{keep}", right=cut, top=cut),
            Crop(f"corner_br{keep}", left=cut, top=cut),
        ]
    # The middle cut to each common shape (`COMMON_RATIOS`): a feed or a story cuts a photo so, and
    # none of the crops above is near it (the eval's originals cut to the nine shapes in the middle,
    # 194 crops: 2 found with the 50 above; cut anywhere else along the side, 50 of 194 found with
    # the middle one banked, 79 with five places along it, so only the middle is kept).
    crops += [Crop(f"ratio{f.numerator}x{f.denominator}", ratio=r)
              for r in COMMON_RATIOS for f in [Fraction(r).limit_denominator(20)]]
    # Turned a little and cut to fill the frame (an editor's "straighten"): no corners are left to
    # measure the turn by (`turned_in_frame`), and PDQ loses it at 2 degrees (the eval's originals:
    # 0 of 24; 1 degree: 18). Steps of 1.5 degrees to 10.5 each way: random turns of the eval's
    # originals within 10.5 degrees, 144 of 144 found (steps of 2 to 10: 139).
    crops += [Crop(f"turn{sign * step * 1.5:g}", turn=sign * step * 1.5) for step in range(1, 8) for sign in (1, -1)]
    return tuple(crops)


CROPS: tuple[Crop, ...] = _crops()
"""The crops `bank add --crops` hashes besides the original (73): ``centre97`` cuts 1.5% from every
side (also 94, 91, ... 70: 1.5% to 15% in steps of 1.5%); ``left5`` cuts 5% from the left (also 2.5, 7.5,
... 20: steps of 2.5%; right, top, bottom alike); ``corner_tl90`` keeps the top-left 90% by 90% (also
80; tr, bl, br alike); ``ratio1x1`` cuts the middle to a square (also 4x3, 3x4, 16x9, 9x16, 3x2, 2x3, 5x4,
4x5), where that cuts at least `RATIO_MIN_CUT` of a side; ``turn3`` turns the image 3 degrees
counter-clockwise and keeps the largest box of its shape inside (also 1.5, 4.5, ... 10.5, and
clockwise: ``turn-3``)."""


def crop_images(img: Image.Image, crops: tuple[Crop, ...] = CROPS) -> Iterator[tuple[Crop, Image.Image]]:
    """Each crop of the image's luma (what PDQ hashes: the same hash as the crop of the image), one at
    a time, for hashing into a bank of originals: 50 crops of a 24-megapixel photo held at once took
    4 GB and 17 s; the luma is made once, and only one crop lives at a time."""
    from childsafe.media.images import HASH_MAX_SIDE, reduce_to, to_luma

    luma = to_luma(img)
    turns = None  # the luma turns are made from: PDQ hashes at HASH_MAX_SIDE at most (a 12 MP
    # photo's 14 turns took 3.4 s at full size)
    for crop in crops:
        source = luma
        if crop.turn:
            if turns is None:
                turns = reduce_to(luma, 2 * HASH_MAX_SIDE)
            source = turns
        width, height = source.size
        sized = crop.for_size(width, height)  # a crop to a shape or a turn: the shares it cuts here
        if sized is None:
            continue
        if sized.turn:
            source = source.rotate(sized.turn, resample=Image.Resampling.BILINEAR)
        yield sized, source.crop(sized.box(width, height))


# ---------------------------------------------------------------- what to hash besides the whole image


@dataclass(frozen=True)
class Picture:
    """A part of an image worth hashing on its own: the trimmed picture or a framed region.

    ``box`` is in pixels of the image given. ``pixels`` are the box's part of the image as RGB: as
    it is when shorter than twice ``PICTURE_SIDE``, else every k-th pixel down to ``PICTURE_SIDE`` to
    twice that (what a region's own trimming looks at). They are cut when first asked for: a query
    hashes a large picture, or any picture of an image kept at full working size, from the image's
    luma (`childsafe.media.queries`) and never reads them, and cutting a large photo's trimmed
    picture costs about half a millisecond.
    """

    box: Box
    trimmed: bool
    cut: Callable[[], np.ndarray] = field(repr=False, compare=False)
    corner: float = 0.0
    """The radius of the picture's rounded corners as a share of its shorter side (`corner_radius`):
    hashed with them filled from the picture (`fill_corners`); 0 for square corners."""
    turned: float = 0.0
    """Degrees the picture was turned in ``box`` (`tilt_angle`): ``pixels`` are it turned back."""

    @cached_property
    def pixels(self) -> np.ndarray:
        return np.ascontiguousarray(self.cut(), dtype=np.uint8)


def pictures_within(
    img: Image.Image,
    *,
    trim: bool = True,
    regions: bool = True,
    max_regions: int = MAX_REGIONS,
    max_side: int = WORKING_SIDE,
    working: tuple[np.ndarray, int] | None = None,
) -> list[Picture]:
    """The trimmed picture (after the first and the last pass, and either side of a pass that moved
    a pixel or two, when a border was found; each also without the colour-blend lines beside its
    bars, `cut_colour_blend`) and up to ``max_regions`` framed regions.

    ``working`` is `working_copy(img, max_side)` when the caller has made it already.

    A region is hashed as found and, when its edge is a frame, trimmed too (two passes at most); up
    to a quarter of ``max_regions`` more come from sharp outlines (`edge_boxes`) and as many from
    contrast outlines (``edge_boxes(contrast=True)``: a picture over texture), and the first trimming
    pass is also cut to two guesses at a picture's own margins (`margin_cuts`) and put back at the
    steps between a bar and a margin of a near colour (`colour_step_cut`), and, for a picture
    floating on its page, two frame guesses (`frame_cuts`) and up to `MAX_RATIO_CUTS` guesses at a
    picture of a common shape (`ratio_cuts`); the tiles of a collage without gaps (`grid_cells`, up
    to 3 x 3) and the parts of regions that a gap of page colour crosses (`region_parts`, up to half
    ``max_regions``) are hashed and trimmed as regions are. So at most ``7 * (max_regions + 2 * max(1,
    max_regions // 4) + 9 + max_regions // 2) + 3 * MAX_TRIM_PASSES + 6 + MAX_RATIO_CUTS`` pictures
    (a framed one is kept as found, after each of two cuts and without its blend lines, and, in a
    frame of one colour (`frame_colour`), after each cut without a caption (`caption_cut`) and with
    its margin alike on both sides of an axis (`EVEN_FRAME_GUESS`); the trimmed image's first and
    last pass without a caption in a bar of its own, and each later pass that cut a frame without a
    caption in the frame's colour); besides those, a picture turned a little on a page
    (`turned_on_page`: the first pass's box and each region's, one each) or in its own frame (the
    image's and the first pass's box, one each), and each picture's twin with its rounded corners
    filled. Near-duplicates
    (a region that is a trimmed box again, or anything that is the whole image again) are left out,
    so every extra hash looks at something new; trimmed boxes are kept even when a pass moved by a
    pixel or two (that pixel can matter).
    """
    from childsafe.media.images import image_of_rgb, see_through

    if not (trim or regions):
        return []
    a, factor = working if working is not None else working_copy(img, max_side)  # `working`: made already
    height, width = a.shape[:2]
    whole = a if factor == 1 and img.mode == "RGB" and not see_through(img) else None  # the copy is the image
    noise = noise_border(a) if trim else None
    if noise is not None:  # a border of noise is cut as a plain one (the pictures' pixels are the image's own)
        a = painted_border(a, noise)
    seen: list[Box] = [(0, 0, *img.size)]
    found: list[Picture] = []

    kept: set[Box] = set()  # every box kept, remembered as seen or not: the same box twice is one hash

    def keep(original: Box, trimmed: bool, pixels: np.ndarray | None = None, near: list[Box] = seen,
             same: float = 0.95, remember: bool = True) -> None:
        if any(_iou(original, other) >= same for other in near):
            return
        if remember:
            seen.append(original)
        if original in kept:
            return
        kept.add(original)
        cut = (lambda: pixels) if pixels is not None else (lambda: _picture_pixels(img, original, whole))
        found.append(Picture(original, trimmed, cut))

    def turned_on_page(box: Box, trimmed: bool = False, around: list[np.ndarray | None] | None = None) -> None:
        """A picture turned a little in ``box`` (the working copy's), on a page of one colour all
        round it, is also looked up turned back (`tilt_angle`, `turned_back`); ``around``: the box's
        `cut_colours`, where the caller has them."""
        around = cut_colours(a, box) if around is None else around
        if any(c is None for c in around) or max(_channel_gap(around[0], c) for c in around) > BORDER_TOLERANCE:
            return
        turned(box, trimmed, around[0], turned_back)

    def turned_in_own_frame(box: Box, trimmed: bool) -> None:
        """A picture turned a little within its own frame, its size kept (an editor's turn: the
        corners cut off, the frame's corners filled with one colour), is also looked up turned back
        (`tilt_angle` of the whole box, `turned_in_frame`). A picture floating on a page of that
        colour is `turned_on_page`'s (its sides are the page's colour: `turned_in_own_frame_sides`)."""
        colour = corner_colour(a, box)
        if colour is None or not turned_in_own_frame_sides(a, box, colour):
            return
        turned(box, trimmed, colour, turned_in_frame)

    def turned(box: Box, trimmed: bool, colour: np.ndarray, back: Callable[..., np.ndarray]) -> None:
        """The picture in ``box`` looked up turned back (``back``: `turned_back` or `turned_in_frame`)
        where `tilt_angle` measures a turn against ``colour``."""
        theta = tilt_angle(a, box, colour)
        if theta is not None:
            original = _to_original(box, factor, img.size)
            found.append(Picture(original, trimmed, lambda: back(img, original, theta, colour), turned=theta))

    boxes = trim_passes(a)
    unbarred = boxes  # the first trimming pass as found (a turn in its own frame is looked for there too)
    if boxes is None:
        # Nothing left after the last pass. A flat picture (a clear sky, a blank page) inside bars
        # goes with them; the first pass alone cuts the bars of one colour and leaves it. Nothing
        # left after the first pass: one colour throughout, no picture to find.
        boxes = trim_passes(a, max_passes=1)
        if boxes is None:
            return []
    if trim:
        # The first pass and the last, and both sides of a pass that moved a pixel or two: such a
        # pass most often cut the line where bar and picture blend (JPEG, resampling), which a fine
        # texture needs gone (30 to 50 bits off with it, 0 without), but it may have cut into the
        # picture's own flat edge instead; or it cut a thin mat inside a frame, and the next pass a
        # flat sky as well (a photo in a 6 px mat on a page: 38 bits off without the box between).
        # Passes that moved further (a sky cut in bands) are left out between the first and the
        # last. A box that is nearly the whole image is left out (`SAME_AS_WHOLE`).
        passes = [_to_original(b, factor, img.size) for b in boxes]
        whole_image = seen[:1]
        last = len(passes) - 1
        for i, box in enumerate(passes):
            if i in (0, last) or _moved_little(boxes[i], boxes[i + 1]) or _moved_little(boxes[i - 1], boxes[i]):
                keep(box, True, near=whole_image, same=SAME_AS_WHOLE)
                # And without the colour-blend lines beside the bars, unless a box kept already or
                # nearly the whole image. Not remembered as seen: a collage tile's own cell, which
                # such a box overlaps by 97%, is still kept (a 100 x 117 tile: 8 bits off, where the
                # cut box was 36). However near the pass's box it is (it was left out from 99.5% until
                # 27 November 2026): one line of blend along a small dark photo's edge moved its hash
                # 24 bits (a 320 px photo in a grey frame after JPEG: 40 bits off with the line, 12
                # without); its hash tells whether it is a near-duplicate (`queries.NEAR_DUPLICATE`).
                blend = cut_colour_blend(a, boxes[i])
                cut = _to_original(blend, factor, img.size)
                if blend != boxes[i] and cut not in seen:
                    keep(cut, True, near=whole_image, same=SAME_AS_WHOLE, remember=False)
        if passes:  # a few pixels matter here: the hashes tell near-duplicates
            guesses = list(margin_cuts(passes[0], img.size))
            bars = cut_colours(a, boxes[0])
            step = colour_step_cut(a, boxes[0], bars)
            if step != boxes[0]:
                guesses.append(_to_original(step, factor, img.size))
            if floats_on_page(a, boxes[0]):
                guesses += [*frame_cuts(passes[0], img.size), *ratio_cuts(passes[0], img.size)]
                turned_on_page(boxes[0], trimmed=True, around=bars)  # a picture turned a little on the page
            for cut in guesses:
                keep(cut, True, same=SAME_AS_WHOLE)
            # And the first and the last pass without a caption in a bar of its own (a meme's words
            # over or under the picture), which the trim stops at: a bar's colour is that of the
            # line the first pass cut last on its side (a line or two beyond big words in a thin
            # bar is enough; until 27 November three lines were asked for).
            if any(c is not None for c in bars):
                for box in dict.fromkeys((boxes[0], boxes[-1])):
                    cut = caption_cut(a, box, bars)
                    if cut != box:
                        keep(_to_original(cut, factor, img.size), True, near=whole_image, same=SAME_AS_WHOLE,
                             remember=False)
            # And each later pass that cut a frame (one colour on three sides or four, as a region's
            # frame is judged) without a caption in that colour: a frame inside the bars (a chat
            # bubble that fills the screenshot but for a margin of page, its time written in the
            # bubble's colour under the photo), which the page's colours miss. (Every later pass,
            # framed or not: 15 more guesses on the unrelated images, a sky cut in bands in most.)
            for before, box in zip(boxes, boxes[1:]):
                if sum(b != c for b, c in zip(before, box)) < 3:
                    continue  # a pass that moved fewer than three sides cut no frame
                frame = _alike_on_three_sides(cut_colours(a, box))
                cut = caption_cut(a, box, [frame] * 4) if frame is not None else box
                if cut != box:
                    keep(_to_original(cut, factor, img.size), True, near=whole_image, same=SAME_AS_WHOLE,
                         remember=False)
    if trim:
        # The image turned in its own frame, or so turned and then put in bars (the first pass's
        # box). After the passes: a bank keeps the first pass as an original's trimmed picture
        # (`queries.trimmed_hash`).
        for box, trimmed in dict.fromkeys([((0, 0, width, height), False), *((b[0], True) for b in [unbarred] if b)]):
            turned_in_own_frame(box, trimmed)
    if regions:
        # Look inside the first trim only: bars and margins are gone, so a letterboxed photo shows
        # no background and costs nothing more, and a screenshot keeps its page colour.
        # The page colours come from the whole image (its edge shows them), the labelling from inside.
        ox, oy, ex, ey = boxes[0] if boxes else (0, 0, width, height)
        page = _backgrounds(a)
        inside = a[oy:ey, ox:ex]
        found_regions, page_share = _regions(inside, max_regions=max_regions, backgrounds=page)
        full: list[np.ndarray] = []  # the image's own pixels, when a box found on the reduced copy is snapped

        def snap(box: Box, reach: int) -> Box:
            if factor == 1:
                return box  # found on the image itself (a region's frame is then trimmed unfiltered)
            if not full:
                from childsafe.media.images import rgb_array, to_rgb

                full.append(rgb_array(to_rgb(img)))
            return snap_to_frame(full[0], box, reach)

        def keep_framed(original: Box, same: float = 0.95) -> None:
            # A pasted picture often sits in a frame of its own (a chat bubble's edge, an outline
            # drawn round a picture in picture): trim it too. Both are hashed: the picture's own edge
            # may be flat enough to look like a frame.
            # Put on the image's own pixels first: its frame is cut from the box kept (cut from the
            # box as found, a side whose first line was background kept a thin outline).
            original = snap(original, factor)
            pixels = _picture_pixels(img, original, whole)
            keep(original, False, pixels)
            # The frame is found on a copy filtered by 2 when the image was reduced (a frame's
            # JPEG-blended edge is smoother there), and cut from the pixels hashed. A frame's edge may
            # be a line of blend between page and frame: a pass stops there, the next one takes the
            # frame. Each pass is hashed (dropped when it moved the box by no more than a blend's
            # width; a later one may cut into a picture whose own edge is flat). The last cut is kept
            # unless it is nearly a box kept already (`SAME_AS_WHOLE`): a chat bubble's blend line, an
            # outline of 4 px (46 bits). An earlier one is left out when it overlaps a kept box by
            # ``same`` (95% for a region: a small region's first cut by a pixel, 8 lookups more).
            smooth = 2 if factor > 1 and min(pixels.shape[:2]) >= 4 * MIN_CONTENT else 1
            source = np.asarray(image_of_rgb(pixels).reduce(smooth)) if smooth > 1 else pixels
            sx = (original[2] - original[0]) / max(1, pixels.shape[1])
            sy = (original[3] - original[1]) / max(1, pixels.shape[0])
            cuts = trim_passes(source, max_passes=2) or []

            def keep_cut(cut: Box, same: float, remember: bool = True) -> None:
                tx0, ty0, tx1, ty1 = cut
                ix0, iy0 = tx0 * smooth, ty0 * smooth
                ix1 = pixels.shape[1] if tx1 >= source.shape[1] else tx1 * smooth
                iy1 = pixels.shape[0] if ty1 >= source.shape[0] else ty1 * smooth
                box = (original[0] + round(ix0 * sx), original[1] + round(iy0 * sy),
                       min(original[2], original[0] + round(ix1 * sx)), min(original[3], original[1] + round(iy1 * sy)))
                snapped = snap(box, max(factor, math.ceil(smooth * max(sx, sy))))
                keep(snapped, False, pixels[iy0:iy1, ix0:ix1] if snapped == box else None, same=same, remember=remember)

            for i, cut in enumerate(cuts):
                keep_cut(cut, SAME_AS_WHOLE if i == len(cuts) - 1 else same)
            whole_source = (0, 0, source.shape[1], source.shape[0])
            trimmed = list(cuts) or [whole_source]
            if cuts:  # the last cut without the colour-blend lines inside the frame, as a trimmed image's
                blend = cut_colour_blend(source, cuts[-1])
                if blend != cuts[-1]:
                    keep_cut(blend, EXACTLY, remember=False)
                    trimmed[-1] = blend
                # And the first put back at a step between the frame and a picture's margin of a
                # near colour (a photo's pale sky in a pale chat bubble), as a trimmed image's is,
                # then without a caption like the others.
                step = colour_step_cut(source, cuts[0], cut_colours(source, cuts[0]), least=2)
                if step != cuts[0]:
                    keep_cut(step, SAME_AS_WHOLE, remember=False)
                    trimmed.append(step)
            # And each without a caption written in the frame beside the picture (a chat bubble's
            # timestamp or sender's name), which the trim stops at: the first pass's too, as the
            # second may have cut into a flat sky. Not remembered as seen: a guess, which should not
            # keep a box found later that it nearly is from being hashed.
            # (A frame is trimmed on three sides at least: most regions and outlines stop here.)
            first = cuts[0] if cuts else whole_source
            sides_cut = (first[0] > 0) + (first[1] > 0) + (first[2] < source.shape[1]) + (first[3] < source.shape[0])
            colour = frame_colour(source, whole_source) if sides_cut >= 3 else None
            captioned = []
            for box in trimmed if colour is not None else []:
                cut = caption_cut(source, box, [colour] * 4)
                if cut != box and cut not in captioned:
                    captioned.append(cut)
                    keep_cut(cut, SAME_AS_WHOLE, remember=False)
            # And, a frame being as wide all round, its first trim cut to its narrower side on each
            # axis: a picture whose own edge is the frame's colour was trimmed into there.
            if colour is not None and EVEN_FRAME_GUESS and _even_frame(first, source.shape):
                even = margin_cuts(first, (source.shape[1], source.shape[0]))[0]
                if even not in (first, whole_source, *captioned):
                    keep_cut(even, SAME_AS_WHOLE, remember=False)

        for bx0, by0, bx1, by1 in found_regions:
            keep_framed(_to_original((bx0 + ox, by0 + oy, bx1 + ox, by1 + oy), factor, img.size))
            turned_on_page((bx0 + ox, by0 + oy, bx1 + ox, by1 + oy))
        # Pictures pasted over a busy background have no page colour around them, only their outline
        # (and, inside it, the outline's own lines, 4 px and more: 46 bits off without the trim).
        # A flat page with specks (a starfield on black) has no busy background to paste over: a
        # picture on it is a region.
        outlines = max(1, max_regions // 4) if page_share < FLAT_PAGE else 0
        # Looked for a few lines past the trim (`OUTLINE_MARGIN`), boxes then cut back to it. The
        # margin before the box is a whole number of the contrast maps' steps (`CONTRAST_ALONG`): they
        # sample every fourth line from the array's first, and a box found on other lines can differ
        # (a trim of 3 rows, all taken as margin, lost a picture's outline).
        mx0 = ox - min(OUTLINE_MARGIN, ox) // CONTRAST_ALONG * CONTRAST_ALONG
        my0 = oy - min(OUTLINE_MARGIN, oy) // CONTRAST_ALONG * CONTRAST_ALONG
        mx1, my1 = min(width, ex + OUTLINE_MARGIN), min(height, ey + OUTLINE_MARGIN)
        around = a[my0:my1, mx0:mx1]
        sharp = edge_boxes(around, max_regions=outlines)
        # And as many again from breaks that stand out on average along a side (a picture over
        # grass or gravel, whose steps beside it are as large as its own, pixel by pixel), unless
        # nearly a sharp outline found already.
        averaged = edge_boxes(around, max_regions=outlines, contrast=True) if CONTRAST_OUTLINES else []
        averaged = [box for box in averaged if all(_iou(box, other) < CONTRAST_SAME for other in sharp)]
        for bx0, by0, bx1, by1 in sharp + averaged:
            box = (max(ox, bx0 + mx0), max(oy, by0 + my0), min(ex, bx1 + mx0), min(ey, by1 + my0))
            if box[2] > box[0] and box[3] > box[1]:
                keep_framed(_to_original(box, factor, img.size), SAME_AS_WHOLE)
        # Tiles that touch (a collage without gaps) make one region and no outline of their own. The
        # seams are looked for across the whole image: trimming may have cut an outer tile's own flat
        # edge (34 bits off), and a border round the collage is trimmed from each cell.
        if page_share < FLAT_PAGE and max_regions > 0:
            for cell in grid_cells(a):
                keep_framed(_to_original(cell, factor, img.size), SAME_AS_WHOLE)
        # Last, so that a region's part (a region's gap lost on the labelling copy) takes no
        # outline's or tile's place: a part a few lines off a picture's outline was kept before it.
        for bx0, by0, bx1, by1 in region_parts(inside, found_regions, page, limit=max_regions // 2):
            keep_framed(_to_original((bx0 + ox, by0 + oy, bx1 + ox, by1 + oy), factor, img.size))
    if trim:
        # Bars that hold a blurred picture (`soft_bars`), last: found on the working copy, a line or
        # two off, such a box would take the place of a more exact one as its near-duplicate.
        for box in soft_bars(a, boxes[0] if boxes else None):
            keep(_to_original(box, factor, img.size), True, near=seen[:1], same=SAME_AS_WHOLE)
    # A picture with rounded corners is also hashed with them filled (`corner_radius`, `fill_corners`).
    for picture in [p for p in found if not p.turned]:
        x0, y0, x1, y1 = picture.box
        share = corner_radius(a, (x0 // factor, y0 // factor, x1 // factor, y1 // factor))
        if share > 0:
            found.append(Picture(picture.box, picture.trimmed, picture.cut, share))
    return found


def _picture_pixels(img: Image.Image, box: Box, whole: np.ndarray | None = None) -> np.ndarray:
    """The part of the image in ``box`` as an RGB array for hashing: as it is when shorter than
    twice ``PICTURE_SIDE``, else every k-th pixel down to ``PICTURE_SIDE`` to twice that. PDQ's own
    blur averages as a box filter would at 384 pixels and more (measured: the same distance from the
    full-size hash, 3 to 4 bits on average, while at 256 it is 11), and sampling reads a fraction of
    the pixels."""
    from childsafe.media.images import rgb_sampled

    x0, y0, x1, y1 = box
    k = max(x1 - x0, y1 - y0) // PICTURE_SIDE
    if k < 2 and whole is not None:
        return whole[y0:y1, x0:x1]  # ``whole``: the image as an RGB array already (no second copy)
    if k >= 2:
        w, h = max(1, (x1 - x0) // k), max(1, (y1 - y0) // k)
        # the resize's pixels, from Pillow's memory (not a sliver narrower than k: the box is cut there)
        sampled = rgb_sampled(img, k, (w, h), (x0, y0)) if w * k <= x1 - x0 and h * k <= y1 - y0 else None
        if sampled is not None:
            return sampled
        crop = img.resize((w, h), Image.Resampling.NEAREST, box=(x0, y0, min(x1, x0 + w * k), min(y1, y0 + h * k)))
    else:
        crop = img.crop(box)
    if crop.mode != "RGB":
        from childsafe.media.images import to_rgb

        crop = to_rgb(crop)
    return np.asarray(crop, dtype=np.uint8)


def frame_bars(a: np.ndarray) -> Box | None:
    """The box inside a video or stream frame's bars (h, w, 3 uint8), or None when it has none or
    nothing is left (one colour throughout, as a fade to black is).

    One pass: the bars of one colour (a pass cuts one colour). A second pass would cut what is
    flat at the picture's own edge (a door, a wall, a night sky), which the original has too, and
    a video the bank holds with bars of its own (the vPDQ reference videos) is found when only the
    bars added around them are cut.
    """
    boxes = trim_passes(a, max_passes=1)
    return boxes[0] if boxes else None


def trim_frame(rgb: np.ndarray) -> np.ndarray | None:
    """A video frame (h, w, 3 uint8) with its bars cut away (`frame_bars`), or None when it has none
    or is one colour throughout: then its plain hash stands for the trimmed one too.

    Borders are found on every second pixel when the frame is large, then cut from the full frame.
    """
    height, width = rgb.shape[:2]
    step = max(1, max(height, width) // WORKING_SIDE)
    box = frame_bars(rgb[::step, ::step])
    if box is None:
        return None
    x0, y0, x1, y1 = box
    return np.ascontiguousarray(rgb[y0 * step : min(height, y1 * step), x0 * step : min(width, x1 * step)])
