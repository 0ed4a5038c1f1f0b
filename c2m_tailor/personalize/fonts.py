"""Fonts for lettering: outline fonts (TTF/OTF/TTC through fontTools) and single-stroke Hershey fonts.

Why two kinds: embroidery fills or satins the area of an outline glyph, while a pen plotter marking
the cloth needs a centre line it can draw once (Hershey). A font is looked up by name; a name that is
not found raises BadInput listing what is available, and a character a font lacks raises BadInput
naming the character and the font (never a silent box or a .notdef glyph).

Fonts we rely on:
- DejaVu Sans Bold / DejaVu Serif Bold, shipped in c2m_tailor/data/fonts (Bitstream Vera licence,
  DejaVu changes public domain; LICENSE-DejaVu.txt beside them).
- CJK: Noto Sans CJK SC (Debian fonts-noto-cjk) or WenQuanYi Micro Hei (Debian fonts-wqy-microhei),
  found in the system font folders; from a .ttc collection we take the simplified-Chinese face.
- Hershey fonts from the `Hershey-Fonts` PyPI package (futural, rowmans, timesr, scripts, ...).
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from c2m_tailor.errors import BadInput

FONT_DIR = Path(__file__).resolve().parent.parent / "data" / "fonts"
SHIPPED_FONTS = {
    "DejaVu Sans Bold": "DejaVuSans-Bold.ttf",
    "DejaVu Serif Bold": "DejaVuSerif-Bold.ttf",
}
DEFAULT_OUTLINE_FONT = "DejaVu Sans Bold"
DEFAULT_STROKE_FONT = "futural"
# Simplified-Chinese faces first: the names we order in China are written in simplified characters.
CJK_PREFERENCE = (
    "Noto Sans CJK SC Bold", "Noto Sans CJK SC", "Source Han Sans SC Bold", "Source Han Sans SC",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback",
)
SYSTEM_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
CJK_DEBIAN_PACKAGES = "fonts-noto-cjk or fonts-wqy-microhei"


def _key(name: str) -> str:
    """Loose match key: case, spaces, hyphens and underscores do not matter."""
    return re.sub(r"[\s_\-]+", "", name).lower()


def is_cjk(char: str) -> bool:
    """Ideographs, kana and hangul: text sized by the ideograph, set from a CJK font."""
    code = ord(char)
    return (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x3FFFF or 0xFF00 <= code <= 0xFFEF)


def is_blank(char: str) -> bool:
    return unicodedata.category(char) in ("Zs",) or char in "\t"


@dataclass(frozen=True)
class OutlineGlyph:
    """Closed contours of one glyph in font units (y up), plus its advance width."""

    contours: tuple[np.ndarray, ...]
    advance: float


class OutlineFont:
    """One face of a TTF/OTF/TTC file; glyph contours flattened to polylines."""

    kind = "outline"

    def __init__(self, name: str, path: Path, face_index: int = 0):
        from fontTools.ttLib import TTFont

        self.name = name
        self.path = Path(path)
        self.face_index = face_index
        try:
            self._font = TTFont(str(path), fontNumber=face_index, lazy=True)
            self._cmap = self._font.getBestCmap() or {}
            self._glyphs = self._font.getGlyphSet()
        except Exception as exc:  # fontTools raises many kinds on a damaged file
            raise BadInput(f"font file {path} cannot be read: {exc}") from None
        self.units_per_em = float(self._font["head"].unitsPerEm)
        self._cache: dict[str, OutlineGlyph] = {}

    def __repr__(self) -> str:
        return f"OutlineFont({self.name!r}, {self.path.name}#{self.face_index})"

    def has_char(self, char: str) -> bool:
        return ord(char) in self._cmap

    def glyph(self, char: str) -> OutlineGlyph:
        if char not in self._cache:
            glyph_name = self._cmap.get(ord(char))
            if glyph_name is None:
                raise BadInput(f"font {self.name} has no glyph for {char!r} (U+{ord(char):04X})")
            glyph = self._glyphs[glyph_name]
            pen = _FlattenPen(self._glyphs, tolerance=self.units_per_em / 2000.0)
            glyph.draw(pen)
            self._cache[char] = OutlineGlyph(tuple(pen.contours), float(glyph.width))
        return self._cache[char]

    def ink_height(self, char: str) -> tuple[float, float]:
        """(ymin, ymax) of a glyph's ink in font units."""
        contours = self.glyph(char).contours
        if not contours:
            return 0.0, 0.0
        ys = np.concatenate([c[:, 1] for c in contours])
        return float(ys.min()), float(ys.max())

    def kerning(self, left: str, right: str) -> float:
        """Pair kerning from the legacy 'kern' table (font units); 0 when the font has none."""
        if "kern" not in self._font:
            return 0.0
        left_name, right_name = self._cmap.get(ord(left)), self._cmap.get(ord(right))
        for table in getattr(self._font["kern"], "kernTables", []):
            value = getattr(table, "kernTable", {}).get((left_name, right_name))
            if value:
                return float(value)
        return 0.0


