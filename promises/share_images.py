"""The pictures of a promise for social networks, drawn with Pillow: the Open Graph preview
(1200×630, what a link shows when it is posted) and the square image to post in a story
(1080×1080, with the promise's address on it).

Both say what the promise page says, in its words: the sentence (Promise.sentence, with its
French no-break spaces), the progress "N / X personnes" and its bar (includes/progress.html),
the state (includes/state_badge.html), the city, and the site's name. Pure rendering: a
promise in, PNG bytes out; who may see them and how long they are kept is the views' business
(promises/views/share.py).

The font is Lato, from Debian's fonts-lato (`make fonts` installs it): accents, « », œ, ’ and
the fi/fl ligatures, shaped by libraqm when Pillow has it.
"""

import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from PIL import Image, ImageDraw, ImageFont, features

from onpromet.french import NBSP, french_number, french_spacing

from .models import Promise
from .sharing import typed_address

# Where fonts-lato puts its files (the Makefile's `fonts` target checks the same folder).
FONT_DIR = Path("/usr/share/fonts/truetype/lato")
FONT_FILES = {"regular": "Lato-Regular.ttf", "bold": "Lato-Bold.ttf", "black": "Lato-Black.ttf"}
# Complex shaping (kerning, ligatures) by libraqm when this Pillow has it.
LAYOUT = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC

# The site's colours (static/css/onpromet.css, and Bootstrap's for the rest).
PRIMARY = "#0b6e4f"
HERO = "#e7f2ed"
TEXT = "#212529"
MUTED = "#5c636a"
TRACK = "#dfe6e2"
SUCCESS = "#198754"
WHITE = "#ffffff"

# The state badge of includes/state_badge.html, by state: background, text, border.
STATE_COLOURS = {
    Promise.State.OPEN: (PRIMARY, WHITE, PRIMARY),
    Promise.State.REACHED: (SUCCESS, WHITE, SUCCESS),
    Promise.State.FAILED: ("#6c757d", WHITE, "#6c757d"),
    Promise.State.CANCELLED: ("#f8f9fa", TEXT, "#adb5bd"),
    Promise.State.FINISHED: (TEXT, WHITE, TEXT),
}

# Where a line may break: after an ordinary space only, never at a no-break space (french
# spacing keeps "Bienvenue !" and "« x »" together, numbers keep their narrow ones); in an
# address, after a slash or a hyphen.
BREAK_AT_SPACES = re.compile(r"[^ ]+ *| +")
BREAK_IN_ADDRESS = re.compile(r"[^/-]+[/-]*|[/-]+")
ELLIPSIS = "…"


def font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / FONT_FILES[weight]
    if not path.exists():
        raise ImproperlyConfigured(
            f"The font of the share images is missing ({path}): run `make fonts` "
            "(apt-get install fonts-lato)."
        )
    return ImageFont.truetype(str(path), size, layout_engine=LAYOUT)


# --- Fitting text in a box ----------------------------------------------------------------


@dataclass(frozen=True)
class TextBlock:
    """Lines of text at one size, as fit_text() laid them out to be drawn from a top-left
    corner, each line `line_height` below the one before."""

    lines: tuple[str, ...]
    font: ImageFont.FreeTypeFont
    line_height: int

    @property
    def size(self) -> int:
        return int(self.font.size)

    @property
    def height(self) -> int:
        ascent, descent = self.font.getmetrics()
        return (len(self.lines) - 1) * self.line_height + ascent + descent

    def bboxes(self, x: int, y: int) -> list[tuple[int, int, int, int]]:
        """The ink of each line drawn at (x, y): what must stay inside the box."""
        return [
            _offset(self.font.getbbox(line, anchor="la"), x, y + i * self.line_height)
            for i, line in enumerate(self.lines)
        ]

    def draw(self, draw: ImageDraw.ImageDraw, x: int, y: int, fill: str) -> None:
        for i, line in enumerate(self.lines):
            draw.text((x, y + i * self.line_height), line, font=self.font, fill=fill, anchor="la")


