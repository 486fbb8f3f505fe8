"""The promise on paper: an A4 poster, and an A4 page of 8 flyers to cut, for shops, notice
boards and the office coffee machine. Pure functions of a promise, returning the PDF's bytes.

Each carries a QR code to the promise page with its source (`?source=affiche`, `?source=flyer`),
drawn as vector squares so that it scans at any printer's resolution, and the address printed
for those who type it. The text is drawn in DejaVu Sans, a TrueType font embedded in the PDF:
reportlab's built-in fonts have no glyph for œ, « » or the no-break spaces French puts in.
"""

import io
from functools import cache
from pathlib import Path

import segno
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from onpromet.french import french_date, french_spacing
from onpromet.site_url import absolute

from . import text
from .models import Promise
from .sharing import typed_address

# The fonts' one place: Debian's fonts-dejavu-core (to be installed by the Makefile's `fonts`
# target).
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

GREEN = HexColor("#0b6e4f")  # the site's primary colour
INK = HexColor("#1d2b25")
GREY = HexColor("#5c6b64")
CUT = Color(0.7, 0.7, 0.7)

PAGE_WIDTH, PAGE_HEIGHT = A4

# What the page tells its reader to do, by state: a failed or cancelled promise is printed as
# what it is, not as "join us". (title, line under it)
CALLS = {
    state: (french_spacing(title), french_spacing(line))
    for state, (title, line) in {
        "open": (
            "Promettez, vous aussi !",
            "Scannez le code pour promettre. Vous ne vous engagez que si l'objectif est atteint.",
        ),
        "deadline_passed": (
            "Date limite passée",
            "Scannez le code pour voir où en est la promesse.",
        ),
        Promise.State.REACHED: (
            "Objectif atteint !",
            "Il est encore temps de se joindre à l'action : scannez le code.",
        ),
        Promise.State.FAILED: (
            "Objectif non atteint",
            "Cette promesse n'a pas réuni assez de monde avant sa date limite.",
        ),
        Promise.State.CANCELLED: (
            "Promesse annulée",
            "Ses initiateurs l'ont annulée avant qu'elle n'atteigne son objectif.",
        ),
        Promise.State.FINISHED: (
            "Action terminée",
            "Scannez le code pour lire son bilan.",
        ),
    }.items()
}


def promise_url(promise: Promise, source: str) -> str:
    """What the QR code holds: the promise page on the public site, with where it was read."""
    return f"{absolute(promise.get_absolute_url())}?source={source}"