class StrokeFont:
    """A Hershey single-stroke font: each glyph is a few centre-line polylines (y down in the data)."""

    kind = "stroke"

    def __init__(self, name: str):
        from HersheyFonts import HersheyFonts

        self.name = name
        self._font = HersheyFonts()
        self._font.load_default_font(name)
        self._glyphs = self._font.all_glyphs
        options = self._font.render_options
        self.cap_line = float(options["cap_line"])
        self.base_line = float(options["base_line"])

    def __repr__(self) -> str:
        return f"StrokeFont({self.name!r})"

    @property
    def cap_height(self) -> float:
        return self.base_line - self.cap_line

    def has_char(self, char: str) -> bool:
        glyph = self._glyphs.get(char)
        return glyph is not None and (bool(glyph.strokes) or is_blank(char))

    def glyph(self, char: str) -> tuple[list[np.ndarray], float]:
        """Strokes in font units with y up and the baseline at 0 (x from the glyph's left side)."""
        glyph = self._glyphs.get(char)
        if glyph is None:
            raise BadInput(f"Hershey font {self.name} has no glyph for {char!r} (U+{ord(char):04X})")
        strokes = [np.array([(x - glyph.left_offset, self.base_line - y) for x, y in stroke], dtype=float)
                   for stroke in glyph.strokes if len(stroke) >= 2]
        return strokes, float(glyph.char_width)


class _FlattenPen:
    """A fontTools pen that flattens quadratic and cubic curves into short straight segments."""

    def __init__(self, glyph_set: Any, tolerance: float):
        from fontTools.pens.basePen import BasePen

        outer = self

        class _Pen(BasePen):
            def _moveTo(self, pt):
                outer._start(pt)

            def _lineTo(self, pt):
                outer._points.append(pt)

            def _curveToOne(self, p1, p2, p3):
                p0 = outer._points[-1]
                outer._points.extend(_bezier([p0, p1, p2, p3], tolerance)[1:])

            def _qCurveToOne(self, p1, p2):
                p0 = outer._points[-1]
                outer._points.extend(_bezier([p0, p1, p2], tolerance)[1:])

            def _closePath(self):
                outer._finish()

            def _endPath(self):
                outer._finish()

        self.contours: list[np.ndarray] = []
        self._points: list[tuple[float, float]] = []
        self._pen = _Pen(glyph_set)

    def _start(self, pt):
        self._finish()
        self._points = [pt]

    def _finish(self):
        pts = np.asarray(self._points, dtype=float)
        self._points = []
        if len(pts) >= 2 and np.allclose(pts[0], pts[-1]):
            pts = pts[:-1]
        if len(pts) >= 3:
            self.contours.append(pts)

    def __getattr__(self, name):  # moveTo, lineTo, ... go to the wrapped pen
        return getattr(self._pen, name)


