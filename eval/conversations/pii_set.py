"""A labelled set of messages with personal details (and look-alikes that are not), with spans.

``python -m eval.conversations.pii_set`` rewrites ``data/pii.jsonl``: one object per message,
``{"id", "split", "text", "findings": [{"kind", "start", "end"}]}``. Templates hold ``{kind}``
slots; the value put in a slot is a made-up personal detail whose span is recorded. Numbers are
from ranges reserved for fiction (Ofcom 07700 900xxx, 0161 496 0xxx, 020 7946 0xxx; US 555-01xx).
Templates are split like the conversation pools: some only in dev, some only in test.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from eval.conversations.generate import split_allows

SEED = 20261126
PATH = Path(__file__).resolve().parent / "data" / "pii.jsonl"

FIRST = ["Mia", "Leo", "Ava", "Noah", "Isla", "Ollie", "Zara", "Finn", "Ruby", "Kai", "Esme", "Theo"]
LAST = ["Jones", "Carter", "Okafor", "Patel", "Novak", "Hughes", "Lewis", "Byrne", "Mensah", "Kowalski"]
TOWNS = ["Millbrook", "Ashford Vale", "Kingsmere", "Oakridge", "Bramley", "Hollowfield", "Westcombe"]
STREETS = ["Mill", "Oak", "Birch", "Station", "Church", "Willow", "Maple", "Elm", "Victoria", "Kings"]
STREET_TYPES = ["Lane", "Road", "Close", "Street", "Avenue", "Drive", "Crescent", "Way", "Rd", "St", "Gardens", "Terrace"]
HANDLES = ["mia_xo22", "skyrunner_14", "pixelfox.99", "leo.k", "frostbyte_", "nightowl2012", "zee.r0x", "lemonzest7"]
WORDS = ["index", "home", "raft", "table", "chair", "lamp", "filled", "count", "soap", "river", "blue", "stone"]


def _d(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


VALUES = {
    "phone": [
        lambda r: f"07700 900{_d(r, 3)}", lambda r: f"+44 7700 900{_d(r, 3)}", lambda r: f"07700900{_d(r, 3)}",
        lambda r: "0 7 7 0 0 9 0 0 " + " ".join(_d(r, 3)), lambda r: f"07700.900.{_d(r, 3)}",
        lambda r: f"(0161) 496 0{_d(r, 3)}", lambda r: f"020 7946 0{_d(r, 3)}", lambda r: f"+1 415 555 01{_d(r, 2)}",
        lambda r: f"(212) 555-01{_d(r, 2)}", lambda r: "zero seven seven zero zero nine zero zero one two three",
        lambda r: f"0771 0 900 {_d(r, 3)}", lambda r: f"+447700900{_d(r, 3)}",
    ],
    "email": [
        lambda r: f"{r.choice(FIRST).lower()}{_d(r, 2)}@example.com",
        lambda r: f"{r.choice(FIRST).lower()}.{r.choice(LAST).lower()}@mail.example.org",
        lambda r: f"{r.choice(FIRST).lower()} at gmail dot com",
        lambda r: f"{r.choice(HANDLES)}@example.co.uk",
        lambda r: f"{r.choice(FIRST).lower()}(at)hotmail(dot)co(dot)uk",
    ],
    "address": [
        lambda r: f"{r.randint(1, 240)} {r.choice(STREETS)} {r.choice(STREET_TYPES)}",
        lambda r: f"{r.randint(1, 99)} {r.choice(STREETS).lower()} {r.choice(STREET_TYPES).lower()}",
        lambda r: f"Flat {r.randint(1, 20)}, {r.randint(1, 99)} {r.choice(STREETS)} {r.choice(STREET_TYPES)}",
        lambda r: f"{r.randint(100, 2400)} {r.choice(STREETS)} {r.choice(['Avenue', 'Street', 'Boulevard', 'Drive'])}",
    ],
    "postcode": [lambda r: r.choice(["KM4 7QT", "BS1 4DJ", "M1 1AE", "LS6 2QU", "EH1 1YZ", "CF10 3NQ", "B33 8TH"]),
                 lambda r: r.choice(["sw1a 1aa", "ox4 1bd", "ng7 2rd", "l1 8jq"])],
    "zip": [lambda r: r.choice(["90210", "10001", "62704", "30301", "73301"]), lambda r: f"3030{r.randrange(10)}-12{_d(r, 2)}"],
    "school": [
        lambda r: f"{r.choice(TOWNS)} Academy", lambda r: f"{r.choice(TOWNS)} High School",
        lambda r: f"{r.choice(TOWNS)} Primary", lambda r: f"St {r.choice(['Mary', 'John', 'Anne', 'Peter'])}'s Primary School",
        lambda r: f"{r.choice(TOWNS).lower()} community college", lambda r: f"{r.choice(TOWNS)} Grammar",
    ],
    "home_area": [
        lambda r: f"the big tesco in {r.choice(TOWNS)}", lambda r: f"{r.choice(STREETS).lower()} lane",
        lambda r: r.choice(TOWNS), lambda r: f"the park on {r.choice(STREETS)} Road",
        lambda r: f"the chip shop in {r.choice(TOWNS).lower()}",
    ],
    "coordinates": [lambda r: f"51.50{_d(r, 2)}, -0.12{_d(r, 2)}", lambda r: f"40.71{_d(r, 2)}, -74.00{_d(r, 2)}",
                    lambda r: "53°28'N 2°14'W", lambda r: f"-33.86{_d(r, 2)},151.20{_d(r, 2)}"],
    "map_link": [
        lambda r: "https://maps.app.goo.gl/" + "".join(r.choice("abcdefXYZ123") for _ in range(10)),
        lambda r: f"https://www.google.com/maps/place/{r.choice(TOWNS).replace(' ', '+')}/@51.5,-0.12,15z",
        lambda r: "https://maps.apple.com/?ll=51.50,-0.12", lambda r: "///" + ".".join(r.sample(WORDS, 3)),
        lambda r: "goo.gl/maps/" + "".join(r.choice("abcXYZ789") for _ in range(8)),
    ],
    "handle": [lambda r: r.choice(HANDLES), lambda r: "@" + r.choice(HANDLES).rstrip("._"),
               lambda r: r.choice(["frostbyte", "pixelfox", "zee"]) + f"#{_d(r, 4)}"],
    "age": [lambda r: str(r.randint(9, 16)), lambda r: f"{r.randint(9, 16)} years old", lambda r: f"{r.randint(9, 16)} yrs old",
            lambda r: r.choice(["twelve", "thirteen", "eleven", "fourteen"])],
    "birthday": [lambda r: f"{r.randint(1, 28)}th {r.choice(['march', 'June', 'october', 'Jan', 'dec'])}",
                 lambda r: f"{r.choice(['March', 'july', 'Nov'])} {r.randint(1, 28)}",
                 lambda r: f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/20{r.randint(9, 15):02d}",
                 lambda r: f"{r.randint(1, 28)}/{r.randint(1, 12)}"],
    "full_name": [lambda r: f"{r.choice(FIRST)} {r.choice(LAST)}", lambda r: f"{r.choice(FIRST).lower()} {r.choice(LAST).lower()}"],
}

TEMPLATES: list[str] = [
    "text me on {phone} after school", "my number is {phone}", "ring me {phone} x", "{phone} thats my mobile",
    "call me on {phone} when ur free", "its {phone}", "my mums number is {phone} if u need it",
    "whatsapp me {phone}", "new number: {phone}", "here u go {phone}",
    "my email is {email}", "email me at {email}", "send it to {email} pls", "{email} is my school email",
    "u can reach me on {email}", "my email's {email}", "contact {email}",
    "i live at {address}", "come round to {address}", "my address is {address}, {postcode}",
    "it's {address} the blue door", "we moved to {address} last year", "send the present to {address}",
    "my postcode is {postcode}", "postcode {postcode}", "its {postcode} if u need it for the sat nav",
    "my zip is {zip}", "we're in Springfield, IL {zip}", "zip code: {zip}", "send it to {zip}",
    "I go to {school}", "i go to {school} lol", "im at {school}", "my school is {school}",
    "i'm in year 8 at {school}", "we both go to {school} right", "i started at {school} in september",
    "i live near {home_area}", "i live on {home_area}", "we live next to {home_area}", "im from {home_area}",
    "i live right by {home_area}", "my house is opposite {home_area}",
    "im here {coordinates}", "location {coordinates}", "{coordinates} come find me", "meet at {coordinates}",
    "this is where i am {map_link}", "{map_link}", "here's my location {map_link}", "pin: {map_link}",
    "my snap is {handle}", "add me on insta: {handle}", "hmu {handle}", "my discord is {handle}",
    "follow me on tiktok {handle}", "psn: {handle}", "my username is {handle}", "add me on snap its {handle}",
    "im {age}", "i'm {age}", "im {age} wbu", "age: {age}", "i'll be {age} next week", "im turning {age}",
    "im only {age} lol", "i am {age}",
    "my birthday is {birthday}", "my bday is on {birthday}", "born on {birthday}", "its my birthday on the {birthday}",
    "dob {birthday}", "my b-day is {birthday}!!",
    "my name is {full_name}", "my full name is {full_name}", "my name's {full_name}", "I'm called {full_name}",
    "hi my name is {full_name} and im {age}", "im {age} and i go to {school}", "my snap is {handle} or text {phone}",
    "i live at {address} {postcode}", "I'm {full_name}, {age}, from {home_area}",
]

NEGATIVES: list[str] = [
    "meet at the park at 4", "i have 3 dogs and 2 cats", "we won 12-3 today", "my high score is 12345",
    "it costs £20", "that was 2 years ago", "im on level 12", "read page 45 for homework", "in the year 2012",
    "im at school", "i live for pizza lol", "call me later", "add me later", "I'm so tired", "i am 100% sure",
    "ring at 5", "room 101", "question 12 is hard", "call of duty is fun", "i go to bed at 10",
    "my snap is down", "im 5 mins away", "im 2 cool for school", "the bus is the 42", "school starts at 8:45",
    "i got 1234567 robux lol", "we need 30 more points", "my school is so boring", "im from the future lol",
    "my name is on the list", "the score was 3-1 in the 90th minute", "its 12:30 already", "I have 100% battery",
    "i ran 5 km", "see you at 7", "the test is on chapter 9", "happy 13th birthday to my sister!!",
    "it was 2-2 at half time", "i'm in year 8", "my brother got 99 in the exam", "that's 3 hours away",
    "i go to football on saturdays", "we live in a flat", "my house is a mess", "i'm Going Home now",
    "add me to the group chat", "the code is 4821 for the game room", "version 2.1.0 is out", "top 10 songs",
    "meet me at the library", "my mum is 42", "turn to page 112", "i got 5 stars", "lol 555",
    "my favourite number is 7", "we scored 21 points", "the match is at 3pm", "its 20 degrees",
    "the train leaves at 16:45", "my phone is on 12%", "I'm at the shops", "i live with my gran",
    "the high street was busy", "the academy awards are tonight", "my email is broken", "im 100 percent done",
    "call me when ur home", "we moved here last year", "my bday party was sick", "born to be wild",
    "follow the rules", "username taken again", "i'm twelve minutes late", "grade 7 piano!", "i'm 1st in the league",
]


def build() -> list[dict]:
    rng = random.Random(SEED)
    rows = []
    number = 0
    for split in ("dev", "test"):
        templates = [t for i, t in enumerate(TEMPLATES) if split_allows(i, split)]
        negatives = [t for i, t in enumerate(NEGATIVES) if split_allows(i, split)]
        for template in templates * 3:
            number += 1
            text, findings, pos = "", [], 0
            for m in re.finditer(r"\{(\w+)\}", template):
                text += template[pos:m.start()]
                value = rng.choice(VALUES[m.group(1)])(rng)
                findings.append({"kind": m.group(1), "start": len(text), "end": len(text) + len(value)})
                text += value
                pos = m.end()
            text += template[pos:]
            rows.append({"id": f"pii-{number:04d}", "split": split, "text": text, "findings": findings})
        for text in negatives:
            number += 1
            rows.append({"id": f"pii-{number:04d}", "split": split, "text": text, "findings": []})
    return rows


def load(split: str | None = None) -> list[dict]:
    rows = [json.loads(line) for line in PATH.open(encoding="utf-8")]
    return [r for r in rows if split is None or r["split"] == split]


def main() -> None:
    rows = build()
    with PATH.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{PATH}: {len(rows)} messages, {sum(len(r['findings']) for r in rows)} personal details")


if __name__ == "__main__":
    main()
