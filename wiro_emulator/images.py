"""Output files the emulator produces: a real inpainting, or a deterministic placeholder."""

from __future__ import annotations

import hashlib

import cv2
import numpy as np


def inpaint_png(image_bytes: bytes, mask_bytes: bytes) -> bytes:
    """Fill the white area of the mask in the image (Telea's method); returns PNG bytes."""
    image = cv2.imdecode(np.frombuffer(image_bytes, np.uint8), cv2.IMREAD_COLOR)
    mask = cv2.imdecode(np.frombuffer(mask_bytes, np.uint8), cv2.IMREAD_GRAYSCALE)
    if image is None or mask is None:
        raise ValueError("the input image or mask is not a readable image")
    if mask.shape[:2] != image.shape[:2]:
        mask = cv2.resize(mask, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_NEAREST)
    _, binary = cv2.threshold(mask, 127, 255, cv2.THRESH_BINARY)
    binary = cv2.dilate(binary, np.ones((5, 5), np.uint8))
    filled = cv2.inpaint(image, binary, 5, cv2.INPAINT_TELEA)
    return _png(filled)


def placeholder_png(seed: str, width: int = 256, height: int = 256) -> bytes:
    """A deterministic gradient image derived from `seed`."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    start = np.array(list(digest[:3]), dtype=np.float32)
    end = np.array(list(digest[3:6]), dtype=np.float32)
    ramp = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :, None]
    row = start + (end - start) * ramp
    image = np.repeat(row, height, axis=0).astype(np.uint8)
    return _png(image)


def sample_photo_and_mask(size: int = 384) -> tuple[bytes, bytes]:
    """A synthetic photo (sky, sun, hills, a pole across it) and a mask over the pole."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float32)
    sky = np.stack([235 - y * 0.25, 200 - y * 0.2, 140 - y * 0.1], axis=-1)
    image = np.clip(sky, 0, 255).astype(np.uint8)
    cv2.circle(image, (size * 3 // 4, size // 4), size // 10, (80, 220, 255), -1)
    hills = (size * 0.65 + 25 * np.sin(x / size * 6.0)) < y
    image[hills] = np.stack(
        [60 + 0.1 * y[hills], 140 - 0.1 * y[hills], 70 + 0.05 * x[hills]], axis=-1
    ).astype(np.uint8)
    cv2.line(image, (size // 3, 0), (size // 3 + 30, size), (40, 40, 40), 12)
    mask = np.zeros((size, size), np.uint8)
    cv2.line(mask, (size // 3, 0), (size // 3 + 30, size), 255, 22)
    return _png(image), _png(mask)


def _png(image: np.ndarray) -> bytes:
    ok, encoded = cv2.imencode(".png", image)
    if not ok:
        raise ValueError("PNG encoding failed")
    return bytes(encoded.tobytes())