def _bezier(points: list, tolerance: float) -> list[tuple[float, float]]:
    """Points on a Bézier curve (quadratic or cubic), spaced so the chord error stays under tolerance."""
    ctrl = np.asarray(points, dtype=float)
    hull = float(np.linalg.norm(np.diff(ctrl, axis=0), axis=1).sum())
    count = int(min(64, max(2, math.ceil(math.sqrt(hull / (8.0 * tolerance))))))
    t = np.linspace(0.0, 1.0, count + 1)[:, None]
    if len(ctrl) == 3:
        pts = (1 - t) ** 2 * ctrl[0] + 2 * (1 - t) * t * ctrl[1] + t ** 2 * ctrl[2]
    else:
        pts = ((1 - t) ** 3 * ctrl[0] + 3 * (1 - t) ** 2 * t * ctrl[1] + 3 * (1 - t) * t ** 2 * ctrl[2]
               + t ** 3 * ctrl[3])
    return [tuple(p) for p in pts]


# --- lookup ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FontEntry:
    """A font we can open: display name, kind and where it lives."""

    name: str
    kind: str  # "outline" | "stroke"
    path: str = ""
    face_index: int = 0
    source: str = "shipped"  # shipped | system | hershey


def _face_names(font: Any) -> list[str]:
    names = font["name"]
    found = []
    for name_id in (4, 1, 16):
        value = names.getDebugName(name_id)
        if value:
            found.append(value)
    family = names.getDebugName(16) or names.getDebugName(1)
    style = names.getDebugName(17) or names.getDebugName(2)
    if family and style:
        found.append(f"{family} {style}")
    return found


@lru_cache(maxsize=1)
def system_fonts() -> tuple[FontEntry, ...]:
    """Outline fonts in the folders of $C2M_FONT_DIRS (os.pathsep-separated) and the system font folders
    (name table only, read lazily)."""
    from fontTools.ttLib import TTCollection, TTFont

    entries = []
    extra = [d for d in os.environ.get("C2M_FONT_DIRS", "").split(os.pathsep) if d]
    for folder in [*extra, *SYSTEM_FONT_DIRS]:
        root = Path(os.path.expanduser(folder))
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            suffix = path.suffix.lower()
            try:
                if suffix in (".ttc", ".otc"):
                    faces = TTCollection(str(path), lazy=True).fonts
                elif suffix in (".ttf", ".otf"):
                    faces = [TTFont(str(path), lazy=True)]
                else:
                    continue
                for index, face in enumerate(faces):
                    names = _face_names(face)
                    if names:
                        entries.append(FontEntry(names[0], "outline", str(path), index, "system"))
            except Exception:  # an unreadable file in a system folder is not our user's problem
                continue
    return tuple(entries)


@lru_cache(maxsize=1)
def hershey_font_names() -> tuple[str, ...]:
    from HersheyFonts import HersheyFonts

    return tuple(HersheyFonts().default_font_names)


def available_fonts() -> list[FontEntry]:
    """Every font a name can refer to: shipped outline fonts, Hershey fonts, system fonts."""
    entries = [FontEntry(name, "outline", str(FONT_DIR / file), 0, "shipped") for name, file in SHIPPED_FONTS.items()]
    entries += [FontEntry(name, "stroke", "", 0, "hershey") for name in hershey_font_names()]
    entries += list(system_fonts())
    return entries


def _system_match(name: str) -> FontEntry | None:
    wanted = _key(name)
    from fontTools.ttLib import TTFont

    for entry in system_fonts():
        if _key(entry.name) == wanted or _key(Path(entry.path).stem) == wanted:
            return entry
    # a family name ("Noto Sans CJK SC") matches its Regular face
    for entry in system_fonts():
        face = TTFont(entry.path, fontNumber=entry.face_index, lazy=True)
        if wanted in {_key(n) for n in _face_names(face)}:
            return entry
    return None


