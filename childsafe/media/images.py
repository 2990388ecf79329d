"""Image loading and PDQ hashing.

Loading is where hostile input arrives, so every failure (empty, truncated, corrupt, not an
image, decompression bomb) becomes :class:`InvalidInput` naming the file, and the pixel count is
checked from the header before any pixel is decoded.

Hashing is the reference PDQ (Meta's C++, as the pdqhash package wraps it), computed by
:mod:`childsafe.media.pdq` with the same bits and quality several times faster. Two more speed steps
keep the hash where it was: PDQ only ever sees luma, so a JPEG is decoded straight to its Y channel
(no colour decoding), and images larger than :data:`HASH_MAX_SIDE` on their longer side are
reduced first (JPEG at reduced scale where libjpeg allows, then a box filter), as the reference
command-line tool also does before its blur to 64x64. Measured on the reference photos, hashes
stay 0 to 8 bits (mean under 3) from threatexchange's full-resolution RGB hasher, and the eight
dihedral photos 4 to 6 bits from the reference C++ output; the match threshold is 31.
"""

from __future__ import annotations

import ctypes
import io
import os
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Union

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from childsafe.errors import InvalidInput
from childsafe.index.codec import array_to_hex, bits_to_hex
from childsafe.media import pdq

ImageSource = Union[str, Path, bytes]

DEFAULT_MAX_PIXELS = 100_000_000
HASH_MAX_SIDE = 960
"""Longer side above which an image is reduced before PDQ (see the module docstring)."""

TRANSFORMS = ("original", "rot90", "rot180", "rot270", "flip_h", "flip_v", "transpose", "transverse")
"""Dihedral transforms. ``rot90`` is 90 degrees counter-clockwise (Pillow's ``ROTATE_90``),
``flip_h`` a left-right mirror, ``flip_v`` top-bottom, ``transpose`` swaps x and y (flip about the
main diagonal), ``transverse`` flips about the other diagonal."""

TRANSFORM_OPS: dict[str, Image.Transpose | None] = {
    "original": None,
    "rot90": Image.Transpose.ROTATE_90,
    "rot180": Image.Transpose.ROTATE_180,
    "rot270": Image.Transpose.ROTATE_270,
    "flip_h": Image.Transpose.FLIP_LEFT_RIGHT,
    "flip_v": Image.Transpose.FLIP_TOP_BOTTOM,
    "transpose": Image.Transpose.TRANSPOSE,
    "transverse": Image.Transpose.TRANSVERSE,
}

# pdq.pdq_dihedral_bytes returns the reference's order [original, rotate90, rotate180, rotate270,
# flipX, flipY, flipPlus1, flipMinus1]; the reference's flipX is a top-bottom flip and flipY a mirror.
# Verified against Pillow transposes of the bridge photo (tests/media/test_media_dihedral.py).
_DIHEDRAL_ROWS = tuple(pdq.DIHEDRAL.index(t) for t in TRANSFORMS)
"""The row of pdq's hashes that holds each of TRANSFORMS."""

_ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}

SEE_THROUGH = "childsafe.see_through"
"""Key in a decoded image's ``info`` (`load_image`) of its alpha band (mode L, the image's size),
kept when some pixel is not fully opaque. The image itself is RGB with the alpha dropped, which is
what the reference hashers hash; the finders look at it as shown (`over_black`)."""

_SIXTEEN_BIT_MODES = {"I;16", "I;16L", "I;16B", "I;16N"}


@dataclass(frozen=True)
class PDQHash:
    """A PDQ hash (64 hex characters) and its quality (0-100; below 50 the hash is unreliable)."""

    pdq: str
    quality: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class TransformHash:
    """The PDQ hash of ``transform`` applied to the image that was hashed."""

    transform: str
    pdq: str
    quality: int

    def to_dict(self) -> dict:
        return asdict(self)


