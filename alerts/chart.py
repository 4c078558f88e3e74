"""A small PNG bar chart (volume per day, negative part in red) written with the standard library.

Many mail clients strip inline SVG (Gmail, Outlook), so the digest embeds a PNG by Content-ID;
seven stacked bars do not justify matplotlib (tens of MB) when zlib and a few rectangles suffice.
Each bar carries its value above it and its day label under it, drawn in the same image with a
3×5 pixel font (digits and "/"), so labels can never drift out of line with their bars.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

BACKGROUND = (255, 255, 255)
AXIS = (200, 204, 210)
VOLUME = (143, 170, 201)
NEGATIVE = (214, 69, 65)
TEXT = (55, 65, 81)
# 3×5 glyphs, one string per row, "#" = ink.
GLYPHS = {
    "0": ("###", "#.#", "#.#", "#.#", "###"), "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"), "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"), "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"), "7": ("###", "..#", ".#.", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"), "9": ("###", "#.#", "###", "..#", "###"),
    "/": ("..#", "..#", ".#.", "#..", "#.."), " ": ("...", "...", "...", "...", "..."),
}  # fmt: skip
SCALE = 2  # glyph pixels are 2×2
GLYPH_W, GLYPH_H = 4 * SCALE, 5 * SCALE  # advance (3 + 1 spacing) and height


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


def text_width(text: str) -> int:
    return len(text) * GLYPH_W - SCALE


def bars_png(
    days: Sequence[tuple[int, int]],
    labels: Sequence[str] = (),
    *,
    width: int = 420,
    height: int = 150,
) -> bytes:
    """One bar per ``(total, negative)`` pair, its negative part at the bottom in red, its total
    written above it and ``labels[i]`` (e.g. "20/11") centred under it."""
    pixels = [[BACKGROUND] * width for _ in range(height)]
    label_band = GLYPH_H + 6 if labels else 0
    margin, base = 6, height - 6 - label_band
    value_band = GLYPH_H + 4
    top = max((total for total, _ in days), default=0) or 1
    slot = (width - 2 * margin) / max(len(days), 1)
    bar = max(2, int(slot * 0.6))

    def fill(x0: int, y0: int, x1: int, y1: int, color: tuple[int, int, int]) -> None:
        for y in range(max(0, y0), min(height, y1)):
            row = pixels[y]
            for x in range(max(0, x0), min(width, x1)):
                row[x] = color

    def write(text: str, centre: float, y0: int) -> None:
        x = int(centre - text_width(text) / 2)
        for char in text:
            for row, line in enumerate(GLYPHS.get(char, GLYPHS[" "])):
                for col, ink in enumerate(line):
                    if ink == "#":
                        fill(
                            x + col * SCALE,
                            y0 + row * SCALE,
                            x + (col + 1) * SCALE,
                            y0 + (row + 1) * SCALE,
                            TEXT,
                        )
            x += GLYPH_W

    usable = base - margin - value_band
    for i, (total, negative) in enumerate(days):
        centre = margin + i * slot + slot / 2
        x0 = int(centre - bar / 2)
        full = int(usable * total / top)
        neg = int(usable * min(negative, total) / top)
        fill(x0, base - full, x0 + bar, base - neg, VOLUME)
        fill(x0, base - neg, x0 + bar, base, NEGATIVE)
        write(str(total), centre, base - full - GLYPH_H - 3)
        if i < len(labels):
            write(labels[i], centre, base + 5)
    fill(margin, base, width - margin, base + 1, AXIS)
    return encode_png(pixels)
