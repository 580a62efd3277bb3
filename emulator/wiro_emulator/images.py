"""Output files the emulator produces: a real inpainting, or a deterministic placeholder.

Placeholders are written with the standard library alone. The real inpainting needs OpenCV and
NumPy, which only the `wiro-emulator[inpaint]` extra installs; without them the inpainting tool
gets a placeholder too, and the emulator says once how to get the real one.
"""

from __future__ import annotations

import array
import hashlib
import io
import math
import struct
import sys
import wave
import zlib
from importlib.resources import files

INPAINT_EXTRA_HINT = (
    "wiro-emulator: the inpainting output is a placeholder image; "
    "pip install 'wiro-emulator[inpaint]' for real inpainting (OpenCV)"
)
_hinted = False


def _sample(name: str) -> bytes:
    return files("wiro_emulator").joinpath("samples", name).read_bytes()


def sample_photo_and_mask() -> tuple[bytes, bytes]:
    """A synthetic photo (sky, sun, hills, a pole across it) and a mask over the pole, as PNG."""
    return _sample("photo.png"), _sample("mask.png")


#: The sample inputs the emulator serves at /samples/<name>.
SAMPLES = dict(zip(("photo.png", "mask.png"), sample_photo_and_mask(), strict=True))


def inpaint_available() -> bool:
    try:
        import cv2  # noqa: F401
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


def inpaint_or_placeholder(image_bytes: bytes, mask_bytes: bytes, seed: str) -> bytes:
    """The inpainted image with OpenCV, else a placeholder PNG (and a one-time hint on stderr)."""
    global _hinted
    if inpaint_available():
        return inpaint_png(image_bytes, mask_bytes)
    if not _hinted:
        _hinted = True
        print(INPAINT_EXTRA_HINT, file=sys.stderr, flush=True)
    return placeholder_png(seed)


def inpaint_png(image_bytes: bytes, mask_bytes: bytes) -> bytes:
    """Fill the white area of the mask in the image (Telea's method); returns PNG bytes."""
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(image_bytes, np.uint8), cv2.IMREAD_COLOR)
    mask = cv2.imdecode(np.frombuffer(mask_bytes, np.uint8), cv2.IMREAD_GRAYSCALE)
    if image is None or mask is None:
        raise ValueError("the input image or mask is not a readable image")
    if mask.shape[:2] != image.shape[:2]:
        mask = cv2.resize(mask, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_NEAREST)
    _, binary = cv2.threshold(mask, 127, 255, cv2.THRESH_BINARY)
    binary = cv2.dilate(binary, np.ones((5, 5), np.uint8))
    filled = cv2.inpaint(image, binary, 5, cv2.INPAINT_TELEA)
    ok, encoded = cv2.imencode(".png", filled)
    if not ok:
        raise ValueError("PNG encoding failed")
    return bytes(encoded.tobytes())


def placeholder_png(seed: str, width: int = 256, height: int = 256) -> bytes:
    """A deterministic horizontal gradient whose colours come from `seed`."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    start, end = digest[:3], digest[3:6]
    row = bytearray()
    for x in range(width):
        t = x / max(1, width - 1)
        row += bytes(int(a + (b - a) * t) for a, b in zip(start, end, strict=True))
    raw = b"".join(b"\x00" + bytes(row) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def placeholder_wav(seed: str, seconds: float = 0.5, rate: int = 16000) -> bytes:
    """A short sine tone whose pitch comes from `seed`."""
    pitch = 220 + hashlib.sha256(seed.encode("utf-8")).digest()[0] * 2
    samples = array.array(
        "h",
        (int(12000 * math.sin(2 * math.pi * pitch * n / rate)) for n in range(int(seconds * rate))),
    )
    if sys.byteorder != "little":
        samples.byteswap()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(samples.tobytes())
    return buffer.getvalue()


def placeholder(kind: str, seed: str) -> tuple[bytes, str, str]:
    """Deterministic (content, suffix, content type) of the right kind."""
    if kind == "video":
        return _sample("placeholder.mp4"), "mp4", "video/mp4"
    if kind == "audio":
        return placeholder_wav(seed), "wav", "audio/wav"
    return placeholder_png(seed), "png", "image/png"