def source_name(source: ImageSource) -> str:
    """How a source is named in error messages."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "<bytes>"
    return os.fspath(source)


def require_file(path: Path, name: str) -> None:
    """A regular, non-empty file, or InvalidInput saying what is there instead."""
    if path.is_dir():
        raise InvalidInput(f"{name}: is a directory, not a file", code="not_a_file")
    if not path.exists():
        raise InvalidInput(f"{name}: no such file", code="file_not_found")
    if not path.is_file():
        raise InvalidInput(f"{name}: not a regular file", code="not_a_file")
    if path.stat().st_size == 0:
        raise InvalidInput(f"{name}: empty file (0 bytes)", code="empty_file")


def open_image(source: ImageSource, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> Image.Image:
    """Open (header only) and refuse empty files and decompression bombs before decoding."""
    name = source_name(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        if len(source) == 0:
            raise InvalidInput(f"{name}: empty input (0 bytes)", code="empty_file")
        fp: object = io.BytesIO(bytes(source))
    else:
        path = Path(source)
        require_file(path, name)
        fp = path
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(fp)  # type: ignore[arg-type]
    except Image.DecompressionBombError as exc:
        raise InvalidInput(f"{name}: refused as a decompression bomb ({exc})", code="decompression_bomb") from None
    except OSError as exc:
        if not isinstance(exc, UnidentifiedImageError) and exc.errno is not None:
            raise InvalidInput(f"{name}: cannot read ({exc.strerror or exc})", code="unreadable") from None
        raise InvalidInput(f"{name}: not an image that can be read (unknown or corrupt format)",
                           code="not_an_image") from None
    except Exception as exc:  # Pillow raises many types for malformed headers
        raise InvalidInput(f"{name}: corrupt image header ({type(exc).__name__}: {exc})", code="corrupt_image") from None
    width, height = img.size
    if width <= 0 or height <= 0:
        raise InvalidInput(f"{name}: image has no pixels ({width}x{height})", code="corrupt_image")
    if width * height > max_pixels:
        img.close()
        raise InvalidInput(
            f"{name}: refused as a decompression bomb: {width}x{height} = {width * height:,} pixels "
            f"exceeds the limit of {max_pixels:,}",
            code="decompression_bomb",
        )
    return img


def load_image(
    source: ImageSource, *, max_pixels: int = DEFAULT_MAX_PIXELS, max_side: int | None = None
) -> Image.Image:
    """Decode an image file or bytes to RGB with EXIF orientation applied (GIF: first frame).

    ``max_side`` (optional) bounds the longer side of the result: JPEGs are then decoded at a
    reduced scale, which is much faster, and anything still larger is box-filtered down.
    ``max_pixels`` refuses larger images from their header; Pillow's own bomb limit (twice
    ``PIL.Image.MAX_IMAGE_PIXELS``, about 179 million pixels) still applies above it.
    """
    return _decode(source, max_pixels=max_pixels, max_side=max_side, luma=False)


def load_for_hashing(source: ImageSource, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> Image.Image:
    """Decode only what PDQ needs: the luma (mode L), at most :data:`HASH_MAX_SIDE` on the longer
    side, EXIF orientation applied. Hashing this gives the same hash as hashing ``load_image``'s
    result within a few bits, several times faster for large JPEGs."""
    return _decode(source, max_pixels=max_pixels, max_side=HASH_MAX_SIDE, luma=True)


def _decode(source: ImageSource, *, max_pixels: int, max_side: int | None, luma: bool) -> Image.Image:
    """Shared decoder: RGB, or (``luma``) the grey PDQ hashes, read straight from a JPEG's Y
    channel when it has one, which skips colour decoding altogether."""
    name = source_name(source)
    img = open_image(source, max_pixels=max_pixels)
    try:
        if img.format == "JPEG" and img.mode in ("RGB", "L"):
            w, h = img.size
            scale = 1.0 if max_side is None else min(1.0, max_side / max(w, h))
            if luma or scale < 1:
                img.draft("L" if luma else img.mode, (max(1, round(w * scale)), max(1, round(h * scale))))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            img.load()
            img = _upright(img)
            alpha = None if luma else _see_through(img)
            img = to_luma(img) if luma else to_rgb(img)
            if alpha is not None:
                img.info[SEE_THROUGH] = alpha
    except InvalidInput:
        raise
    except Exception as exc:  # truncated data, bad EXIF, codec errors: all are bad input
        raise InvalidInput(f"{name}: cannot decode image ({type(exc).__name__}: {exc})", code="corrupt_image") from None
    if max_side is not None:
        img = reduce_to(img, max_side)
    return img


def _see_through(img: Image.Image) -> Image.Image | None:
    """The alpha band of an image some of whose pixels are not fully opaque, else None."""
    if img.mode == "P" and "transparency" in img.info:
        img = img.convert("RGBA")
    if img.mode not in _ALPHA_MODES:
        return None
    alpha = img.getchannel("A")
    return alpha if alpha.getextrema()[0] < 255 else None


def see_through(img: Image.Image) -> bool:
    """Whether `load_image` kept the image's alpha (`SEE_THROUGH`): some pixel is not opaque."""
    alpha = img.info.get(SEE_THROUGH)
    return alpha is not None and alpha.size == img.size


