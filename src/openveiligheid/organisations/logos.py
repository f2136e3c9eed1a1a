"""An organisation's logo: checked and redrawn before it is stored, read back for its documents.

Only PNG and JPEG are accepted, recognised by their first bytes (never by the name or the type
the browser sends). SVG is refused: it may carry scripts and links, and printing it safely would
need a sanitiser of its own. Every accepted image is decoded by Pillow within a pixel limit and
written anew as a PNG no larger than the masthead needs, so that what is stored holds pixels
only (no metadata such as GPS positions, no appended data) and is small enough to be copied into
every published report's snapshot (reports.selectors).
"""

from __future__ import annotations

import base64
import hashlib
import warnings
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
# The redrawn logo fits this box (pixels): twice the size at which the masthead prints it.
STORED_MAX_WIDTH, STORED_MAX_HEIGHT = 800, 240
# What Pillow may decode: a small file can describe an enormous image (a decompression bomb).
MAX_SOURCE_PIXELS = 25_000_000


def _sniffed_format(head: bytes) -> str | None:
    if head.startswith(PNG_SIGNATURE):
        return "PNG"
    if head.startswith(JPEG_SIGNATURE):
        return "JPEG"
    return None


def _refusal(message: str) -> ValidationError:
    return ValidationError({"logo": message})


def normalised_logo(upload) -> bytes:
    """The PNG to store for an uploaded logo, or a ValidationError in Dutch on field "logo"."""
    from PIL import Image, UnidentifiedImageError

    max_bytes = settings.OPENVEILIGHEID_LOGO_MAX_BYTES
    if upload.size > max_bytes:
        raise _refusal(
            _("Het logo is %(size)s groot; het mag hoogstens %(max)s zijn.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)}
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _refusal(
            _("Het logo mag hoogstens %(max)s zijn.") % {"max": filesizeformat(max_bytes)}
        )
    expected = _sniffed_format(data[:8])
    if expected is None:
        raise _refusal(
            _(
                "Dit bestand is geen PNG- of JPEG-afbeelding. Lever het logo aan als PNG of JPEG; "
                "SVG en andere soorten worden niet aangenomen."
            )
        )
    unreadable = _refusal(
        _("Dit %(format)s-bestand is beschadigd of onvolledig; het kan niet worden gelezen.")
        % {"format": expected}
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=[expected])
            width, height = image.size
            if width * height > MAX_SOURCE_PIXELS or not width or not height:
                raise _refusal(
                    _(
                        "Het logo is %(width)s × %(height)s pixels; het mag hoogstens "
                        "%(max)s miljoen pixels hebben."
                    )
                    % {
                        "width": width,
                        "height": height,
                        "max": MAX_SOURCE_PIXELS // 1_000_000,
                    }
                )
            image.load()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise unreadable from error
    image = image.convert("RGBA")
    image.thumbnail((STORED_MAX_WIDTH, STORED_MAX_HEIGHT), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def logo_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def logo_record(data: bytes) -> dict:
    """The logo as a document carries it (and a snapshot keeps it): the PNG as base64 with its
    hash and size in pixels."""
    from PIL import Image

    width, height = Image.open(BytesIO(data)).size
    return {
        "content_type": "image/png",
        "sha256": logo_sha256(data),
        "width": width,
        "height": height,
        "data": base64.b64encode(data).decode("ascii"),
    }
