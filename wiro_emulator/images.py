"""Output files the emulator produces: a real inpainting, or a deterministic placeholder."""

from __future__ import annotations

import hashlib
import io
import tempfile
import wave

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
    return _png(_gradient(seed, width, height))


def _gradient(seed: str, width: int, height: int) -> np.ndarray:
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    start = np.array(list(digest[:3]), dtype=np.float32)
    end = np.array(list(digest[3:6]), dtype=np.float32)
    ramp = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :, None]
    row = start + (end - start) * ramp
    return np.repeat(row, height, axis=0).astype(np.uint8)


def output_kind(labels: tuple[str, ...]) -> str:
    """What a tool makes, judged from its categories and tags: image, video, audio or text."""
    text = " ".join(labels).lower()
    if "video" in text:
        return "video"
    if any(word in text for word in ("speech", "audio", "music", "tts", "voice")):
        return "audio"
    if any(word in text for word in ("llm", "chat", "text-generation")):
        return "text"
    return "image"


def placeholder(kind: str, seed: str) -> tuple[bytes, str, str]:
    """Deterministic (content, suffix, content type) of the right kind."""
    if kind == "video":
        return placeholder_mp4(seed), "mp4", "video/mp4"
    if kind == "audio":
        return placeholder_wav(seed), "wav", "audio/wav"
    return placeholder_png(seed), "png", "image/png"


def placeholder_wav(seed: str, seconds: float = 0.5, rate: int = 16000) -> bytes:
    """A short sine tone whose pitch comes from `seed`."""
    pitch = 220 + hashlib.sha256(seed.encode("utf-8")).digest()[0] * 2
    samples = np.sin(2 * np.pi * pitch * np.arange(int(seconds * rate)) / rate)
    pcm = (samples * 12000).astype("<i2").tobytes()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(pcm)
    return buffer.getvalue()


def placeholder_mp4(seed: str, frames: int = 8) -> bytes:
    """A tiny MP4 of gradient frames derived from `seed`."""
    image = _gradient(seed, 64, 64)
    with tempfile.TemporaryDirectory() as directory:
        path = f"{directory}/out.mp4"
        writer = cv2.VideoWriter(path, cv2.VideoWriter.fourcc(*"mp4v"), 8, (64, 64))
        for index in range(frames):
            writer.write(np.roll(image, index * 8, axis=1))
        writer.release()
        with open(path, "rb") as file:
            return file.read()


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