def over_black(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """(h, w, 3) uint8 pixels as shown over black, each in proportion to its (h, w) uint8 opacity:
    a see-through image's transparent padding is then a flat border however the colours under it
    were set (dropping the alpha, as hashing does, shows whatever is there: noise under a
    see-through margin hid it from trimming)."""
    shown = (rgb.astype(np.uint16) * alpha[:, :, None] + 127) // 255
    return shown.astype(np.uint8)


def _upright(img: Image.Image) -> Image.Image:
    """Apply EXIF orientation. Broken EXIF is ignored rather than refused: otherwise mangling a
    metadata tag would be enough to keep a picture from being hashed."""
    try:
        return ImageOps.exif_transpose(img)
    except Exception:
        return img


def to_luma(img: Image.Image) -> Image.Image:
    """Any Pillow mode -> L, the luma (0.299 R + 0.587 G + 0.114 B) that PDQ hashes."""
    if img.mode == "L":
        return img
    if img.mode in _SIXTEEN_BIT_MODES or img.mode in ("I", "F"):
        return Image.fromarray(_grey_to_uint8(np.asarray(img), img.mode), "L")
    return to_rgb(img).convert("L")


def to_rgb(img: Image.Image) -> Image.Image:
    """Any Pillow mode -> RGB. Alpha is dropped (as the reference hashers do), so hashes agree
    with banks built by threatexchange/HMA; 16-bit and float greys are scaled into 0-255."""
    mode = img.mode
    if mode == "RGB":
        return img
    if mode in _SIXTEEN_BIT_MODES or mode in ("I", "F"):
        return Image.fromarray(_grey_to_uint8(np.asarray(img), mode), "L").convert("RGB")
    if mode == "La":  # premultiplied alpha: Pillow converts it only to LA
        img, mode = img.convert("LA"), "LA"
    if mode in _ALPHA_MODES or (mode == "P" and "transparency" in img.info):
        img = img.convert("RGBA")
        return img.convert("RGB")
    if mode == "LAB":
        from PIL import ImageCms

        return ImageCms.applyTransform(
            img, ImageCms.buildTransform(ImageCms.createProfile("LAB"), ImageCms.createProfile("sRGB"), "LAB", "RGB")
        )
    return img.convert("RGB")


class _ArrowSchema(ctypes.Structure):
    pass


_ArrowSchema._fields_ = [("format", ctypes.c_char_p), ("name", ctypes.c_char_p), ("metadata", ctypes.c_void_p),
                         ("flags", ctypes.c_int64), ("n_children", ctypes.c_int64),
                         ("children", ctypes.POINTER(ctypes.POINTER(_ArrowSchema))), ("dictionary", ctypes.c_void_p),
                         ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p)]


class _ArrowArray(ctypes.Structure):
    pass


_ArrowArray._fields_ = [("length", ctypes.c_int64), ("null_count", ctypes.c_int64), ("offset", ctypes.c_int64),
                        ("n_buffers", ctypes.c_int64), ("n_children", ctypes.c_int64),
                        ("buffers", ctypes.POINTER(ctypes.c_void_p)),
                        ("children", ctypes.POINTER(ctypes.POINTER(_ArrowArray))), ("dictionary", ctypes.c_void_p),
                        ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p)]

try:  # CPython's C API through ctypes; elsewhere the copy
    _capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    _capsule_pointer.restype = ctypes.c_void_p
    _capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
except AttributeError:
    _capsule_pointer = None


def rgb_array(img: Image.Image) -> np.ndarray:
    """An RGB image's pixels as a read-only (h, w, 3) uint8 array.

    Pillow keeps an RGB image as four bytes a pixel and ``np.asarray`` packs them into a new buffer
    of three (140 us for a 512 x 512 photo, as long as its whole PDQ hash takes). Where Pillow
    exports the image through the Arrow C data interface (Pillow 11.2 on; an image in one memory
    block, up to 16 MB), this is a view of Pillow's own memory instead (a few microseconds), with a
    stride of four bytes a pixel; the export's capsule, which holds that memory, lives as long as
    the array. Anything unexpected in the export falls back to the copy."""
    if img.mode != "RGB":
        raise ValueError(f"expected an RGB image, not {img.mode}")
    view = _arrow_rgbx(img)
    if view is None:
        return np.asarray(img, dtype=np.uint8)
    return view[:, :, :3]