def _offset(bbox, x: int, y: int) -> tuple[int, int, int, int]:
    left, top, right, bottom = bbox
    return (left + x, top + y, right + x, bottom + y)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int, pieces=BREAK_AT_SPACES) -> list[str]:
    """The text in lines no wider than `width`, filled greedily, broken only where `pieces`
    allows; a piece wider than a whole line (a very long word) is cut between letters."""
    lines: list[str] = []
    line = ""
    for piece in pieces.findall(text):
        candidate = line + piece
        if face.getlength(candidate.rstrip(" ")) <= width:
            line = candidate
            continue
        if line.strip(" "):
            lines.append(line.rstrip(" "))
        line = piece.lstrip(" ")
        while face.getlength(line.rstrip(" ")) > width:
            cut = len(line) - 1
            while cut > 1 and face.getlength(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip(" "):
        lines.append(line.rstrip(" "))
    return lines


def fit_text(
    text: str,
    *,
    weight: str,
    width: int,
    height: int,
    max_size: int,
    min_size: int,
    line_spacing: float = 1.18,
    pieces=BREAK_AT_SPACES,
) -> TextBlock:
    """The largest size, from max_size down to min_size, at which the wrapped text fits the
    box. Past min_size, the lines that fit at min_size, the last one ending with "…"."""
    for size in range(max_size, min_size - 1, -2):
        face = font(weight, size)
        block = TextBlock(tuple(wrap(text, face, width, pieces)), face, round(size * line_spacing))
        if block.height <= height:
            return block
    return _truncated(block, width, height)


def _truncated(block: TextBlock, width: int, height: int) -> TextBlock:
    ascent, descent = block.font.getmetrics()
    count = max(1, 1 + (height - ascent - descent) // block.line_height)
    lines = list(block.lines[:count])
    last = lines[-1]
    while last and block.font.getlength(last + ELLIPSIS) > width:
        last = last[:-1]
    lines[-1] = last.rstrip(" ,") + ELLIPSIS
    return TextBlock(tuple(lines), block.font, block.line_height)


# --- What the pictures say ----------------------------------------------------------------


def progress_label(promise: Promise) -> str:
    """'12 / 50 personnes', as includes/progress.html writes it."""
    people = "personne" if promise.objective == 1 else "personnes"
    return f"{french_number(promise.pledge_count)} / {french_number(promise.objective)} {people}"


def state_label(promise: Promise) -> str:
    label = promise.get_state_display()
    return label[:1].upper() + label[1:]


# --- Drawing ------------------------------------------------------------------------------


def _badge(draw: ImageDraw.ImageDraw, promise: Promise, right: int, top: int, size: int) -> int:
    """The state badge, its right edge at `right`; returns its left edge."""
    background, colour, border = STATE_COLOURS.get(promise.state, STATE_COLOURS["open"])
    face = font("bold", size)
    label = state_label(promise)
    pad_x, pad_y = round(size * 0.75), round(size * 0.42)
    ascent, descent = face.getmetrics()
    width = round(face.getlength(label)) + 2 * pad_x
    box = (right - width, top, right, top + size + 2 * pad_y)
    draw.rounded_rectangle(box, radius=round(size * 0.4), fill=background, outline=border, width=2)
    draw.text((box[0] + pad_x, top + pad_y + size // 2), label, font=face, fill=colour, anchor="lm")
    return box[0]


def _progress(
    draw: ImageDraw.ImageDraw, promise: Promise, left: int, right: int, top: int, size: int
) -> int:
    """'N / X personnes', the percentage on the right, and the bar under them; returns the
    bar's bottom."""
    face = font("bold", size)
    draw.text((left, top), progress_label(promise), font=face, fill=TEXT, anchor="la")
    percent = french_spacing(f"{promise.progress_percent} %")
    draw.text((right, top), percent, font=font("regular", size), fill=MUTED, anchor="ra")
    ascent, descent = face.getmetrics()
    bar_top = top + ascent + descent + round(size * 0.35)
    bar_height = round(size * 0.75)
    bar = (left, bar_top, right, bar_top + bar_height)
    draw.rounded_rectangle(bar, radius=bar_height // 2, fill=TRACK)
    share = min(1.0, promise.pledge_count / promise.objective) if promise.objective else 0
    if share > 0:
        # At least a round dot: one pledge out of a thousand still shows.
        filled = max(bar_height, round((right - left) * share))
        colour = SUCCESS if promise.is_reached else PRIMARY
        draw.rounded_rectangle(
            (left, bar_top, left + filled, bar_top + bar_height),
            radius=bar_height // 2,
            fill=colour,
        )
    return bar_top + bar_height


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# The boxes the sentence is fitted in, shared with the tests: (left, top, width, height).
OG_SIZE = (1200, 630)
OG_SENTENCE = (72, 150, 1056, 300)
SQUARE_SIZE = (1080, 1080)
SQUARE_SENTENCE = (80, 250, 920, 440)


# A number, or a word of one or two letters ("si", "à", "de", "le"), and the word after it.
_BOUND_TO_NEXT = re.compile(r"(?<![^ \u00a0])(\w{1,2}|\d[\d\u202f]*) (?=\S)")


def picture_text(sentence: str) -> str:
    """The sentence as the pictures break it: a number stays on the line of what it counts
    ("50 personnes", "9 h"), and a short word on the line of the word it leads ("si 50", "à
    ça"), as French typesetting wants. It reads the same."""
    return _BOUND_TO_NEXT.sub(lambda match: match[1] + NBSP, sentence)


def og_sentence(promise: Promise) -> TextBlock:
    _, _, width, height = OG_SENTENCE
    text = picture_text(promise.sentence)
    return fit_text(text, weight="bold", width=width, height=height, max_size=72, min_size=34)


def square_sentence(promise: Promise) -> TextBlock:
    _, _, width, height = SQUARE_SENTENCE
    text = picture_text(promise.sentence)
    return fit_text(text, weight="bold", width=width, height=height, max_size=84, min_size=40)


def og_image(promise: Promise) -> bytes:
    """The Open Graph preview: 1200×630 PNG."""
    width, height = OG_SIZE
    margin = 72
    image = Image.new("RGB", OG_SIZE, WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 14), fill=PRIMARY)

    draw.text((margin, 52), "OnPromet", font=font("black", 44), fill=PRIMARY, anchor="la")
    badge_left = _badge(draw, promise, width - margin, 52, 26)
    if promise.city:
        city = font("regular", 28)
        draw.text((badge_left - 22, 75), promise.city, font=city, fill=MUTED, anchor="rm")

    left, top, _, box_height = OG_SENTENCE
    block = og_sentence(promise)
    # Centred in its box, vertically.
    block.draw(draw, left, top + (box_height - block.height) // 2, TEXT)

    _progress(draw, promise, margin, width - margin, 478, 32)
    return _png(image)


def square_image(promise: Promise) -> bytes:
    """The picture to post in a story: 1080×1080 PNG, with the promise's address at the
    bottom."""
    width, height = SQUARE_SIZE
    margin = 80
    image = Image.new("RGB", SQUARE_SIZE, WHITE)
    draw = ImageDraw.Draw(image)

    draw.text((margin, 76), "OnPromet", font=font("black", 56), fill=PRIMARY, anchor="la")
    _badge(draw, promise, width - margin, 82, 30)
    if promise.city:
        draw.text((margin, 168), promise.city, font=font("regular", 34), fill=MUTED, anchor="la")

    left, top, _, box_height = SQUARE_SENTENCE
    block = square_sentence(promise)
    block.draw(draw, left, top + (box_height - block.height) // 2, TEXT)

    _progress(draw, promise, margin, width - margin, 734, 38)

    # The address, white on the site's green, as large as it fits on at most two lines.
    band_top = 880
    draw.rectangle((0, band_top, width, height), fill=PRIMARY)
    invitation = "Rejoignez-la sur" if promise.is_live else "La promesse sur"
    draw.text((margin, band_top + 36), invitation, font=font("regular", 30), fill=HERO, anchor="la")
    address = fit_text(
        typed_address(promise),
        weight="bold",
        width=width - 2 * margin,
        height=height - band_top - 110,
        max_size=40,
        min_size=24,
        line_spacing=1.15,
        pieces=BREAK_IN_ADDRESS,
    )
    address.draw(draw, margin, band_top + 84, WHITE)
    return _png(image)
