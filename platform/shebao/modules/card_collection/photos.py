"""Checking and normalising an uploaded ID photo with Pillow.

What is accepted (the city's ``photo`` options give width W, height H and max_bytes):

* a non-empty file of at most ``max_bytes`` bytes;
* whose content is a JPEG or PNG (by its bytes, whatever the file is called);
* of at most ``MAX_PIXELS`` pixels (read from the header before anything is decoded, so a
  decompression bomb is refused cheaply; Pillow's own bomb check is also turned into an error);
* that decodes completely (a truncated file is refused);
* whose size, after the EXIF orientation is applied, is W × H exactly, or at least W × H with
  the same proportions within ``RATIO_TOLERANCE`` (2 %): such a photo is scaled down to W × H.

The result is always a baseline JPEG of exactly W × H, RGB, with no EXIF, ICC profile or
comments: nothing of the original file's metadata survives.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

#: Largest image (in pixels) that is decoded at all: 12 megapixels, a phone camera's photo.
MAX_PIXELS = 12_000_000
#: How far the proportions may differ from the city's spec: 2 % of width/height.
RATIO_TOLERANCE = 0.02
JPEG_QUALITY = 90


class PhotoRefused(ValueError):
    """The upload is not an acceptable photo; ``message`` says why, for the resident."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Photo:
    data: bytes
    width: int
    height: int


def read_upload(stream, max_bytes: int) -> bytes:
    """At most ``max_bytes`` of the upload; refused when empty or larger."""
    data = stream.read(max_bytes + 1) if stream is not None else b""
    if not data:
        raise PhotoRefused(_("The file is empty. Choose a photo or take one with the camera."))
    if len(data) > max_bytes:
        raise PhotoRefused(
            _(
                "The file is larger than %(limit)s KB. Choose a smaller photo.",
                limit=f"{max_bytes // 1000:,}",
            )
        )
    return data


def normalise(data: bytes, width: int, height: int) -> Photo:
    """The photo as a metadata-free JPEG of ``width`` × ``height``; PhotoRefused otherwise."""
    not_an_image = _("The file is not a JPEG or PNG photo.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as probe:
                _check_pixels(probe.size)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                image = _to_rgb(image)
        except PhotoRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoRefused(_too_many_pixels()) from None
        except UnidentifiedImageError:
            raise PhotoRefused(not_an_image) from None
        except (OSError, SyntaxError, ValueError, EOFError, struct.error):
            raise PhotoRefused(
                _("The photo file is damaged or incomplete. Upload it again.")
            ) from None
    _check_size(image.size, width, height)
    if image.size != (width, height):
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    # Only the pixels go on: a fresh image carries no info (EXIF, ICC, comments) to re-save.
    image = Image.frombytes("RGB", image.size, image.tobytes())
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return Photo(out.getvalue(), width, height)


def _too_many_pixels() -> str:
    return _("The photo has far too many pixels. Upload the ID photo in its required size.")


def _check_pixels(size: tuple[int, int]) -> None:
    w, h = size
    if w <= 0 or h <= 0 or w * h > MAX_PIXELS:
        raise PhotoRefused(_too_many_pixels())


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def size_matches(size: tuple[int, int], width: int, height: int) -> bool:
    w, h = size
    if (w, h) == (width, height):
        return True
    if w < width or h < height:
        return False
    wanted = width / height
    return abs(w / h - wanted) <= RATIO_TOLERANCE * wanted


def _check_size(size: tuple[int, int], width: int, height: int) -> None:
    if not size_matches(size, width, height):
        raise PhotoRefused(
            _(
                "The photo is %(w)s × %(h)s pixels. It must be %(width)s × %(height)s pixels "
                "(or larger with the same proportions).",
                w=size[0],
                h=size[1],
                width=width,
                height=height,
            )
        )
