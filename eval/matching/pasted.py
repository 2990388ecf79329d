"""Picture-in-picture sweep of the evaluation: the banked pictures pasted over busy backgrounds at
random, many more cases than the main table's six picture-in-picture rows.

Each case takes one banked picture, scales it to 20-60% of the width of a canvas (landscape, square,
portrait or a phone's 1080 x 1920), mirrors it a third of the time, pastes it at a random place over a
drawn scene of its own seed or one of the package photos (`transforms.picture_in_picture`, whose
backgrounds are brick, grass, gravel, coins, ...), and saves half of the copies as JPEG (quality 75 to
95). No page colour is left around the picture: only its outline tells where it is. A case is found
when any of the copy's query hashes lies within the threshold of the picture's own hash (a hash list
holds only that).
"""

from __future__ import annotations

import random
from collections import defaultdict

from PIL import Image

from childsafe.media.images import pdq_hash_image
from childsafe.media.queries import image_query_hashes
from eval.matching.corpus import Sample
from eval.matching.transforms import jpeg, picture_in_picture

CANVASES = ((960, 720), (1280, 720), (800, 800), (720, 960), (1080, 1920))
KINDS = ("drawn scene", "package photo")


def pasted(picture: Image.Image, rng: random.Random) -> tuple[str, Image.Image]:
    """(background kind, the copy) for one case drawn from ``rng``."""
    canvas = rng.choice(CANVASES)
    kind = rng.choice(KINDS)
    if rng.random() < 1 / 3:
        picture = picture.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    share = rng.uniform(0.2, 0.6)
    copy = picture_in_picture(picture, rng, share, "drawn" if kind == "drawn scene" else "photo", canvas)
    return kind, jpeg(copy, rng.randrange(75, 96)) if rng.random() < 0.5 else copy


def evaluate(pictures: list[Sample], cases: int, seed: int = 0, threshold: int = 31) -> dict[str, list[int]]:
    """Background kind -> [cases, found by naive PDQ, found by childsafe]."""
    rng = random.Random(f"pasted/{seed}")
    own = [int(pdq_hash_image(p.image).pdq, 16) for p in pictures]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for _ in range(cases):
        i = rng.randrange(len(pictures))
        kind, copy = pasted(pictures[i].image.convert("RGB"), rng)
        copy = copy.convert("RGB")
        row = counts[kind]
        row[0] += 1
        row[1] += (int(pdq_hash_image(copy).pdq, 16) ^ own[i]).bit_count() <= threshold
        row[2] += min((int(q.pdq, 16) ^ own[i]).bit_count() for q in image_query_hashes(copy)) <= threshold
    return dict(counts)
