"""A small PNG bar chart (volume per day, negative part in red) written with the standard library.

Many mail clients strip inline SVG (Gmail, Outlook), so the digest embeds a PNG by Content-ID;
seven stacked bars do not justify matplotlib (tens of MB) when zlib and a few rectangles suffice.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

BACKGROUND = (255, 255, 255)
AXIS = (200, 204, 210)
VOLUME = (143, 170, 201)
NEGATIVE = (214, 69, 65)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def encode_png(pixels: list[list[tuple[int, int, int]]]) -> bytes:
    """RGB rows -> PNG bytes (8-bit, no interlace, filter 0 on every row)."""
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def bars_png(days: Sequence[tuple[int, int]], *, width: int = 420, height: int = 120) -> bytes:
    """One bar per ``(total, negative)`` pair, its negative part at the bottom in red."""
    pixels = [[BACKGROUND] * width for _ in range(height)]
    margin, base = 6, height - 6
    top = max((total for total, _ in days), default=0) or 1
    slot = (width - 2 * margin) / max(len(days), 1)
    bar = max(2, int(slot * 0.6))

    def fill(x0: int, y0: int, x1: int, y1: int, color: tuple[int, int, int]) -> None:
        for y in range(max(0, y0), min(height, y1)):
            row = pixels[y]
            for x in range(max(0, x0), min(width, x1)):
                row[x] = color

    for i, (total, negative) in enumerate(days):
        x0 = int(margin + i * slot + (slot - bar) / 2)
        full = int((base - margin) * total / top)
        neg = int((base - margin) * min(negative, total) / top)
        fill(x0, base - full, x0 + bar, base - neg, VOLUME)
        fill(x0, base - neg, x0 + bar, base, NEGATIVE)
    fill(margin, base, width - margin, base + 1, AXIS)
    return encode_png(pixels)