def rgb_sampled(img: Image.Image, step: int, size: tuple[int, int], origin: tuple[int, int] = (0, 0)) -> np.ndarray | None:
    """Every ``step``-th pixel each way of an RGB image, ``size`` (w, h) of them from ``origin`` (x,
    y) on, as a read-only (h, w, 3) uint8 array in Pillow's four-byte layout: the pixels Pillow's
    nearest-neighbour resize to ``size`` over the box (x, y, x + w * step, y + h * step) takes (pixel
    i of a row is the original's ``x + step // 2 + i * step``), copied four bytes at a time from the
    image's memory (`rgb_array`'s view), in 0.6 of the resize's time (0.4 of it where the resize's
    own result is then packed into an array). None where the image is not RGB or is not exported."""
    view = _arrow_rgbx(img) if img.mode == "RGB" else None
    if view is None:
        return None
    w, h = size
    x, y = origin
    if not (0 < w and 0 <= x and x + w * step <= img.width and 0 < h and 0 <= y and y + h * step <= img.height):
        raise ValueError(f"{w} x {h} pixels every {step} from {origin} do not fit a {img.width} x {img.height} image")
    words = view.view(np.uint32).reshape(img.height, img.width)  # one pixel, one word
    x, y = x + step // 2, y + step // 2
    out = np.ascontiguousarray(words[y : y + h * step : step, x : x + w * step : step])
    out = out.view(np.uint8).reshape(h, w, 4)[:, :, :3]
    out.flags.writeable = False
    return out


def image_of_rgb(pixels: np.ndarray) -> Image.Image:
    """``Image.fromarray(pixels)`` of (h, w, 3) uint8 RGB pixels. Where they are Pillow's four-byte
    layout, cut from a whole (h, w, 4) array that numpy holds (`rgb_sampled`'s), Pillow decodes that
    memory as raw RGBX: ``fromarray`` would first have numpy copy the three bytes a pixel out one by
    one (reducing a 500 x 350 picture by 2 took five times as long)."""
    h, w = pixels.shape[:2]
    owner = pixels.base
    if (pixels.ndim == 3 and pixels.shape[2] == 3 and pixels.dtype == np.uint8 and h > 0 and w > 0
            and pixels.strides == (4 * w, 4, 1) and isinstance(owner, np.ndarray) and owner.flags.c_contiguous):
        start = pixels.__array_interface__["data"][0] - owner.__array_interface__["data"][0]
        if 0 <= start and start + 4 * h * w <= owner.nbytes:
            rgbx = owner.reshape(-1).view(np.uint8)[start : start + 4 * h * w]
            return Image.frombytes("RGB", (w, h), rgbx, "raw", "RGBX")
    return Image.fromarray(pixels, "RGB")


def _arrow_rgbx(img: Image.Image) -> np.ndarray | None:
    """(h, w, 4) read-only view of an RGB image's memory through its Arrow export, or None (no export
    in this Pillow, or not one that is plainly four bytes a pixel)."""
    if _capsule_pointer is None or not hasattr(img, "__arrow_c_array__"):
        return None
    try:
        schema_capsule, array_capsule = img.__arrow_c_array__()
        schema = _ArrowSchema.from_address(_capsule_pointer(schema_capsule, b"arrow_schema"))
        array = _ArrowArray.from_address(_capsule_pointer(array_capsule, b"arrow_array"))
    except (ValueError, TypeError, AttributeError, OSError):  # e.g. an image in several blocks
        return None
    pixels = img.width * img.height
    # a fixed-size list of four uint8 a pixel, whole (no offset, no nulls), one child with the bytes
    if (schema.format != b"+w:4" or schema.n_children != 1 or schema.children[0].contents.format != b"C"
            or array.length != pixels or array.offset != 0 or array.null_count not in (0, -1)
            or array.n_children != 1):
        return None
    child = array.children[0].contents
    if child.length != 4 * pixels or child.offset != 0 or child.n_buffers != 2 or not child.buffers[1]:
        return None
    raw = (ctypes.c_uint8 * (4 * pixels)).from_address(child.buffers[1])
    raw._owner = array_capsule  # the capsule's destructor releases the export: not before the array goes
    out = np.frombuffer(raw, dtype=np.uint8).reshape(img.height, img.width, 4)
    out.flags.writeable = False
    return out


def _grey_to_uint8(values: np.ndarray, mode: str) -> np.ndarray:
    arr = values.astype(np.float64, copy=False)
    finite = arr[np.isfinite(arr)]
    if finite.size == 0:
        return np.zeros(arr.shape, dtype=np.uint8)
    arr = np.nan_to_num(arr, nan=0.0, posinf=float(finite.max()), neginf=float(finite.min()))
    lo, hi = float(finite.min()), float(finite.max())
    if mode == "F" and lo >= 0 and hi <= 1.0:
        arr = arr * 255.0
    elif lo >= 0 and hi <= 255:
        pass
    elif lo >= 0 and hi <= 65535:
        arr = arr / 257.0
    else:
        arr = (arr - lo) * (255.0 / (hi - lo))
    return np.clip(np.rint(arr), 0, 255).astype(np.uint8)


