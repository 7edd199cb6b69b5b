"""Latin text fonts found on this machine, grouped so that pages can mix labels and typed values."""
import functools
import glob
import os
import re

# Families that look like the fonts printed forms use. Debian packages:
# fonts-liberation fonts-urw-base35 fonts-freefont-ttf fonts-crosextra-carlito
# fonts-crosextra-caladea fonts-noto-core fonts-dejavu-core.
_PATTERNS = [
    r"Liberation(Sans|Serif|Mono|SansNarrow)-.*\.ttf$",
    r"DejaVu(Sans|Serif|SansCondensed|SerifCondensed|SansMono)(-.*)?\.ttf$",
    r"Free(Sans|Serif|Mono).*\.ttf$",
    r"(Carlito|Caladea)-.*\.ttf$",
    r"(NimbusSans|NimbusSansNarrow|NimbusRoman|NimbusMonoPS|URWGothic|C059|P052|URWBookman)-.*\.otf$",
    r"Noto(Sans|Serif)-(Regular|Bold|Italic|BoldItalic|Medium|Light|Condensed.*)\.ttf$",
]
_HANDWRITING = [r"Z003-.*\.otf$"]


def _find(patterns):
    files = glob.glob("/usr/share/fonts/**/*.*", recursive=True)
    out = sorted({f for f in files for p in patterns if re.search(p, os.path.basename(f))})
    return out


@functools.lru_cache(maxsize=1)
def text_fonts():
    fonts = _find(_PATTERNS)
    if not fonts:
        raise SystemExit("no text fonts found: apt-get install fonts-liberation fonts-dejavu-core fonts-urw-base35")
    return fonts


@functools.lru_cache(maxsize=1)
def hand_fonts():
    return _find(_HANDWRITING) or text_fonts()


def is_narrow(path):
    return "Narrow" in path or "Condensed" in path
