"""The demo's photos, drawn with Pillow: a beach, litter bags, trees, a bike…

Each scene is a small drawing of shapes and colours, varied by a seeded random generator, so
two photos of the same scene are not the same picture and the demo is the same on every run.
`photo_upload` returns what a phone would upload (a JPEG file); the command passes it through
onpromet.photos.process_photo like any upload.
"""

import io
import math
import random
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

# Scenes are drawn on this canvas, then reduced to the photo's size.
WIDTH, HEIGHT = 1024, 768
PHOTO_SIZE = (800, 600)

Colour = tuple[int, int, int]

# Clothes of the volunteers: the orange and yellow of chasubles, and everyday colours.
CLOTHES: list[Colour] = [
    (242, 132, 36),
    (250, 204, 21),
    (37, 99, 235),
    (220, 38, 38),
    (22, 163, 74),
    (124, 58, 237),
    (15, 23, 42),
    (236, 72, 153),
]
SKINS: list[Colour] = [(241, 194, 167), (224, 172, 105), (198, 134, 66), (141, 85, 36)]
BAGS: list[Colour] = [(30, 30, 35), (40, 70, 160), (235, 200, 40), (60, 60, 70), (90, 140, 60)]


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _vary(colour: Colour, rng: random.Random, amount: int = 18) -> Colour:
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in colour)


def _gradient(draw: ImageDraw.ImageDraw, top: int, bottom: int, start: Colour, end: Colour):
    span = max(1, bottom - top)
    for y in range(top, bottom):
        draw.line([(0, y), (WIDTH, y)], fill=_mix(start, end, (y - top) / span))


def _sky(draw: ImageDraw.ImageDraw, rng: random.Random, horizon: int) -> None:
    """Blue by day, or the warm light of a morning: the photos were not all taken at noon."""
    if rng.random() < 0.3:
        _gradient(draw, 0, horizon, (120, 150, 200), (250, 200, 150))
    else:
        _gradient(draw, 0, horizon, _vary((70, 140, 220), rng), _vary((190, 220, 245), rng))
    if rng.random() < 0.6:
        x, y, r = rng.randint(80, WIDTH - 80), rng.randint(40, max(60, horizon // 3)), 38
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 236, 170))
    for _ in range(rng.randint(1, 4)):
        _cloud(draw, rng, rng.randint(0, WIDTH), rng.randint(20, max(40, horizon - 120)))


def _cloud(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, y: int) -> None:
    for _ in range(5):
        dx, dy = rng.randint(-70, 70), rng.randint(-14, 14)
        rx, ry = rng.randint(40, 80), rng.randint(18, 30)
        draw.ellipse(
            [x + dx - rx, y + dy - ry, x + dx + rx, y + dy + ry], fill=(255, 255, 255, 200)
        )