def _ttc_face_for_simplified_chinese(path: Path) -> int:
    """The face of a collection named ' SC' / ' CN' (Noto / Source Han), else the first face."""
    from fontTools.ttLib import TTCollection

    faces = TTCollection(str(path), lazy=True).fonts
    for index, face in enumerate(faces):
        names = " ".join(_face_names(face))
        if re.search(r"\b(SC|CN|GB)\b", names):
            return index
    return 0


@lru_cache(maxsize=32)
def _open(entry: FontEntry) -> OutlineFont | StrokeFont:
    if entry.kind == "stroke":
        return StrokeFont(entry.name)
    return OutlineFont(entry.name, Path(entry.path), entry.face_index)


def load_font(name: str) -> OutlineFont | StrokeFont:
    """A font by name (shipped, Hershey with or without a 'hershey:' prefix, system) or by file path.

    A .ttc path may end in '#N' to pick face N; without it the simplified-Chinese face is taken.
    """
    text = name.strip()
    for entry_name, file in SHIPPED_FONTS.items():
        if _key(text) in (_key(entry_name), _key(Path(file).stem)):
            return _open(FontEntry(entry_name, "outline", str(FONT_DIR / file)))
    hershey = re.sub(r"^hershey[:\-_ ]?", "", text, flags=re.IGNORECASE)
    if hershey.lower() in hershey_font_names():
        return _open(FontEntry(hershey.lower(), "stroke", source="hershey"))
    path_text, _, face = text.partition("#")
    path = Path(os.path.expanduser(path_text))
    if path.suffix.lower() in (".ttf", ".otf", ".ttc", ".otc"):
        if not path.is_file():
            raise BadInput(f"font file {path} does not exist")
        if face:
            index = int(face) if face.isdigit() else -1
            if index < 0:
                raise BadInput(f"font {text!r}: the face after '#' must be a number")
        elif path.suffix.lower() in (".ttc", ".otc"):
            index = _ttc_face_for_simplified_chinese(path)
        else:
            index = 0
        return _open(FontEntry(path.stem, "outline", str(path), index, "file"))
    entry = _system_match(text)
    if entry is not None:
        return _open(entry)
    listing = ", ".join(sorted({e.name for e in available_fonts()}, key=str.lower))
    raise BadInput(f"font {name!r} not found; available fonts: {listing}")


def default_cjk_font() -> OutlineFont:
    """The first installed CJK font in CJK_PREFERENCE (simplified-Chinese face)."""
    for name in CJK_PREFERENCE:
        entry = _system_match(name)
        if entry is not None:
            if Path(entry.path).suffix.lower() in (".ttc", ".otc") and "SC" not in name:
                entry = FontEntry(entry.name, entry.kind, entry.path,
                                  _ttc_face_for_simplified_chinese(Path(entry.path)), entry.source)
            font = _open(entry)
            assert isinstance(font, OutlineFont)
            return font
    raise BadInput(f"no CJK font is installed for Chinese, Japanese or Korean text: install the Debian package "
                   f"{CJK_DEBIAN_PACKAGES}, or pass --font with a font file")


def choose_font(text: str, name: str | None, method: str) -> OutlineFont | StrokeFont:
    """The named font, or the default for the text and method; every character must be covered."""
    if name:
        font = load_font(name)
    elif method == "marking" and not any(is_cjk(c) for c in text):
        font = load_font(DEFAULT_STROKE_FONT)
    elif any(is_cjk(c) for c in text):
        font = default_cjk_font()
    else:
        font = load_font(DEFAULT_OUTLINE_FONT)
    check_coverage(font, text)
    return font


def check_coverage(font: OutlineFont | StrokeFont, text: str) -> None:
    """Raise BadInput naming the first character the font cannot draw."""
    for char in text:
        if is_blank(char):
            continue
        if not font.has_char(char):
            hint = f" (for CJK text install {CJK_DEBIAN_PACKAGES} or choose a CJK font)" if is_cjk(char) else ""
            raise BadInput(f"font {font.name} has no glyph for {char!r} (U+{ord(char):04X}) in {text!r}{hint}")