def reduce_to(img: Image.Image, max_side: int) -> Image.Image:
    """Box-filter an image down so its longer side is at most ``max_side`` (no-op if smaller)."""
    w, h = img.size
    if max(w, h) <= max_side:
        return img
    scale = max_side / max(w, h)
    return img.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.BOX)


def luma_pixels(img: Image.Image, rgb: np.ndarray | None = None) -> np.ndarray:
    """The (rows, cols) uint8 luma PDQ hashes, at most :data:`HASH_MAX_SIDE` on the longer side.

    ``rgb``, when given, is the image as an (h, w, 3) uint8 array at full size (`to_rgb`'s pixels):
    an image no longer than ``HASH_MAX_SIDE`` then takes its luma from it (Pillow's formula, to the
    value) rather than converting the image a second time; not from a see-through image's, whose
    copy shows it over black (`over_black`) where its hash drops the alpha."""
    if img.width <= 0 or img.height <= 0:
        raise InvalidInput(f"image has no pixels ({img.width}x{img.height})", code="corrupt_image")
    if (rgb is not None and max(img.size) <= HASH_MAX_SIDE and rgb.shape[:2] == (img.height, img.width)
            and not see_through(img)):
        grey = pdq.grey_of_rgb(rgb)
        if grey is not None:
            return grey
    return np.asarray(reduce_to(to_luma(img), HASH_MAX_SIDE))


def pdq_hash_image(img: Image.Image) -> PDQHash:
    """PDQ hash and quality of a decoded image (any mode)."""
    return pdq_hash_pixels(luma_pixels(img))


def pdq_dihedral(img: Image.Image) -> list[TransformHash]:
    """The PDQ hashes of all eight rotations and flips of ``img`` from one pass,
    in :data:`TRANSFORMS` order."""
    return pdq_dihedral_pixels(luma_pixels(img))


def pdq_hash_pixels(pixels: np.ndarray) -> PDQHash:
    """PDQ of (h, w) luma or (h, w, 3) RGB uint8 pixels, hashed at the size given."""
    bits, quality = pdq.pdq_bits(pixels)
    return PDQHash(bits_to_hex(bits), int(quality))


def pdq_dihedral_pixels(pixels: np.ndarray) -> list[TransformHash]:
    """`pdq_dihedral` of (h, w) luma or (h, w, 3) RGB uint8 pixels, hashed at the size given."""
    return _transform_hashes(*pdq.pdq_dihedral_bytes(pixels))


def pdq_hash_then_dihedral(pixels: np.ndarray) -> tuple[PDQHash, Callable[[], list[str]]]:
    """`pdq_hash_pixels`, and a function that gives the hex of all eight dihedral variants of the
    same pixels in TRANSFORMS order (`dihedral_hexes`), finishing the work the first answer began
    (`pdq.pdq_bytes_then_dihedral`)."""
    first, quality, rest = pdq.pdq_bytes_then_dihedral(pixels)
    return PDQHash(first.tobytes().hex(), int(quality)), lambda: dihedral_hexes(rest())


def dihedral_hexes(hashes: np.ndarray) -> list[str]:
    """The hex of (8, 32) uint8 hash rows in `pdq.DIHEDRAL` order, in TRANSFORMS order."""
    hexes = array_to_hex(hashes)
    return [hexes[row] for row in _DIHEDRAL_ROWS]


def _transform_hashes(hashes: np.ndarray, quality: int) -> list[TransformHash]:
    """From (8, 32) uint8 hash rows in `pdq.DIHEDRAL` order."""
    return [TransformHash(t, h, int(quality)) for t, h in zip(TRANSFORMS, dihedral_hexes(hashes))]


def pdq_hash_file(source: ImageSource, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> PDQHash:
    """Load and hash in one step, decoding no more pixels than PDQ needs."""
    return pdq_hash_image(load_for_hashing(source, max_pixels=max_pixels))


def apply_transform(img: Image.Image, transform: str) -> Image.Image:
    """Apply a named dihedral transform (one of :data:`TRANSFORMS`) with Pillow."""
    if transform not in TRANSFORM_OPS:
        raise InvalidInput(f"unknown transform {transform!r}; expected one of {', '.join(TRANSFORMS)}")
    op = TRANSFORM_OPS[transform]
    return img if op is None else img.transpose(op)


# Truncated files must fail, never be half-hashed.
ImageFile.LOAD_TRUNCATED_IMAGES = False
