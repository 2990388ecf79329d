"""The edits the evaluation applies to banked images: what people do to dodge a hash list.

Each transform is a name, a strength label and a function of (image, rng) -> image. Strength steps
go beyond what the matcher promises, so the table shows where it stops working too.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from typing import Callable

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from childsafe.media.images import TRANSFORM_OPS
from eval.matching.corpus import NAMES, WORDS, drawn_scene

Edit = Callable[[Image.Image, random.Random], Image.Image]

DIHEDRAL = {name: op for name, op in TRANSFORM_OPS.items() if op is not None}


@dataclass(frozen=True)
class Transform:
    family: str
    strength: str
    apply: Edit

    @property
    def name(self) -> str:
        return f"{self.family} {self.strength}".strip()


def jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def resize(img: Image.Image, scale: float) -> Image.Image:
    w, h = img.size
    return img.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.BILINEAR)


def border(img: Image.Image, share: float, colour: tuple[int, int, int]) -> Image.Image:
    """A solid border on every side, ``share`` of the width (left/right) and height (top/bottom) each."""
    w, h = img.size
    dx, dy = round(w * share), round(h * share)
    out = Image.new("RGB", (w + 2 * dx, h + 2 * dy), colour)
    out.paste(img, (dx, dy))
    return out


def letterbox(img: Image.Image, ratio: float, colour=(0, 0, 0)) -> Image.Image:
    """Bars above and below until the picture has width/height ``ratio`` (pillarbox when it is wider)."""
    w, h = img.size
    if w / h > ratio:
        out = Image.new("RGB", (w, round(w / ratio)), colour)
        out.paste(img, (0, (out.height - h) // 2))
    else:
        out = Image.new("RGB", (round(h * ratio), h), colour)
        out.paste(img, ((out.width - w) // 2, 0))
    return out


def blurred_letterbox(img: Image.Image, ratio: float, radius: float) -> Image.Image:
    """The picture centred in a frame of width/height ``ratio`` filled with itself enlarged to cover
    it and blurred (Gaussian, ``radius``): how phone apps fit a picture to a story's tall frame."""
    w, h = img.size
    size = (w, round(w / ratio)) if w / h > ratio else (round(h * ratio), h)
    scale = max(size[0] / w, size[1] / h)
    cover = img.resize((max(size[0], round(w * scale)), max(size[1], round(h * scale))), Image.Resampling.BILINEAR)
    left, top = (cover.width - size[0]) // 2, (cover.height - size[1]) // 2
    out = cover.crop((left, top, left + size[0], top + size[1])).filter(ImageFilter.GaussianBlur(radius))
    out.paste(img, ((size[0] - w) // 2, (size[1] - h) // 2))
    return out


def rounded_on_page(img: Image.Image, radius: int, page: tuple[int, int, int], margin: float = 0.1) -> Image.Image:
    """The picture with its corners rounded (``radius`` px) on a page of one colour, ``margin`` of each
    side: how chat apps, share sheets and cards show a picture."""
    w, h = img.size
    dx, dy = round(w * margin), round(h * margin)
    out = Image.new("RGB", (w + 2 * dx, h + 2 * dy), page)
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, w - 1, h - 1), radius=radius, fill=255)
    out.paste(img, (dx, dy), mask)
    return out