def poster_pdf(promise: Promise) -> bytes:
    """An A4 poster: the sentence large, the objective, the deadline, the action's dates, the
    city, what to do now (by state) and a QR code to the promise (source: affiche)."""
    canvas, buffer = _canvas(promise, "Affiche")
    margin = 48
    width = PAGE_WIDTH - 2 * margin

    # The site's band.
    band = 64
    canvas.setFillColor(GREEN)
    canvas.rect(0, PAGE_HEIGHT - band, PAGE_WIDTH, band, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont(BOLD, 26)
    canvas.drawString(margin, PAGE_HEIGHT - band + 22, "OnPromet")
    _draw_one_line(
        canvas,
        _clean(promise.city),
        REGULAR,
        x=PAGE_WIDTH - margin,
        y=PAGE_HEIGHT - band + 24,
        width=width - 200,
        sizes=(14, 8),
        align="right",
    )

    # From the bottom up: the QR code and what to do now, the terms, then the sentence in what
    # is left, as large as that allows.
    qr_size = 170
    qr_y = 92
    term_size = 15
    label_width = 130
    terms = [
        (label, _wrap(_words(value), BOLD, term_size, width - label_width))
        for label, value in _terms(promise)
    ]
    terms_height = sum(len(lines) * term_size * 1.25 + term_size * 0.5 for _, lines in terms)
    lowest_rule = qr_y + qr_size + 24 + terms_height + 10
    top = PAGE_HEIGHT - band - 44
    bottom = _draw_sentence(
        canvas, promise, x=margin, top=top, width=width, height=top - lowest_rule - 24,
        sizes=(46, 16),
    )  # fmt: skip
    # The terms right under a short sentence; the space left, if any, above the QR code.
    rule_y = max(lowest_rule, bottom - 24)
    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(2)
    canvas.line(margin, rule_y, margin + 60, rule_y)
    y = rule_y - 10 - term_size
    for label, lines in terms:
        canvas.setFillColor(GREY)
        canvas.setFont(REGULAR, term_size * 0.8)
        canvas.drawString(margin, y, label.upper())
        for words in lines:
            _draw_words(canvas, words, BOLD, term_size, margin + label_width, y)
            y -= term_size * 1.25
        y -= term_size * 0.5

    _draw_qr(canvas, promise_url(promise, "affiche"), x=margin - 12, y=qr_y, size=qr_size)
    title, line = CALLS[_call(promise)]
    call_x = margin + qr_size + 6
    call_width = PAGE_WIDTH - margin - call_x
    size, lines = _fit(_clean(title), BOLD, call_width, 34, sizes=(26, 16))
    cursor = qr_y + qr_size - 30
    for words in lines:
        _draw_words(canvas, words, BOLD, size, call_x, cursor, color=GREEN)
        cursor -= size * 1.2
    cursor -= 4
    for row in _wrap(_words(_clean(line)), REGULAR, 14, call_width):
        _draw_words(canvas, row, REGULAR, 14, call_x, cursor)
        cursor -= 14 * 1.3
    canvas.setFillColor(GREY)
    _draw_one_line(
        canvas, typed_address(promise), REGULAR, x=margin, y=qr_y - 6, width=width, sizes=(13, 7)
    )

    canvas.setFont(REGULAR, 9)
    canvas.setFillColor(GREY)
    canvas.drawString(
        margin,
        36,
        french_spacing("OnPromet : des promesses collectives, tenues si assez de monde s'engage."),
    )
    return _finish(canvas, buffer)


FLYER_COLUMNS, FLYER_ROWS = 2, 4


def flyers_pdf(promise: Promise) -> bytes:
    """One A4 page of 8 flyers (2 × 4) to cut along the light marks, each with the sentence
    shrunk to fit, the objective, the deadline and a QR code (source: flyer)."""
    canvas, buffer = _canvas(promise, "Flyers")
    cell_width = PAGE_WIDTH / FLYER_COLUMNS
    cell_height = PAGE_HEIGHT / FLYER_ROWS
    url = promise_url(promise, "flyer")
    for column in range(FLYER_COLUMNS):
        for row in range(FLYER_ROWS):
            _draw_flyer(
                canvas, promise, url, x=column * cell_width, y=row * cell_height,
                width=cell_width, height=cell_height,
            )  # fmt: skip
    _draw_cut_marks(canvas, cell_width, cell_height)
    return _finish(canvas, buffer)


def _draw_flyer(canvas, promise, url, *, x, y, width, height) -> None:
    # Printers leave a few millimetres blank at the page's edges: nothing within 20 pt of a cut.
    pad = 20
    qr_size = 104
    top = y + height - pad
    canvas.setFillColor(GREEN)
    canvas.setFont(BOLD, 11)
    canvas.drawString(x + pad, top - 9, "OnPromet")
    canvas.setFillColor(GREY)
    text_width = width - 2 * pad - qr_size + 4
    brand = _width("OnPromet", BOLD, 11) + 6
    _draw_one_line(
        canvas, _clean(promise.city), REGULAR, x=x + pad + brand, y=top - 9,
        width=text_width - brand, sizes=(8, 5),
    )  # fmt: skip

    sentence_top = top - 22
    terms_height = 30
    bottom = _draw_sentence(
        canvas, promise, x=x + pad, top=sentence_top, width=text_width,
        height=sentence_top - (y + pad + 12 + terms_height), sizes=(15, 6),
    )  # fmt: skip
    cursor = min(bottom - 4, y + pad + 10 + terms_height - 8)
    canvas.setFillColor(INK)
    for label, value in (
        ("Objectif", text.people_count(promise.objective)),
        ("Date limite", french_date(promise.deadline)),
    ):
        _draw_one_line(
            canvas, f"{label}{_NBSP}: {value}", REGULAR, x=x + pad, y=cursor,
            width=text_width, sizes=(8, 5),
        )  # fmt: skip
        cursor -= 11

    # The code at the top right, what to do under it, the address along the bottom.
    qr_x = x + width - pad - qr_size + 10  # its quiet zone may reach into the padding
    qr_y = top - qr_size + 8
    _draw_qr(canvas, url, x=qr_x, y=qr_y, size=qr_size)
    canvas.setFillColor(GREEN)
    title, _line = CALLS[_call(promise)]
    _draw_one_line(
        canvas, _clean(title), BOLD, x=qr_x + qr_size / 2, y=qr_y - 2, width=qr_size - 8,
        sizes=(8, 5), align="center",
    )  # fmt: skip
    canvas.setFillColor(GREY)
    _draw_one_line(
        canvas, typed_address(promise), REGULAR, x=x + pad, y=y + pad - 4,
        width=width - 2 * pad, sizes=(7, 4.5),
    )  # fmt: skip


def _draw_cut_marks(canvas, cell_width, cell_height) -> None:
    """Short light lines where the scissors go: crosses where cuts meet, ticks at the edges."""
    canvas.setStrokeColor(CUT)
    canvas.setLineWidth(0.5)
    arm = 6
    xs = [cell_width * column for column in range(1, FLYER_COLUMNS)]
    ys = [cell_height * row for row in range(1, FLYER_ROWS)]
    for cut_x in xs:
        canvas.line(cut_x, 0, cut_x, 2 * arm)
        canvas.line(cut_x, PAGE_HEIGHT - 2 * arm, cut_x, PAGE_HEIGHT)
    for cut_y in ys:
        canvas.line(0, cut_y, 2 * arm, cut_y)
        canvas.line(PAGE_WIDTH - 2 * arm, cut_y, PAGE_WIDTH, cut_y)
        for cut_x in xs:
            canvas.line(cut_x - arm, cut_y, cut_x + arm, cut_y)
            canvas.line(cut_x, cut_y - arm, cut_x, cut_y + arm)


# --- The words of a promise --------------------------------------------------------------

_NBSP = "\u00a0"


def _call(promise: Promise) -> str:
    if promise.is_open:
        return "deadline_passed" if promise.deadline_passed else "open"
    return promise.state


def _terms(promise: Promise) -> list[tuple[str, str]]:
    """(label, value) under the poster's sentence: the objective, the deadline, when the
    action happens and where."""
    terms = [
        ("Objectif", f"{text.people_count(promise.objective)}, en plus des initiateurs"),
        ("Date limite", french_date(promise.deadline)),
    ]
    if promise.action_date:
        when = promise.action_when
        terms.append(("L'action", when[:1].upper() + when[1:]))
    terms.append(("Lieu", promise.city))
    return [(label, _clean(value)) for label, value in terms]


@cache
def _glyphs(font: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def _clean(value: str) -> str:
    """The text without the characters the font cannot draw (an emoji would print as a box)."""
    _register_fonts()
    glyphs = _glyphs(REGULAR) & _glyphs(BOLD)
    return "".join(char for char in value if ord(char) in glyphs or char == "\n")


# --- Drawing text --------------------------------------------------------------------------

# A word, and whether it is part of the promise's condition (drawn in green).
Word = tuple[str, bool]


def _words(value: str, *, flag: bool = False) -> list[Word]:
    # Split on plain spaces only: the no-break spaces French typography put in hold words
    # together (str.split() and reportlab's simpleSplit would break there).
    return [(word, flag) for word in value.split(" ") if word]


def _sentence_words(promise: Promise) -> list[Word]:
    """The sentence's words, those of its condition ("si 50 personnes le promettent aussi.")
    flagged."""
    sentence = _clean(promise.sentence)
    start = sentence.rfind(_clean(promise.condition))
    words, position = [], 0
    for word in sentence.split(" "):
        if word:
            words.append((word, start >= 0 and position + len(word) > start))
        position += len(word) + 1
    return words


def _width(value: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(value, font, size)


def _wrap(words: list[Word], font: str, size: float, width: float) -> list[list[Word]]:
    """Greedy line filling; a word wider than the line (a long address) is cut where it must."""
    space = _width(" ", font, size)
    lines: list[list[Word]] = []
    line: list[Word] = []
    used = 0.0
    for word, flag in words:
        for piece in _cut(word, font, size, width):
            piece_width = _width(piece, font, size)
            if line and used + space + piece_width > width:
                lines.append(line)
                line, used = [], 0.0
            used += (space if line else 0) + piece_width
            line.append((piece, flag))
    if line:
        lines.append(line)
    return lines


def _cut(word: str, font: str, size: float, width: float) -> list[str]:
    pieces = []
    while _width(word, font, size) > width and len(word) > 1:
        end = len(word) - 1
        while end > 1 and _width(word[:end], font, size) > width:
            end -= 1
        pieces.append(word[:end])
        word = word[end:]
    return [*pieces, word]


def _fit(
    value: str | list[Word], font: str, width: float, height: float, *, sizes, leading=1.2
) -> tuple[float, list[list[Word]]]:
    """The largest size, from sizes[0] down to sizes[1] by half points, at which the text
    wrapped to `width` fits in `height`; at the smallest, the lines that fit."""
    words = _words(value) if isinstance(value, str) else value
    largest, smallest = sizes
    size = largest
    while True:
        lines = _wrap(words, font, size, width)
        if len(lines) * size * leading <= height or size <= smallest:
            return size, lines[: max(1, int(height // (size * leading)))]
        size = max(smallest, size - 0.5)


def _draw_words(canvas, words: list[Word], font, size, x, y, *, color=INK) -> None:
    """One line in one text object with real spaces (so that the PDF's text reads as typed),
    its condition's words in green."""
    line = canvas.beginText(x, y)
    line.setFont(font, size)
    for index, (word, flag) in enumerate(words):
        line.setFillColor(GREEN if flag else color)
        line.textOut(word if index == len(words) - 1 else f"{word} ")
    canvas.drawText(line)


def _draw_sentence(canvas, promise, *, x, top, width, height, sizes) -> float:
    """The sentence in bold, as large as the box allows; returns the y under its last line."""
    size, lines = _fit(_sentence_words(promise), BOLD, width, height, sizes=sizes)
    y = top - size
    for words in lines:
        _draw_words(canvas, words, BOLD, size, x, y)
        y -= size * 1.2
    return y + size * 1.2 - size * 0.3


def _draw_one_line(canvas, value, font, *, x, y, width, sizes, align="left") -> None:
    """One line, shrunk to fit `width` (down to sizes[1], then cut with an ellipsis)."""
    largest, smallest = sizes
    size = largest
    while size > smallest and _width(value, font, size) > width:
        size -= 0.5
    while len(value) > 1 and _width(value, font, size) > width:
        value = value[:-2] + "…"
    canvas.setFont(font, size)
    if align == "right":
        canvas.drawRightString(x, y, value)
    elif align == "center":
        canvas.drawCentredString(x, y, value)
    else:
        canvas.drawString(x, y, value)


def _draw_qr(canvas, url: str, *, x: float, y: float, size: float) -> None:
    """A QR code, quiet zone included, in a square of `size` points at (x, y), bottom left.
    Medium error correction: a poster outdoors gets wet and torn. One filled path of the dark
    runs, so that no hairline shows between adjacent modules."""
    code = segno.make_qr(url, error="m", boost_error=False)
    border = 4
    rows = list(code.matrix_iter(scale=1, border=border))
    module = size / len(rows)
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    path = canvas.beginPath()
    for index, row in enumerate(rows):
        top = y + size - (index + 1) * module
        start = None
        for column, dark in enumerate([*row, False]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                path.rect(x + start * module, top, (column - start) * module, module)
                start = None
    canvas.setFillColor(HexColor("#000000"))
    canvas.drawPath(path, stroke=0, fill=1)


# --- The document --------------------------------------------------------------------------


def _register_fonts() -> None:
    registered = pdfmetrics.getRegisteredFontNames()
    for name, file in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))


def _canvas(promise: Promise, kind: str) -> tuple[Canvas, io.BytesIO]:
    _register_fonts()
    buffer = io.BytesIO()
    # invariant: no creation date nor random id in the file, so the same promise prints the
    # same bytes.
    canvas = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=1)
    canvas.setTitle(f"{kind} — {_clean(promise.sentence)}")
    canvas.setAuthor("OnPromet")
    canvas.setSubject(promise_url(promise, "affiche" if kind == "Affiche" else "flyer"))
    canvas.setCreator("OnPromet")
    return canvas, buffer


def _finish(canvas: Canvas, buffer: io.BytesIO) -> bytes:
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