def _person(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, foot: int, size: int) -> None:
    """A volunteer seen from afar: legs, a body in bright clothes, arms, a head."""
    head = size // 11
    shoulders = foot - size + 2 * head
    hips = foot - size // 2 + head // 2
    legs = _vary((40, 50, 80), rng, 20)
    body = rng.choice(CLOTHES)
    stride = rng.randint(0, size // 8)
    draw.line([(x, hips), (x - stride, foot)], fill=legs, width=max(3, size // 12))
    draw.line([(x, hips), (x + stride, foot)], fill=legs, width=max(3, size // 12))
    draw.rounded_rectangle(
        [x - size // 8, shoulders, x + size // 8, hips + head // 2], radius=size // 16, fill=body
    )
    reach = rng.choice([-1, 1]) * rng.randint(size // 6, size // 3)
    draw.line(
        [(x, shoulders + head // 2), (x + reach, hips + rng.randint(-head, head))],
        fill=body,
        width=max(3, size // 14),
    )
    skin = rng.choice(SKINS)
    draw.ellipse([x - head, shoulders - 2 * head, x + head, shoulders], fill=skin)


def _bag(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, bottom: int, size: int) -> None:
    """A full rubbish bag: a wide body sagging on the ground, a gathered neck, a knot."""
    colour = rng.choice(BAGS)
    dark = _mix(colour, (0, 0, 0), 0.25)
    half = int(size * rng.uniform(0.45, 0.6))
    top = bottom - int(size * 0.8)
    draw.chord([x - half, top, x + half, bottom + size // 3], start=180, end=360, fill=colour)
    draw.rounded_rectangle(
        [x - half, top + size // 4, x + half, bottom], radius=size // 5, fill=colour
    )
    neck = size // 9
    draw.polygon(
        [(x - half // 2, top + size // 8), (x + half // 2, top + size // 8), (x + neck, top - neck),
         (x - neck, top - neck)],
        fill=colour,
    )  # fmt: skip
    # The knot and its two flaps, pointing up and out.
    knot = top - neck
    draw.ellipse([x - neck, knot - neck, x + neck, knot + neck // 2], fill=dark)
    for side in (-1, 1):
        draw.polygon(
            [
                (x, knot),
                (x + side * neck * 3, knot - neck * 2),
                (x + side * neck * 2, knot - neck // 2),
            ],
            fill=colour,
        )
    for fold in (-1, 0, 1):
        fx = x + fold * half // 2
        draw.line([(fx, top + size // 4), (fx + fold * 6, bottom - 8)], fill=dark, width=2)
    shine = _mix(colour, (255, 255, 255), 0.4)
    draw.arc(
        [x - half + 8, top + size // 6, x, bottom - size // 6],
        start=190,
        end=250,
        fill=shine,
        width=max(2, size // 18),
    )


def _tree(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, foot: int, size: int) -> None:
    draw.rectangle([x - size // 14, foot - size // 2, x + size // 14, foot], fill=(101, 67, 33))
    green = _vary((52, 120, 60), rng, 25)
    for _ in range(6):
        dx, dy = rng.randint(-size // 4, size // 4), rng.randint(-size // 5, size // 6)
        r = rng.randint(size // 5, size // 3)
        cy = foot - size // 2 - size // 5 + dy
        draw.ellipse([x + dx - r, cy - r, x + dx + r, cy + r], fill=_vary(green, rng, 15))


def _finish(image: Image.Image) -> Image.Image:
    """A little grain, then the size of the photo: the reduction smooths the shapes' edges, so
    a flat drawing looks less like one. (The noise is made small and stretched: full-size noise
    costs four times more; more of it makes the WebP encoding of every upload slower.)"""
    noise = Image.effect_noise((WIDTH // 2, HEIGHT // 2), 30).resize(image.size).convert("RGB")
    return Image.blend(image, noise, 0.035).resize(PHOTO_SIZE, Image.Resampling.LANCZOS)


# --- Scenes -------------------------------------------------------------------------------------


def beach(image: Image.Image, draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    horizon = rng.randint(250, 330)
    _sky(draw, rng, horizon)
    shore = horizon + rng.randint(110, 170)
    _gradient(draw, horizon, shore, _vary((30, 100, 150), rng), (90, 170, 190))
    for _ in range(14):
        y = rng.randint(horizon + 10, shore - 4)
        x = rng.randint(-100, WIDTH)
        draw.line([(x, y), (x + rng.randint(60, 220), y)], fill=(230, 245, 250, 150), width=2)
    _gradient(draw, shore, HEIGHT, _vary((226, 205, 160), rng), (200, 175, 130))
    draw.rectangle([0, shore, WIDTH, shore + 18], fill=(180, 160, 120, 160))
    # What the storms left: bits of rope and net, plastic.
    for _ in range(rng.randint(14, 26)):
        x, y = rng.randint(0, WIDTH), rng.randint(shore + 30, HEIGHT - 10)
        colour = rng.choice([(240, 120, 30), (30, 90, 200), (255, 255, 255), (200, 40, 40)])
        draw.line(
            [(x, y), (x + rng.randint(-40, 40), y + rng.randint(-8, 8))], fill=colour, width=3
        )
    people = sorted(rng.randint(60, WIDTH - 60) for _ in range(rng.randint(2, 5)))
    for x in people:
        foot = rng.randint(shore + 80, HEIGHT - 40)
        _person(draw, rng, x, foot, int(120 + (foot - shore) * 0.5))
    for _ in range(rng.randint(1, 3)):
        _bag(draw, rng, rng.randint(80, WIDTH - 80), rng.randint(HEIGHT - 90, HEIGHT - 20), 90)


def litter_bags(image: Image.Image, draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """A pile of full bags at the end of the morning, seen close up."""
    wall = rng.randint(200, 320)
    if rng.random() < 0.5:
        _gradient(draw, 0, wall, _vary((170, 160, 150), rng), (140, 130, 120))  # a wall
        for y in range(0, wall, 40):
            draw.line([(0, y), (WIDTH, y)], fill=(120, 110, 100), width=2)
    else:
        _sky(draw, rng, wall)
        for x in range(-40, WIDTH, 140):
            _tree(draw, rng, x + rng.randint(0, 60), wall + 10, rng.randint(160, 220))
    ground = rng.choice([(120, 160, 80), (200, 185, 150), (130, 130, 130)])
    _gradient(draw, wall, HEIGHT, _vary(ground, rng), _mix(ground, (0, 0, 0), 0.25))
    # The bags nearer the camera (lower in the picture) are drawn last, over the others.
    bottoms = sorted(rng.randint(wall + 200, HEIGHT - 20) for _ in range(rng.randint(5, 9)))
    for i, bottom in enumerate(bottoms):
        x = (110 + i * rng.randint(90, 130)) % (WIDTH - 80) + 40
        _bag(draw, rng, x, bottom, int(rng.randint(120, 180) * bottom / HEIGHT + 40))
    # A pair of gloves and a litter picker on the ground.
    x, y = rng.randint(100, WIDTH - 200), HEIGHT - rng.randint(30, 70)
    glove = rng.choice([(250, 200, 30), (60, 150, 220)])
    draw.ellipse([x, y - 30, x + 70, y + 10], fill=glove)
    draw.ellipse([x + 50, y - 20, x + 120, y + 20], fill=glove)
    draw.line([(x - 250, y + 20), (x - 40, y - 160)], fill=(70, 70, 80), width=8)


def bottles(image: Image.Image, draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """Bottles filled with cigarette butts on the stones of a quay, the sea behind."""
    sea = rng.randint(150, 230)
    _sky(draw, rng, sea // 2)
    _gradient(draw, sea // 2, sea, (40, 110, 160), (60, 140, 180))
    stone = _vary((190, 180, 165), rng)
    _gradient(draw, sea, HEIGHT, stone, _mix(stone, (0, 0, 0), 0.2))
    for y in range(sea, HEIGHT, 70):
        offset = rng.randint(0, 80)
        draw.line([(0, y), (WIDTH, y)], fill=(150, 140, 125), width=3)
        for x in range(-offset, WIDTH, 160):
            draw.line([(x, y), (x, y + 70)], fill=(150, 140, 125), width=3)
    count = rng.randint(4, 8)
    for i in range(count):
        x = 90 + i * (WIDTH - 180) // max(1, count - 1)
        height = rng.randint(300, 380)
        bottom = HEIGHT - rng.randint(40, 120)
        top = bottom - height
        draw.rounded_rectangle([x - 55, top + 70, x + 55, bottom], radius=30, fill=(210, 230, 240))
        draw.rounded_rectangle([x - 20, top, x + 20, top + 80], radius=10, fill=(210, 230, 240))
        draw.rectangle([x - 24, top - 22, x + 24, top + 6], fill=rng.choice(BAGS[1:]))
        fill = rng.uniform(0.45, 0.95)
        for _ in range(240):
            bx = rng.randint(x - 46, x + 46)
            by = rng.randint(int(bottom - (height - 80) * fill), bottom - 10)
            tip = rng.choice([(235, 150, 70), (250, 245, 235), (210, 120, 60)])
            draw.ellipse([bx - 7, by - 3, bx + 7, by + 3], fill=tip)
        draw.line([(x - 35, top + 90), (x - 35, bottom - 30)], fill=(255, 255, 255, 160), width=6)


def harbour(image: Image.Image, draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """The Vieux-Port: boats, the hill with its basilica, the quay."""
    horizon = rng.randint(330, 400)
    _sky(draw, rng, horizon)
    hill = [(0, horizon)]
    for x in range(0, WIDTH + 80, 80):
        hill.append((x, horizon - 60 - int(90 * (1 - abs(x - 620) / 620)) + rng.randint(-8, 8)))
    hill.append((WIDTH, horizon))
    draw.polygon(hill, fill=(150, 140, 120))
    for x in range(0, WIDTH, 34):
        h = rng.randint(30, 70)
        draw.rectangle([x, horizon - h, x + 30, horizon], fill=_vary((225, 205, 175), rng, 20))
    draw.rectangle([600, horizon - 200, 640, horizon - 140], fill=(230, 220, 200))
    draw.polygon(
        [(596, horizon - 200), (644, horizon - 200), (620, horizon - 240)], fill=(210, 190, 120)
    )
    quay = horizon + rng.randint(200, 260)
    _gradient(draw, horizon, quay, (35, 90, 130), (60, 120, 150))
    for _ in range(rng.randint(5, 9)):
        x, y = rng.randint(20, WIDTH - 120), rng.randint(horizon + 30, quay - 20)
        length = 60 + (y - horizon) // 2
        draw.polygon(
            [(x, y - 18), (x + length, y - 18), (x + length - 14, y), (x + 12, y)],
            fill=rng.choice([(255, 255, 255), (30, 60, 120), (200, 60, 40)]),
        )
        draw.line(
            [(x + length // 2, y - 18), (x + length // 2, y - 18 - length)],
            fill=(240, 240, 240),
            width=3,
        )
    _gradient(draw, quay, HEIGHT, (200, 185, 160), (170, 155, 130))
    for x in sorted(rng.randint(60, WIDTH - 60) for _ in range(rng.randint(2, 4))):
        _person(draw, rng, x, HEIGHT - rng.randint(20, 60), rng.randint(200, 260))


def hedge(image: Image.Image, draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """Young plants in a line across a ploughed field, a spade stuck in the earth."""
    horizon = rng.randint(260, 330)
    _sky(draw, rng, horizon)
    for x in range(-60, WIDTH, 180):
        _tree(draw, rng, x + rng.randint(0, 90), horizon + 6, rng.randint(120, 170))
    _gradient(draw, horizon, HEIGHT, _vary((120, 90, 60), rng), (80, 58, 38))
    for y in range(horizon + 20, HEIGHT, 28):
        draw.line([(0, y), (WIDTH, y + rng.randint(-6, 6))], fill=(95, 70, 45), width=3)
    row = rng.randint(horizon + 150, horizon + 250)
    for x in range(30, WIDTH, rng.randint(55, 75)):
        stem = rng.randint(60, 110)
        draw.line([(x, row), (x + rng.randint(-6, 6), row - stem)], fill=(90, 70, 40), width=5)
        for _ in range(4):
            lx, ly = x + rng.randint(-22, 22), row - stem + rng.randint(-10, 40)
            draw.ellipse([lx - 12, ly - 8, lx + 12, ly + 8], fill=_vary((70, 150, 60), rng, 25))
        draw.ellipse([x - 24, row - 6, x + 24, row + 8], fill=(140, 110, 70))
    x = rng.randint(150, WIDTH - 150)
    draw.line([(x, HEIGHT - 30), (x + 40, HEIGHT - 300)], fill=(140, 100, 60), width=12)
    draw.polygon(
        [
            (x - 30, HEIGHT - 40),
            (x + 30, HEIGHT - 30),
            (x + 20, HEIGHT + 40),
            (x - 40, HEIGHT + 30),
        ],
        fill=(160, 165, 170),
    )
    if rng.random() < 0.7:
        _person(draw, rng, rng.randint(100, WIDTH - 100), row + rng.randint(80, 200), 300)


def bike(image: Image.Image, draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """A bike on a city street, on a grey morning or under the rain."""
    street = rng.randint(380, 450)
    grey = rng.random() < 0.6
    if grey:
        _gradient(draw, 0, street, (150, 160, 170), (200, 205, 210))
    else:
        _sky(draw, rng, street)
    x = -20
    while x < WIDTH:
        w, h = rng.randint(120, 200), rng.randint(200, 340)
        facade = _vary((215, 200, 180), rng, 25)
        draw.rectangle([x, street - h, x + w, street], fill=facade)
        for wy in range(street - h + 30, street - 60, 60):
            for wx in range(x + 20, x + w - 30, 45):
                draw.rectangle([wx, wy, wx + 24, wy + 34], fill=(90, 110, 130))
        x += w + rng.randint(0, 10)
    _gradient(draw, street, HEIGHT, (90, 95, 100), (60, 62, 66))
    draw.rectangle([0, street, WIDTH, street + 24], fill=(170, 170, 165))
    for y in range(street + 120, HEIGHT, 90):
        draw.line(
            [(rng.randint(0, 200), y), (rng.randint(800, WIDTH), y)], fill=(110, 115, 120), width=4
        )
    cx, ground, r = rng.randint(300, 700), HEIGHT - rng.randint(60, 120), 120
    frame = rng.choice([(200, 30, 40), (20, 110, 90), (30, 60, 150), (240, 180, 20)])
    rear, front = (cx - 170, ground - r), (cx + 170, ground - r)
    for wx, wy in (rear, front):
        draw.ellipse([wx - r, wy - r, wx + r, wy + r], outline=(25, 25, 25), width=14)
        for k in range(12):
            angle = math.radians(k * 30)
            dx, dy = int(r * 0.9 * math.cos(angle)), int(r * 0.9 * math.sin(angle))
            draw.line([(wx, wy), (wx + dx, wy + dy)], fill=(180, 180, 180), width=2)
    seat, bar, crank = (cx - 60, ground - r - 170), (cx + 120, ground - r - 190), (cx, ground - r)
    for a, b in (
        (rear, crank),
        (crank, seat),
        (seat, rear),
        (seat, (cx + 110, ground - r - 160)),
        ((cx + 110, ground - r - 160), crank),
        ((cx + 110, ground - r - 160), front),
    ):
        draw.line([a, b], fill=frame, width=14)
    draw.line(
        [(seat[0] - 40, seat[1] - 10), (seat[0] + 30, seat[1] - 10)], fill=(20, 20, 20), width=16
    )
    draw.line([(cx + 110, ground - r - 160), bar], fill=frame, width=12)
    draw.line([(bar[0] - 30, bar[1]), (bar[0] + 30, bar[1] - 10)], fill=(20, 20, 20), width=12)
    draw.ellipse([bar[0] + 10, bar[1] + 14, bar[0] + 40, bar[1] + 40], fill=(255, 240, 150))
    if grey and rng.random() < 0.7:
        for _ in range(260):
            x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
            draw.line([(x, y), (x - 6, y + 28)], fill=(220, 230, 240, 120), width=2)


def cartons(image: Image.Image, draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """The end of a collection day at the supermarket: cartons full of tins and packets."""
    _gradient(draw, 0, HEIGHT, _vary((235, 232, 225), rng), (205, 200, 190))
    for x in range(0, WIDTH, 200):
        draw.rectangle([x, 40, x + 180, 300], fill=(190, 200, 210))
        for y in range(60, 300, 60):
            draw.line([(x, y), (x + 180, y)], fill=(150, 160, 170), width=4)
            for px in range(x + 10, x + 170, 26):
                draw.rectangle([px, y - 40, px + 20, y - 2], fill=rng.choice(CLOTHES))
    table = rng.randint(420, 480)
    draw.rectangle([0, table, WIDTH, table + 40], fill=(60, 110, 170))
    for i in range(rng.randint(3, 5)):
        x = 60 + i * rng.randint(180, 230)
        top = table - rng.randint(150, 220)
        brown = _vary((190, 150, 100), rng, 15)
        draw.rectangle([x, top, x + 170, table + 150], fill=brown)
        draw.rectangle([x + 75, top, x + 95, table + 150], fill=_mix(brown, (255, 255, 255), 0.3))
        for _ in range(7):
            px, width = x + rng.randint(6, 130), rng.randint(26, 40)
            h = rng.randint(40, 80)
            draw.rectangle(
                [px, top - h, px + width, top + 6], fill=rng.choice(CLOTHES + [(230, 230, 230)])
            )
    if rng.random() < 0.8:
        _person(draw, rng, rng.randint(120, WIDTH - 120), HEIGHT - 10, 420)


def compost(image: Image.Image, draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """A shared compost bin in a garden, open, and the peelings of the week."""
    horizon = rng.randint(240, 300)
    _sky(draw, rng, horizon)
    for x in range(-40, WIDTH, 150):
        _tree(draw, rng, x + rng.randint(0, 70), horizon + 8, rng.randint(140, 200))
    _gradient(draw, horizon, HEIGHT, _vary((110, 160, 80), rng), (70, 120, 55))
    left, right = rng.randint(200, 320), rng.randint(700, 820)
    top, bottom = rng.randint(330, 380), HEIGHT - rng.randint(40, 80)
    wood = _vary((150, 105, 60), rng, 15)
    for y in range(top, bottom, 46):
        draw.rectangle([left, y, right, y + 38], fill=_vary(wood, rng, 10))
    for x in (left, right - 24):
        draw.rectangle([x, top - 20, x + 24, bottom], fill=_mix(wood, (0, 0, 0), 0.25))
    draw.rectangle([left + 24, top - 20, right - 24, top + 10], fill=(80, 55, 35))
    for _ in range(120):
        x, y = rng.randint(left + 30, right - 30), rng.randint(top - 40, top + 6)
        peel = rng.choice([(240, 140, 40), (120, 170, 60), (230, 210, 120), (160, 60, 40)])
        draw.ellipse([x - 10, y - 6, x + 10, y + 6], fill=peel)
    x = rng.choice([90, WIDTH - 150])
    draw.rounded_rectangle([x, bottom - 110, x + 90, bottom], radius=12, fill=(60, 140, 70))
    draw.arc(
        [x + 10, bottom - 150, x + 80, bottom - 80], start=180, end=360, fill=(40, 90, 50), width=6
    )


def workshop(image: Image.Image, draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """The Repair Café's table: a toaster open on the bench, tools, a lamp."""
    wall = _vary((230, 220, 200), rng, 15)
    _gradient(draw, 0, HEIGHT, wall, _mix(wall, (0, 0, 0), 0.2))
    for x in range(60, WIDTH, 110):
        draw.line([(x, 120), (x, 170)], fill=(120, 110, 100), width=3)
        draw.rectangle(
            [x - 12, 170, x + 12, 230],
            fill=rng.choice([(200, 40, 40), (40, 90, 200), (240, 180, 20)]),
        )
    bench = rng.randint(420, 480)
    draw.rectangle([0, bench, WIDTH, HEIGHT], fill=_vary((170, 120, 70), rng, 15))
    for y in range(bench + 30, HEIGHT, 60):
        draw.line([(0, y), (WIDTH, y)], fill=(140, 95, 55), width=3)
    tx = rng.randint(300, 560)
    draw.rounded_rectangle([tx, bench - 170, tx + 260, bench + 20], radius=40, fill=(200, 205, 210))
    for sx in (tx + 60, tx + 150):
        draw.rounded_rectangle([sx, bench - 160, sx + 50, bench - 140], radius=8, fill=(40, 40, 40))
    draw.rectangle([tx + 240, bench - 60, tx + 280, bench - 40], fill=(30, 30, 30))
    for _ in range(rng.randint(3, 5)):
        x, y = rng.randint(40, WIDTH - 200), rng.randint(bench + 60, HEIGHT - 40)
        draw.line([(x, y), (x + 150, y + rng.randint(-30, 30))], fill=(120, 125, 130), width=14)
        draw.ellipse([x + 130, y - 25, x + 180, y + 25], outline=(120, 125, 130), width=12)
    lx = rng.choice([120, WIDTH - 140])
    draw.polygon(
        [(lx - 70, 330), (lx + 70, 330), (lx + 30, 250), (lx - 30, 250)], fill=(30, 100, 90)
    )
    draw.polygon(
        [(lx - 70, 330), (lx + 70, 330), (lx + 160, bench), (lx - 160, bench)],
        fill=(255, 245, 200, 70),
    )
    draw.line([(lx, 250), (lx, 0)], fill=(40, 40, 40), width=4)


def river(image: Image.Image, draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """A river bank after the clean-up: the water, the far bank, the bags we filled."""
    horizon = rng.randint(220, 290)
    _sky(draw, rng, horizon)
    draw.rectangle([0, horizon, WIDTH, horizon + 20], fill=(90, 130, 70))  # the far bank
    for x in range(-60, WIDTH, 110):
        _tree(draw, rng, x + rng.randint(0, 50), horizon + 20, rng.randint(110, 160))
    bank = horizon + rng.randint(150, 200)
    _gradient(draw, horizon + 20, bank, (90, 120, 130), (120, 150, 160))
    for _ in range(20):
        y, x = rng.randint(horizon + 30, bank - 5), rng.randint(-50, WIDTH)
        draw.line([(x, y), (x + rng.randint(80, 200), y)], fill=(200, 215, 220, 110), width=2)
    mud = _vary((150, 130, 95), rng, 12)
    draw.polygon(
        [(0, bank), (WIDTH, bank - rng.randint(0, 40)), (WIDTH, HEIGHT), (0, HEIGHT)], fill=mud
    )
    _gradient(draw, bank + 60, HEIGHT, (110, 150, 70), (80, 120, 50))
    for i in range(rng.randint(3, 6)):
        _bag(
            draw,
            rng,
            100 + i * rng.randint(110, 160),
            HEIGHT - rng.randint(30, 80),
            rng.randint(110, 160),
        )
    for x in sorted(rng.randint(80, WIDTH - 80) for _ in range(rng.randint(1, 3))):
        _person(draw, rng, x, bank + rng.randint(90, 160), rng.randint(220, 280))


def tram(image: Image.Image, draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """Bordeaux's tram on its grass track, on the way to work."""
    horizon = rng.randint(300, 360)
    _sky(draw, rng, horizon)
    x = -30
    while x < WIDTH:
        w, h = rng.randint(140, 220), rng.randint(140, 230)
        draw.rectangle([x, horizon - h, x + w, horizon + 40], fill=_vary((225, 210, 180), rng, 15))
        for wy in range(horizon - h + 25, horizon, 50):
            for wx in range(x + 18, x + w - 28, 42):
                draw.rectangle([wx, wy, wx + 22, wy + 32], fill=(70, 80, 95))
        x += w
    _gradient(draw, horizon + 40, HEIGHT, (110, 170, 80), (80, 140, 60))
    for rail in (HEIGHT - 150, HEIGHT - 90):
        draw.line([(0, rail), (WIDTH, rail - 20)], fill=(150, 150, 155), width=8)
    left = rng.randint(-200, 200)
    top, bottom = horizon - 40, HEIGHT - 110
    body = rng.choice([(230, 230, 235), (200, 200, 210)])
    draw.rounded_rectangle([left, top, left + 900, bottom], radius=50, fill=body)
    draw.rectangle([left, bottom - 50, left + 900, bottom - 20], fill=(140, 30, 60))
    for wx in range(left + 40, left + 860, 110):
        draw.rounded_rectangle([wx, top + 30, wx + 80, top + 130], radius=10, fill=(60, 80, 100))
    draw.line([(left + 450, top), (left + 430, top - 60)], fill=(60, 60, 60), width=5)
    draw.line([(0, top - 60), (WIDTH, top - 70)], fill=(60, 60, 60), width=3)


SCENES: dict[str, Callable[[Image.Image, ImageDraw.ImageDraw, random.Random], None]] = {
    "plage": beach,
    "sacs": litter_bags,
    "bouteilles": bottles,
    "port": harbour,
    "haie": hedge,
    "velo": bike,
    "cartons": cartons,
    "compost": compost,
    "atelier": workshop,
    "berges": river,
    "tram": tram,
}


def draw_scene(scene: str, rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    # RGBA drawing on an RGB image: translucent fills (clouds, waves, light) blend in.
    SCENES[scene](image, ImageDraw.Draw(image, "RGBA"), rng)
    return _finish(image)


def photo_upload(scene: str, rng: random.Random, name: str = "photo.jpg") -> SimpleUploadedFile:
    """The scene as a phone would upload it: a JPEG file."""
    buffer = io.BytesIO()
    draw_scene(scene, rng).save(buffer, format="JPEG", quality=88)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