def turned_on_page(img: Image.Image, degrees: float, page: tuple[int, int, int], margin: float = 0.2) -> Image.Image:
    """The picture turned ``degrees`` (counter-clockwise) on a page of one colour ``margin`` of each
    side wider than the picture: a photo of a print, a post laid out at an angle."""
    w, h = img.size
    out = Image.new("RGB", (round(w * (1 + 2 * margin)), round(h * (1 + 2 * margin))), page)
    turned = img.convert("RGBA").rotate(degrees, expand=True, resample=Image.Resampling.BICUBIC)
    out.paste(turned, ((out.width - turned.width) // 2, (out.height - turned.height) // 2), turned)
    return out


def noise_border(img: Image.Image, rng: random.Random, share: float) -> Image.Image:
    """A border of random pixels, ``share`` of each side: no colour for a trimmer to cut."""
    w, h = img.size
    dx, dy = round(w * share), round(h * share)
    out = Image.frombytes("RGB", (w + 2 * dx, h + 2 * dy), rng.randbytes((w + 2 * dx) * (h + 2 * dy) * 3))
    out.paste(img, (dx, dy))
    return out


def see_through_border(img: Image.Image, rng: random.Random, share: float) -> Image.Image:
    """`noise_border` made fully transparent, saved as PNG and decoded as an upload is: a viewer sees a
    plain margin, a hasher that drops the alpha sees noise."""
    from childsafe.media import load_image

    out = noise_border(img, rng, share).convert("RGBA")
    dx, dy = (out.width - img.width) // 2, (out.height - img.height) // 2
    alpha = Image.new("L", out.size, 0)
    alpha.paste(255, (dx, dy, dx + img.width, dy + img.height))
    out.putalpha(alpha)
    buf = io.BytesIO()
    out.save(buf, "PNG")
    return load_image(buf.getvalue())


def crop_side(img: Image.Image, side: str, share: float) -> Image.Image:
    w, h = img.size
    box = {
        "left": (round(w * share), 0, w, h),
        "right": (0, 0, w - round(w * share), h),
        "top": (0, round(h * share), w, h),
        "bottom": (0, 0, w, h - round(h * share)),
        "centre": (round(w * share), round(h * share), w - round(w * share), h - round(h * share)),
    }[side]
    return img.crop(box)


def crop_to_ratio(img: Image.Image, ratio: float, place: float = 0.5) -> Image.Image:
    """The image cut to ``ratio`` (width / height) as a feed or a story cuts a photo: the part kept
    lies ``place`` of the way along the side that is cut (0.5: the middle)."""
    w, h = img.size
    if w / h > ratio:
        kept = max(1, round(h * ratio))
        x0 = round((w - kept) * place)
        return img.crop((x0, 0, x0 + kept, h))
    kept = max(1, round(w / ratio))
    y0 = round((h - kept) * place)
    return img.crop((0, y0, w, y0 + kept))


def straightened(img: Image.Image, degrees: float) -> Image.Image:
    """The image turned ``degrees`` (counter-clockwise) within its size and cut to the largest box of
    its own shape inside the turned picture, at its size again: an editor's "straighten"."""
    w, h = img.size
    t = math.radians(abs(degrees))
    scale = min(w / (w * math.cos(t) + h * math.sin(t)), h / (w * math.sin(t) + h * math.cos(t)))
    x0, y0 = round(w * (1 - scale) / 2), round(h * (1 - scale) / 2)
    turned = img.convert("RGB").rotate(degrees, resample=Image.Resampling.BICUBIC)
    return turned.crop((x0, y0, w - x0, h - y0)).resize((w, h), Image.Resampling.BICUBIC)


def patched(img: Image.Image, rng: random.Random, share: float) -> Image.Image:
    """A square of one random colour over ``share`` of the picture's area at a random place: a
    sticker or a blot pasted over part of it."""
    out = img.convert("RGB").copy()
    side = share ** 0.5
    w, h = max(1, round(out.width * side)), max(1, round(out.height * side))
    x0, y0 = rng.randrange(0, out.width - w + 1), rng.randrange(0, out.height - h + 1)
    out.paste(tuple(rng.randrange(256) for _ in range(3)), (x0, y0, x0 + w, y0 + h))
    return out


def emoji_sticker(img: Image.Image, rng: random.Random, share: float) -> Image.Image:
    """A smiling face sticker (a yellow disc, dark eyes and mouth) over ``share`` of the picture's area
    at a random place: the emoji a sharer puts over part of a picture."""
    out = img.convert("RGB").copy()
    side = max(4, round((share * out.width * out.height) ** 0.5 / 0.886))  # a disc's area is 0.785 of its box
    side = min(side, out.width, out.height)
    x0, y0 = rng.randrange(0, out.width - side + 1), rng.randrange(0, out.height - side + 1)
    draw = ImageDraw.Draw(out)
    draw.ellipse((x0, y0, x0 + side, y0 + side), fill=(255, 204, 51))
    eye, ink = side / 8, (60, 40, 20)
    for cx in (0.3, 0.7):
        draw.ellipse((x0 + side * cx - eye / 2, y0 + side * 0.35 - eye / 2, x0 + side * cx + eye / 2, y0 + side * 0.35 + eye),
                     fill=ink)
    draw.arc((x0 + side * 0.25, y0 + side * 0.4, x0 + side * 0.75, y0 + side * 0.8), 20, 160, fill=ink,
             width=max(1, side // 20))
    return out


def label_sticker(img: Image.Image, rng: random.Random, share: float) -> Image.Image:
    """A white sticker with rounded corners, a dark outline and a blue dot, over ``share`` of the
    picture's area at a random place."""
    out = img.convert("RGB").copy()
    side = min(max(4, round((share * out.width * out.height) ** 0.5)), out.width, out.height)
    x0, y0 = rng.randrange(0, out.width - side + 1), rng.randrange(0, out.height - side + 1)
    draw = ImageDraw.Draw(out)
    draw.rounded_rectangle((x0, y0, x0 + side, y0 + side), radius=side // 5, fill=(250, 250, 250),
                           outline=(20, 20, 20), width=max(1, side // 25))
    draw.ellipse((x0 + side * 0.3, y0 + side * 0.3, x0 + side * 0.7, y0 + side * 0.7), fill=(40, 90, 220))
    return out


def screenshot(img: Image.Image, rng: random.Random, width_share: float, dark: bool = False,
               caption: bool = False) -> Image.Image:
    """The picture inside a drawn chat-app screen: header, message bubbles with words, the photo in a
    bubble; with ``caption``, in another app's colours (a tinted page, white bubbles), the photo's
    bubble also holds the sender's name over it and the time under it, as group chats show them."""
    sw, sh = 720, 1280
    bg, bubble, ink = ((18, 18, 18), (45, 45, 48), (230, 230, 230)) if dark else ((255, 255, 255), (233, 236, 240), (30, 30, 30))
    frame, name_ink, time_ink = (0, 120, 215), (255, 220, 120), (235, 235, 235)
    if caption and not dark:
        bg, bubble, frame, name_ink, time_ink = (236, 229, 221), (255, 255, 255), (255, 255, 255), (200, 60, 90), (120, 120, 120)
    out = Image.new("RGB", (sw, sh), bg)
    draw = ImageDraw.Draw(out)
    draw.rectangle((0, 0, sw, 110), fill=(0, 120, 215))
    draw.ellipse((20, 25, 80, 85), fill=(250, 250, 250))
    draw.text((100, 45), "Sam", fill=(255, 255, 255))
    pw = round(sw * width_share)
    ph = round(img.height * pw / img.width)
    ph = min(ph, 700)
    pw = round(img.width * ph / img.height)
    y = 140
    for _ in range(2):
        bw = rng.randint(220, 520)
        x = rng.choice((20, sw - bw - 20))
        draw.rounded_rectangle((x, y, x + bw, y + 70), radius=18, fill=bubble)
        draw.text((x + 16, y + 25), " ".join(rng.choices(WORDS, k=5)), fill=ink)
        y += 90
    x = sw - pw - 30
    above, below = (24, 24) if caption else (0, 0)  # the name's and the time's lines inside the bubble
    draw.rounded_rectangle((x - 8, y - 8, x + pw + 8, y + above + ph + below + 8), radius=14, fill=frame)
    if caption:
        draw.text((x + 2, y + 2), rng.choice(NAMES), fill=name_ink)
        draw.text((x + pw - 36, y + above + ph + 8), f"{rng.randrange(24):02d}:{rng.randrange(60):02d}", fill=time_ink)
    out.paste(img.resize((pw, ph), Image.Resampling.LANCZOS), (x, y + above))
    y += above
    y += ph + 30 + below
    while y < sh - 160:
        bw = rng.randint(200, 560)
        x = rng.choice((20, sw - bw - 20))
        draw.rounded_rectangle((x, y, x + bw, y + 70), radius=18, fill=bubble)
        draw.text((x + 16, y + 25), " ".join(rng.choices(WORDS, k=6)), fill=ink)
        y += 90
    draw.rectangle((0, sh - 100, sw, sh), fill=(240, 240, 240) if not dark else (30, 30, 30))
    return jpeg(out, 85)


def meme(img: Image.Image, rng: random.Random, top: float, bottom: float, big: bool = False,
         bar: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """The picture with a bar of words above it (``top`` of its height) and below it (``bottom``),
    as memes and reposts put a caption; JPEG 85; the words in the ``bar`` colour's opposite (black on
    white). Small words: two lines above and one below. ``big``: one line of capitals three quarters
    of the bar high across most of the width (Pillow's own TrueType font)."""
    w, h = img.size
    above, below = round(h * top), round(h * bottom)
    out = Image.new("RGB", (w, h + above + below), bar)
    out.paste(img, (0, above))
    draw = ImageDraw.Draw(out)
    ink = tuple(255 - c for c in bar)
    if big:
        for y, height in ((0, above), (above + h, below)):
            if height:
                font = ImageFont.load_default(size=max(8, round(height * 0.75)))
                words = [rng.choice(WORDS).upper()]
                while draw.textlength(" ".join(words + ["WORD"]), font=font) < 0.9 * w:
                    words.append(rng.choice(WORDS).upper())
                text = " ".join(words)
                left, top_, right, bottom_ = draw.textbbox((0, 0), text, font=font)
                draw.text(((w - right) / 2, y + (height - bottom_ - top_) / 2), text, fill=ink, font=font)
        return jpeg(out, 85)
    for k in range(2 if above else 0):
        draw.text((rng.randint(5, w // 4), 5 + k * above // 2), " ".join(rng.choices(WORDS, k=6)), fill=ink)
    if below:
        draw.text((rng.randint(5, w // 4), above + h + below // 3), " ".join(rng.choices(WORDS, k=5)), fill=ink)
    return jpeg(out, 85)


def collage(img: Image.Image, rng: random.Random) -> Image.Image:
    """The picture as one tile of a 2x2 collage with white gutters; the other tiles are drawn scenes."""
    cell, gutter = 480, 24
    out = Image.new("RGB", (2 * cell + 3 * gutter, 2 * cell + 3 * gutter), (255, 255, 255))
    slot = rng.randrange(4)
    for i in range(4):
        tile = img if i == slot else drawn_scene(rng.randrange(1 << 30), (cell, cell))
        tile = tile.copy()
        tile.thumbnail((cell, cell), Image.Resampling.LANCZOS)
        x = gutter + (i % 2) * (cell + gutter) + (cell - tile.width) // 2
        y = gutter + (i // 2) * (cell + gutter) + (cell - tile.height) // 2
        out.paste(tile, (x, y))
    return jpeg(out, 90)


def picture_in_picture(img: Image.Image, rng: random.Random, share: float = 0.4, background: str = "drawn",
                       canvas: tuple[int, int] | None = None) -> Image.Image:
    """The picture at ``share`` of the canvas width, pasted at a random place over a busy background:
    no flat page colour to find it by, only its outline.

    ``background``: ``drawn`` (a seeded scene of gradients, shapes and words), ``photo`` (one of the
    photos scikit-image ships that are not banked: textures such as brick, grass and gravel, coins,
    the moon, a clock, a horse, cells), or ``any`` (either, chosen by the seed). ``canvas`` is the
    background's size, landscape, square or portrait chosen by the seed when not given.
    """
    if canvas is None:
        canvas = rng.choice(((960, 720), (1280, 720), (800, 800), (720, 960)))
    width, height = canvas
    kind = background if background != "any" else rng.choice(("drawn", "photo"))
    photos = background_photos() if kind == "photo" else []
    if photos:
        back = photos[rng.randrange(len(photos))].resize(canvas, Image.Resampling.BILINEAR)
    else:
        back = drawn_scene(rng.randrange(1 << 30), canvas)
    small = resize(img, share * width / img.width)
    if small.height > 0.9 * height:
        small = resize(img, 0.9 * height / img.height)
    back.paste(small, (rng.randint(0, width - small.width), rng.randint(0, max(0, height - small.height))))
    return back


_BACKGROUND_PHOTOS: list[Image.Image] = []


def background_photos() -> list[Image.Image]:
    """Busy backgrounds from photos a package ships (never one of the banked pictures)."""
    if not _BACKGROUND_PHOTOS:
        from eval.matching.corpus import BACKGROUND_SKIMAGE, _skimage

        _BACKGROUND_PHOTOS.extend(sample.image for sample in _skimage(BACKGROUND_SKIMAGE))
    return _BACKGROUND_PHOTOS


def suite() -> list[Transform]:
    t: list[Transform] = [
        Transform("control", "jpeg q50", lambda im, r: jpeg(im, 50)),
        Transform("control", "resize 50%", lambda im, r: resize(im, 0.5)),
    ]
    t += [Transform("dihedral", name, lambda im, r, op=op: im.transpose(op)) for name, op in DIHEDRAL.items()]
    for colour_name, colour in (("black", (0, 0, 0)), ("white", (255, 255, 255)), ("grey", (128, 128, 128)), ("red", (200, 30, 30))):
        for share in (0.05, 0.15, 0.25):
            t.append(Transform("border", f"{colour_name} {share:.0%}", lambda im, r, s=share, c=colour: border(im, s, c)))
    t += [
        Transform("border", "random noise 15% + jpeg q80", lambda im, r: jpeg(noise_border(im, r, 0.15), 80)),
        Transform("border", "white 10%, corners rounded 24 px", lambda im, r: rounded_on_page(im, 24, (255, 255, 255))),
        Transform("border", "black 10%, corners rounded 48 px + jpeg q80",
                  lambda im, r: jpeg(rounded_on_page(im, 48, (0, 0, 0)), 80)),
        Transform("border", "turned 3 degrees on white", lambda im, r: turned_on_page(im, 3, (255, 255, 255))),
        Transform("border", "turned -8 degrees on grey + jpeg q80",
                  lambda im, r: jpeg(turned_on_page(im, -8, (128, 128, 128)), 80)),
        # An editor's turn that keeps the size: the corners cut off, the frame's corners filled
        Transform("border", "turned 4 degrees in its own frame, black corners",
                  lambda im, r: im.convert("RGB").rotate(4, resample=Image.Resampling.BICUBIC, fillcolor=(0, 0, 0))),
        Transform("border", "turned -10 degrees in its own frame, white corners + jpeg q80",
                  lambda im, r: jpeg(im.convert("RGB").rotate(-10, resample=Image.Resampling.BICUBIC,
                                                              fillcolor=(255, 255, 255)), 80)),
        Transform("letterbox", "to 9:16 black", lambda im, r: letterbox(im, 9 / 16)),
        Transform("letterbox", "to 1:1 white", lambda im, r: letterbox(im, 1.0, (255, 255, 255))),
        Transform("letterbox", "to 21:9 black", lambda im, r: letterbox(im, 21 / 9)),
        Transform("letterbox", "nested frames", lambda im, r: border(border(im, 0.04, (250, 250, 250)), 0.08, (20, 20, 90))),
        Transform("letterbox", "to 9:16 + jpeg q40", lambda im, r: jpeg(letterbox(im, 9 / 16), 40)),
        Transform("letterbox", "see-through 20%, noise under", lambda im, r: see_through_border(im, r, 0.2)),
        Transform("letterbox", "to 9:16 in itself blurred", lambda im, r: blurred_letterbox(im, 9 / 16, 20)),
        Transform("letterbox", "to 1:1 in itself blurred + jpeg q80", lambda im, r: jpeg(blurred_letterbox(im, 1.0, 12), 80)),
    ]
    t += [
        Transform("screenshot", f"photo {s:.0%} wide{' dark' if d else ''}", lambda im, r, s=s, d=d: screenshot(im, r, s, d))
        for s, d in ((0.4, False), (0.6, False), (0.85, False), (0.6, True))
    ]
    t += [
        Transform("screenshot", f"photo {s:.0%} wide, name and time", lambda im, r, s=s: screenshot(im, r, s, caption=True))
        for s in (0.25, 0.4, 0.6)
    ]
    t += [
        Transform("caption", f"words {name}", lambda im, r, a=above, b=below: meme(im, r, a, b))
        for name, above, below in (("above, 18% of the height", 0.18, 0.0), ("below, 15%", 0.0, 0.15),
                                   ("above and below, 10% each", 0.1, 0.1))
    ]
    t += [
        Transform("caption", f"big words {name}", lambda im, r, a=above, b=below, c=bar: meme(im, r, a, b, True, c))
        for name, above, below, bar in (("above, 12%", 0.12, 0.0, (255, 255, 255)),
                                        ("below, 8%", 0.0, 0.08, (255, 255, 255)),
                                        ("above, 10%, black bar", 0.1, 0.0, (0, 0, 0)))
    ]
    t += [
        Transform("collage", "2x2 tile", collage),
        Transform("picture-in-picture", "40% over drawn scene",
                  lambda im, r: picture_in_picture(im, r, 0.4, "drawn", (960, 720))),
        Transform("picture-in-picture", "25% over drawn scene", lambda im, r: picture_in_picture(im, r, 0.25, "drawn")),
        Transform("picture-in-picture", "60% over drawn scene", lambda im, r: picture_in_picture(im, r, 0.6, "drawn")),
        Transform("picture-in-picture", "40% over package photo", lambda im, r: picture_in_picture(im, r, 0.4, "photo")),
        Transform("picture-in-picture", "30% over photo, jpeg q75",
                  lambda im, r: jpeg(picture_in_picture(im, r, 0.3, "photo"), 75)),
        Transform("picture-in-picture", "20-60% over either + mirror",
                  lambda im, r: picture_in_picture(im.transpose(Image.Transpose.FLIP_LEFT_RIGHT), r,
                                                   r.uniform(0.2, 0.6), "any")),
    ]
    # Strengths on and off the crop set's steps (5% a side, 3% for centre crops).
    for share in (0.02, 0.05, 0.075, 0.10, 0.12, 0.18):
        t.append(Transform("crop", f"left {share:.1%}", lambda im, r, s=share: crop_side(im, "left", s)))
    for share in (0.03, 0.045, 0.08):
        t.append(Transform("crop", f"centre {share:.1%} a side", lambda im, r, s=share: crop_side(im, "centre", s)))
    t.append(Transform("crop", "top 12%", lambda im, r: crop_side(im, "top", 0.12)))
    # Cut to a shape, as a feed (square, 4:5) or a story (9:16) cuts a photo; the bank keeps the
    # middle of each common shape, so a cut elsewhere along the side is mostly missed (shown).
    t += [
        Transform("crop", "to 1:1 in the middle", lambda im, r: crop_to_ratio(im, 1.0)),
        Transform("crop", "to 4:5 in the middle + jpeg q80", lambda im, r: jpeg(crop_to_ratio(im, 0.8), 80)),
        Transform("crop", "to 9:16 in the middle, resize 50%", lambda im, r: resize(crop_to_ratio(im, 9 / 16), 0.5)),
        Transform("crop", "to 1:1 anywhere along the side", lambda im, r: crop_to_ratio(im, 1.0, r.random())),
        # Turned a little and cut to fill (an editor's "straighten"): no corners left to measure
        Transform("crop", "straightened 2 degrees", lambda im, r: straightened(im, 2)),
        Transform("crop", "straightened -7 degrees, resize 50% + jpeg q80",
                  lambda im, r: jpeg(resize(straightened(im, -7), 0.5), 80)),
        Transform("crop", "straightened a random 0-10 degrees either way",
                  lambda im, r: straightened(im, r.uniform(-10, 10))),
    ]
    # A sticker over part of the picture: nothing is looked up without it (not built; measured)
    t += [Transform("occlusion", f"a patch of one colour over {share:.0%} of it", lambda im, r, s=share: patched(im, r, s))
          for share in (0.02, 0.05)]
    t += [
        Transform("combo", "mirror + jpeg q30", lambda im, r: jpeg(im.transpose(Image.Transpose.FLIP_LEFT_RIGHT), 30)),
        Transform("combo", "letterbox + resize 50%", lambda im, r: resize(letterbox(im, 9 / 16), 0.5)),
        Transform("combo", "border 15% + rot90", lambda im, r: border(im, 0.15, (0, 0, 0)).transpose(Image.Transpose.ROTATE_90)),
        Transform("combo", "crop left 10% + rot90", lambda im, r: crop_side(im, "left", 0.10).transpose(Image.Transpose.ROTATE_90)),
        Transform("combo", "screenshot + mirror", lambda im, r: screenshot(im.transpose(Image.Transpose.FLIP_LEFT_RIGHT), r, 0.6)),
    ]
    return t
