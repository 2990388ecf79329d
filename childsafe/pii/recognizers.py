"""Recognizers for the personal details a child might share, in the style of Presidio.

Each recognizer has a name, reports one kind of detail with a confidence and the exact span, and
is run by ``RecognizerRegistry``. They see the text twice: as written (for spans) and folded
(look-alike letters and full-width digits made plain, same length), so simple disguises still match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from childsafe.pii.findings import PIIFinding

CONTEXT_WINDOW = 40
CONTEXT_BOOST = 0.15


@dataclass(frozen=True)
class Pattern:
    """A regular expression whose group ``pii`` (or the whole match) is the detail."""

    regex: re.Pattern[str]
    score: float
    accept: Callable[[re.Match[str]], float | None] | None = None  # adjust or reject (None) a match
    gate: re.Pattern[str] | None = None  # a cheap search that must hit before the full pattern runs


def pattern(expr: str, score: float, accept: Callable[[re.Match[str]], float | None] | None = None,
            *, ignore_case: bool = True, gate: str | None = None) -> Pattern:
    flags = re.IGNORECASE if ignore_case else 0
    return Pattern(re.compile(expr, flags), score, accept, re.compile(gate, flags) if gate else None)


class Recognizer:
    """One detector of one kind of personal detail."""

    name: str = "recognizer"
    kind: str = ""

    def analyze(self, text: str, folded: str, region: str) -> list[PIIFinding]:
        raise NotImplementedError


class PatternRecognizer(Recognizer):
    """Regular expressions plus context words that raise confidence when they appear just before."""

    def __init__(self, name: str, kind: str, patterns: list[Pattern], context: Iterable[str] = ()) -> None:
        self.name = name
        self.kind = kind
        self.patterns = list(patterns)
        context = tuple(context)
        self._context_re = re.compile(r"\b(?:" + "|".join(context) + r")\b", re.IGNORECASE) if context else None

    def analyze(self, text: str, folded: str, region: str) -> list[PIIFinding]:
        out = []
        for pat in self.patterns:
            if pat.gate is not None and pat.gate.search(folded) is None:
                continue
            for m in pat.regex.finditer(folded):
                score = pat.score
                if pat.accept is not None:
                    adjusted = pat.accept(m)
                    if adjusted is None:
                        continue
                    score = adjusted
                start, end = m.span("pii") if "pii" in pat.regex.groupindex else m.span()
                if start == end:
                    continue
                if self._context_re is not None and self._context_re.search(folded, max(0, start - CONTEXT_WINDOW), start):
                    score = min(1.0, score + CONTEXT_BOOST)
                out.append(PIIFinding(self.kind, start, end, score, self.name))
        return out


# --- phone ---------------------------------------------------------------------------------------

_DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
                "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_SPELLED_TOKEN = r"(?:zero|oh|o|nought|one|two|three|four|five|six|seven|eight|nine|double|triple|\d)"
_SPELLED_RUN = re.compile(r"(?<![\w])\+?" + _SPELLED_TOKEN + r"(?:[\s,.\-_/|*]*" + _SPELLED_TOKEN + r"){6,}(?![\w])",
                          re.IGNORECASE)
_SPELLED_GATE = re.compile(r"zero|one|two|three|four|five|six|seven|eight|nine|nought|double|triple|\boh\b",
                           re.IGNORECASE)
# "O7700 9OO123": letters O, o, l, I standing in for digits inside a run that is mostly digits
_LETTER_DIGITS = re.compile(r"(?<![A-Za-z])[\doOlI](?:[\doOlI]|[ .\-](?=[\doOlI])){5,}(?![A-Za-z])")
_LETTER_TO_DIGIT = str.maketrans("oOlI", "0011")


def _as_digits(m: re.Match[str]) -> str:
    run = m.group()
    digits = sum(ch.isdigit() for ch in run)
    return run.translate(_LETTER_TO_DIGIT) if digits >= 5 and digits >= (len(run.replace(" ", "")) * 0.5) else run


_PHONE_CONTEXT = re.compile(r"\b(?:call|ring|text|txt|number|num|no\.?|mobile|mob|phone|cell|whatsapp|wa|digits|"
                            r"contact|sms|facetime|dial|tel)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


class PhoneRecognizer(Recognizer):
    """Phone numbers in national and international forms via Google's libphonenumber port.

    Made-up and reserved numbers are what children are told to practise with and what tests use, so
    numbers that are merely *possible* count too, with less confidence than valid ones. Digits
    written out ("zero seven seven ...") or split by spaces and dots are read as well.
    """

    name = "phone_number"
    kind = "phone"

    def __init__(self, leniency: Leniency = Leniency.POSSIBLE) -> None:
        self.leniency = leniency

    def _score(self, number: phonenumbers.PhoneNumber, digits: int, folded: str, start: int) -> float | None:
        if phonenumbers.is_valid_number(number):
            score = 0.95
        elif digits >= 10:
            score = 0.7
        elif digits >= 7:
            score = 0.4
        else:
            return None
        if _PHONE_CONTEXT.search(folded, max(0, start - CONTEXT_WINDOW), start):
            score = min(1.0, score + 0.25)
        return score

    def analyze(self, text: str, folded: str, region: str) -> list[PIIFinding]:
        out = []
        if len(_DIGIT.findall(folded)) >= 5:
            folded = _LETTER_DIGITS.sub(_as_digits, folded)
        if len(_DIGIT.findall(folded)) >= 7:
            for m in PhoneNumberMatcher(folded, region, leniency=self.leniency, max_tries=50):
                digits = sum(ch.isdigit() for ch in m.raw_string)
                score = self._score(m.number, digits, folded, m.start)
                if score is not None:
                    out.append(PIIFinding(self.kind, m.start, m.end, score, self.name))
        if _SPELLED_GATE.search(folded) is None:
            return out
        for m in _SPELLED_RUN.finditer(folded):
            if not re.search(r"[a-z]", m.group(), re.IGNORECASE) or any(f.start <= m.start() < f.end for f in out):
                continue
            digits = _spelled_digits(m.group())
            if not 7 <= len(digits.lstrip("+")) <= 15:
                continue
            try:
                number = phonenumbers.parse(digits, region)
            except phonenumbers.NumberParseException:
                continue
            if not phonenumbers.is_possible_number(number):
                continue
            score = self._score(number, len(digits.lstrip("+")), folded, m.start())
            if score is not None:
                out.append(PIIFinding(self.kind, m.start(), m.end(), score, self.name + "_spelled"))
        return out


def _spelled_digits(run: str) -> str:
    out, repeat = ["+"] if run.startswith("+") else [], 1
    for token in re.findall(_SPELLED_TOKEN, run, re.IGNORECASE):
        token = token.lower()
        if token in ("double", "triple"):
            repeat = 2 if token == "double" else 3
            continue
        out.append((_DIGIT_WORDS.get(token) or token) * repeat)
        repeat = 1
    return "".join(out)


# --- shared vocabulary ---------------------------------------------------------------------------

_FILLER = {
    "and", "but", "so", "with", "lol", "haha", "because", "cos", "coz", "if", "when", "btw", "too", "now", "u",
    "you", "ur", "the", "a", "an", "is", "it", "its", "it's", "i", "im", "i'm", "me", "my", "not", "just", "really",
    "ok", "okay", "k", "pls", "please", "later", "tonight", "tomorrow", "then", "instead", "yeah", "yes", "no",
    "x", "xx", "xo", "bro", "mate", "sometime", "maybe", "soon", "there", "here", "too", "lmao", "lmk", "whats",
    "what", "why", "how", "where", "who", "to", "from", "of", "for", "at", "on", "in", "by", "or", "nah",
}
_HANDLE_STOP = _FILLER | {
    "down", "private", "broken", "banned", "blocked", "dead", "deleted", "gone", "new", "old", "same", "off",
    "open", "closed", "locked", "hacked", "good", "bad", "fun", "boring", "better", "full", "rubbish", "glitchy",
    "name", "username", "user", "handle", "account", "acc", "different", "weird", "mine", "yours", "this",
    "that", "again", "first", "dm", "dms", "chat", "app", "home", "school", "work", "park", "everyone", "anyone",
    "easier", "better", "safer", "quicker", "faster", "simpler", "nicer", "free", "fine", "cool", "quiet", "best",
    "more", "less", "instead", "too", "also", "only", "mostly", "sometimes", "always", "never", "anyway", "though",
}
_APPS = (r"snap(?:chat)?|sc|insta(?:gram)?|ig|tik\s?tok|tt|discord|kik|telegram|tg|whats\s?app|wa|twitter|"
         r"psn|xbox|xbl|gamer\s?tag|gt|roblox|fortnite|epic|steam|twitch|youtube|yt|facebook|fb|messenger|skype|"
         r"signal|wickr|bereal|threads|reddit|minecraft|mc|ign|switch\s+code|friend\s+code")


_SLANG_WITH_DIGITS = re.compile(r"(?i)2day|2nite|2night|2moro|2morrow|4ever|l8r|gr8|b4|w8|m8|2mrw|\d+(?:am|pm|s|th|st|nd|rd)?"
                                r"|\d+[.:]\d+")


def _handle_accept(m: re.Match[str]) -> float | None:
    value = m.group("pii").lstrip("@")
    if value.lower() in _HANDLE_STOP or not re.search(r"[a-z0-9]", value, re.IGNORECASE):
        return None
    return 0.85 if re.search(r"[\d_.@]", m.group("pii")) else 0.7


_CODE_AFTER = re.compile(r"[ \t]*\n[ \t]*(?:def|class|async|function|public|private|protected|static|export|get|"
                         r"set|@)\b")


def _bare_at_accept(m: re.Match[str]) -> float | None:
    if m.group("pii")[1:].lower() in _HANDLE_STOP:
        return None
    text, end = m.string, m.end()
    at_line_start = not text[text.rfind("\n", 0, m.start()) + 1:m.start()].strip()
    if text[end:end + 1] == "(" or (at_line_start and _CODE_AFTER.match(text, end)):
        return None  # a code decorator such as "@property", not someone's handle
    return 0.7


# --- age and birthday ----------------------------------------------------------------------------

_NUMBER_WORDS = {"five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                 "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
                 "nineteen": 19, "twenty": 20}
_AGE_NUMBER = r"(?:\d{1,2}\b|" + "|".join(_NUMBER_WORDS) + r")"
_NOT_AN_AGE_AFTER = (r"(?!\s*(?:%|mins?\b|minutes?|hours?|hrs?\b|h\b|pm\b|am\b|o'?clock|seconds?|secs?\b|km\b|miles?|"
                     r"m\b|ft\b|feet|foot|cm\b|kg\b|lbs?\b|points?|pts\b|quid|pounds?|dollars?|euros?|p\b|:\d|\.\d|"
                     r"th\b|st\b|nd\b|rd\b|x\b|/\d|-\d|out\s+of|of\s+\d|times|in\s+a\s+row|goals?|wins?|kills?|"
                     r"level|lvl|stars?|days?|weeks?|months?\s+(?!old))|\s+(?:and|&)\s+\d)")
_YEARS_OLD = r"(?:\s*(?:years?|yrs?|yr|yo)(?:\s*old)?|\s*y\s*/\s*o\b|\s*y\.o\.?)"


def _age_value(m: re.Match[str]) -> int | None:
    raw = re.match(r"\d{1,2}|[a-z]+", m.group("pii"), re.IGNORECASE)
    if raw is None:
        return None
    word = raw.group().lower()
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)


def _age_accept(m: re.Match[str]) -> float | None:
    age = _age_value(m)
    if age is None:
        return None
    explicit = re.search(r"y(?:ea)?rs?|yo|y\s*/\s*o|y\.o", m.group("pii"), re.IGNORECASE) is not None
    if explicit:
        return 0.9 if 3 <= age <= 99 else None
    return 0.75 if 6 <= age <= 19 else None


_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b")
_DATE = (r"(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?:19|20)\d{2})?|"
         + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d{2})?|"
         r"\d{1,2}[/.\-]\d{1,2}(?:[/.\-](?:19|20)?\d{2})?\b|(?:19|20)\d{2}-\d{2}-\d{2})")


# --- names, places -------------------------------------------------------------------------------

_NAME_WORD = r"[a-z][a-z'\-]+"
_CAP_NAME = r"[A-Z][a-z'\-]+"


def _full_name_accept(m: re.Match[str]) -> float | None:
    words = m.group("pii").split()
    if any(w.lower() in _FILLER or w.lower() in _NOT_NAMES for w in words):
        return None
    return 0.85 if all(w[0].isupper() for w in words) else 0.7


_NOT_NAMES = {"called", "going", "from", "here", "fine", "good", "bored", "tired", "home", "back", "sorry", "new",
              "sure", "single", "online", "busy", "free", "alone", "ready", "gonna", "playing", "doing", "being",
              "age", "years", "year", "old", "the", "not", "only", "kinda", "so", "very", "school", "still", "also"}

_SCHOOL_TYPE = (r"(?:primary\s+school|secondary\s+school|high\s+school|middle\s+school|elementary(?:\s+school)?|"
                r"grammar(?:\s+school)?|junior\s+(?:school|high)|prep(?:\s+school)?|school|academy|high|college|"
                r"primary|secondary|comp|comprehensive|sixth\s+form)")
_SCHOOL_GENERIC = {"the", "a", "my", "our", "local", "big", "new", "same", "normal", "private", "state", "boarding",
                   "catholic", "secondary", "primary", "high", "school", "academy", "college", "sixth", "form",
                   "middle", "junior", "elementary", "grammar", "prep", "comp", "comprehensive", "to", "your", "ur",
                   "an", "online", "home", "summer", "sunday", "dance", "driving", "art", "swim", "swimming",
                   "football", "coding", "music", "after", "this", "that", "at", "in", "nearby"}


def _school_accept(m: re.Match[str]) -> float | None:
    words = re.findall(r"[\w']+", m.group("pii").lower())
    return None if all(w in _SCHOOL_GENERIC for w in words) else 0.85


def _named_school_accept(m: re.Match[str]) -> float | None:
    words = re.findall(r"[\w']+", m.group("pii").lower())
    return None if all(w in _SCHOOL_GENERIC for w in words) else 0.6


_PLACE_WORDS = (r"(?P<pii>(?:the\s+)?[\w'.\-]+(?:\s+(?!(?:and|but|so|with|lol|haha|because|cos|if|when|btw|too|now|"
                r"u|you|i|im|its|it|my|wbu|hbu|what|where|why|how|though|tho|rn|x+)\b)[\w'.\-]+){0,4})")


_NOT_PLACES = {"a", "an", "my", "your", "ur", "here", "there", "where", "what", "when", "now", "then", "it", "that",
               "this", "today", "tomorrow", "yesterday", "fear", "hope", "peace", "time", "work"}


def _place_accept(m: re.Match[str]) -> float | None:
    words = m.group("pii").lower().split()
    if not words or words[0] in _NOT_PLACES or " ".join(words[:2]) in ("the future", "the past"):
        return None
    return 0.75


def _address_accept(m: re.Match[str]) -> float | None:
    words = re.findall(r"[a-z']+", m.group("street").lower())
    bad = {"to", "and", "a", "of", "in", "on", "at", "for", "my", "your", "more", "mins", "minutes", "hours", "miles",
           "way", "one", "two", "times", "people", "kids", "is", "are", "was", "i", "we", "you", "it", "or"}
    return None if any(w in bad or w in _FILLER for w in words) else 0.85


_STREET_TYPE = (r"(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|close|court|ct|crescent|cres|way|place|pl|"
                r"terrace|grove|gardens|gdns|boulevard|blvd|hill|mews|row|square|sq|walk|parade|rise|green|view|"
                r"highway|hwy|parkway|pkwy|circle|cir|trail)")

_US_STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
              "ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC")


def _postcode_accept(m: re.Match[str]) -> float | None:
    value = m.group("pii")
    ordinal = re.search(r"(\d)(st|nd|rd|th)$", value, re.IGNORECASE)
    if ordinal and ordinal.group(2).lower() == {"1": "st", "2": "nd", "3": "rd"}.get(ordinal.group(1), "th"):
        return None
    if value.isupper():
        return 0.85
    return 0.6 if " " in value else 0.45


def default_recognizers() -> list[Recognizer]:
    """Every built-in recognizer; ``RecognizerRegistry`` runs them together."""
    return [
        PhoneRecognizer(),
        PatternRecognizer("email_address", "email", [
            pattern(r"(?<![\w.+\-])(?P<pii>[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,})", 0.95, gate=r"@"),
            pattern(r"(?<![\w.])(?P<pii>[a-z0-9_%+\-]+(?:(?:\.|\s*\(dot\)\s*|\s*\[dot\]\s*|\s+dot\s+)[a-z0-9_%+\-]+){0,3}\s*(?:\(at\)|\[at\]|\{at\}|\s+at\s+)\s*"
                    r"(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|live|aol|proton(?:mail)?|mail|gmx|btinternet|me)"
                    r"\s*(?:(?:\(dot\)|\[dot\]|\{dot\}|\s+dot\s+|\.)\s*[a-z]{2,6}){1,2})\b", 0.8, gate=r"\bat\b|\(at\)|\[at\]|\{at\}"),
        ], context=("email", "e-mail", "mail", "contact")),
        PatternRecognizer("street_address", "address", [
            pattern(r"\b(?P<pii>(?:(?:flat|apt|apartment|unit)\s*\d+[a-z]?,?\s+)?\d{1,5}[a-z]?,?\s+"
                    r"(?P<street>(?:[a-z][\w'\-]*\s+){1,3})" + _STREET_TYPE + r")\b", 0.85, _address_accept, gate=r"\d"),
        ], context=("live", "address", "house", "home", "come to", "deliver", "send it to")),
        PatternRecognizer("uk_postcode", "postcode", [
            pattern(r"\b(?P<pii>GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b", 0.85,
                    _postcode_accept, gate=r"\d"),
        ], context=("postcode", "post code", "live", "address", "area")),
        PatternRecognizer("us_zip", "zip", [
            pattern(r"\b(?:zip|zip\s*code|zipcode|postal\s*code|post\s*code)\s*(?:is|'s|:|=|-)?\s*(?P<pii>\d{5}(?:-\d{4})?)\b", 0.85, gate=r"zip|postal|post\s*code"),
            pattern(r"\b(?:" + _US_STATES + r")\s+(?P<pii>\d{5}(?:-\d{4})?)\b", 0.8, ignore_case=False, gate=r"\d{5}"),
            pattern(r"(?<![\d\-])(?P<pii>\d{5}-\d{4})(?![\d\-])", 0.55, gate=r"\d{5}-"),
        ]),
        PatternRecognizer("school_name", "school", [
            pattern(r"\b(?:i\s+go\s+(?:to|2)|i\s+attend|i\s*'?\s*m\s+at|im\s+at|i\s+am\s+at|i\s+study\s+at|i\s+went\s+(?:to|2)|"
                    r"we\s+(?:both\s+|all\s+)?go\s+(?:to|2)|i\s*'?\s*m\s+in\s+(?:year|yr|y)\s*\d{1,2}\s+at|"
                    r"i\s+am\s+in\s+(?:year|yr|y)\s*\d{1,2}\s+at|i\s+go|"
                    r"my\s+(?:school|skool|skl|scool)\s+is|my\s+(?:school|skool)'?s|i\s+started\s+at|i'?m\s+starting\s+at|"
                    r"i\s+moved\s+(?:to|2))\s+"
                    r"(?P<pii>(?:[\w'.\-]+\s+){0,4}?" + _SCHOOL_TYPE + r")\b", 0.85, _school_accept, gate=r"school|academy|high|college|primary|secondary|comp|sixth|prep|grammar|elementary"),
            pattern(r"(?i:\bmy\s+school\s+(?:is|'s|:)\s+)(?P<pii>[A-Z][\w'.\-]*(?:\s+[A-Z][\w'.\-]*){0,3})", 0.7,
                    ignore_case=False, gate=r"school"),
            pattern(r"\b(?P<pii>(?:St\.?\s+)?(?:[A-Z][\w'\-]+\s+){1,3}(?:Primary School|Secondary School|High School|"
                    r"Middle School|Elementary School|Grammar School|Junior School|Prep School|School|Academy|High|"
                    r"College|Primary|Comprehensive))\b", 0.6, _named_school_accept, ignore_case=False, gate=r"school|academy|high|college|primary|comprehensive"),
        ], context=("school", "go to", "attend", "year", "class", "uniform")),
        PatternRecognizer("home_area", "home_area", [
            # the end of an introduction: "I'm Mia, 12, from Leeds"
            pattern(r"\b(?:i\s*'?\s*m|im|i\s+am|my\s+name\s+is)\s+[^.!?\n]{0,40}?,\s*(?:from|frm)\s+" + _PLACE_WORDS, 0.6,
                    _place_accept, gate=r",\s*fro?m"),
            pattern(r"\b(?:i\s+live|i\s*'?\s*m\s+living|im\s+living|we\s+live|i\s+stay|my\s+(?:house|home|flat)\s+is|"
                    r"our\s+(?:house|home|flat)\s+is|i\s+moved|we\s+moved|my\s+street\s+is|my\s+road\s+is|"
                    r"my\s+house'?s|i\s+live\s+like)\s+(?:right\s+|just\s+|really\s+)?(?:near|in|on|by|"
                    r"next\s+to|opposite|behind|round\s+the\s+corner\s+from|around\s+the\s+corner\s+from|close\s+to|"
                    r"off|above|across\s+from|over\s+the\s+road\s+from|down\s+the\s+road\s+from|outside)\s+"
                    + _PLACE_WORDS, 0.75, _place_accept, gate=r"liv|stay|house|home|flat|moved|street|road"),
            pattern(r"\b(?:i\s*'?\s*m\s+from|im\s+from|i\s+am\s+from|i\s+come\s+from|my\s+street\s+is|my\s+road\s+is)\s+"
                    + _PLACE_WORDS, 0.6, _place_accept, gate=r"from|street|road"),
        ], context=("live", "house", "home")),
        PatternRecognizer("coordinates", "coordinates", [
            pattern(r"(?<![\d.])(?P<pii>[-+]?(?:[1-8]?\d\.\d{3,}|90\.0{3,})\s*,\s*[-+]?(?:1[0-7]\d|[1-9]?\d|180)\.\d{3,})(?![\d.])", 0.9, gate=r"\d\.\d"),
            pattern(r"(?P<pii>\d{1,3}\s*°\s*\d{1,2}\s*['′]\s*(?:\d{1,2}(?:\.\d+)?\s*[\"″]\s*)?[ns]\s*,?\s*"
                    r"\d{1,3}\s*°\s*\d{1,2}\s*['′]\s*(?:\d{1,2}(?:\.\d+)?\s*[\"″]\s*)?[ew])\b", 0.9, gate="°"),
        ]),
        PatternRecognizer("map_link", "map_link", [
            pattern(r"(?P<pii>(?:https?://)?(?:www\.)?(?:google\.[a-z.]{2,6}/maps|maps\.google\.[a-z.]{2,6}|goo\.gl/maps|"
                    r"maps\.app\.goo\.gl|maps\.apple\.com|maps\.apple|what3words\.com|w3w\.co|openstreetmap\.org|"
                    r"osm\.org|waze\.com/ul|bing\.com/maps|findmy\.apple\.com|share\.here\.com)[^\s]*)", 0.95, gate=r"map|goo\.gl|what3|w3w|osm|waze|here\.com|findmy"),
            pattern(r"(?<![\w/])(?P<pii>///[a-z]+\.[a-z]+\.[a-z]+)\b", 0.9, gate=r"///"),
            pattern(r"\b(?:w3w|what\s?3\s?words)\s*(?:is|:|=|-)?\s*(?P<pii>(?:///)?[a-z]+\.[a-z]+\.[a-z]+)\b", 0.9, gate=r"w3w|what\s?3"),
        ], context=("location", "here", "where", "pin", "maps")),
        PatternRecognizer("app_handle", "handle", [
            pattern(r"\b(?:my\s+)?(?:" + _APPS + r")\b\s*(?:name|username|user|handle|id|tag|acc(?:ount)?)?\s*"
                    r"(?:is|'s|=|:|-)\s*(?:just\s+|like\s+)?(?P<pii>@?[a-z0-9_.\-]{3,30})", 0.85, _handle_accept,
                    gate=r"(?:is|'s|=|:|-)\s*(?:just\s+|like\s+)?@?[a-z0-9_.\-]{3}"),
            pattern(r"\b(?:add|follow|message|msg|dm|text|find|hmu|hit\s+me\s+up|search|friend)\s+(?:me\s+)?(?:on|at|in)\s+"
                    r"(?:" + _APPS + r")\s*[:\-=,]?\s*(?:(?:it'?s|i'?m|as|username|user|name)\s*[:\-=]?\s*)?"
                    r"(?P<pii>@?[a-z0-9_.\-]{3,30})", 0.85, _handle_accept, gate=r"add|follow|message|msg|dm|text|find|hmu|hit\s+me|search|friend"),
            pattern(r"\b(?:" + _APPS + r")\s+(?P<pii>@?[a-z0-9_.\-]{3,30})", 0.75,
                    lambda m: 0.75 if _handle_accept(m) == 0.85 and not _SLANG_WITH_DIGITS.fullmatch(m.group("pii")) else None,
                    gate=r"[\d_.]"),
            pattern(r"\b(?:hmu|hit\s+me\s+up|add\s*me)\s*[:\-]?\s*(?:on\s+(?:" + _APPS + r")\s*[:\-]?\s*)?"
                    r"(?P<pii>@?[a-z0-9_.\-]{3,30})", 0.8,
                    lambda m: 0.8 if _handle_accept(m) == 0.85 else None, gate=r"hmu|hit\s+me|add\s+me"),
            pattern(r"\b(?:username|user\s?name|gamertag|ign|handle)\s*(?:is|'s|:|=|-)\s*(?P<pii>@?[a-z0-9_.\-]{3,30})",
                    0.85, _handle_accept, gate=r"user|gamertag|ign|handle"),
            pattern(r"(?<![\w@.])(?P<pii>@[a-z0-9_](?:[a-z0-9_.]{1,28}[a-z0-9_]))", 0.7, _bare_at_accept, gate=r"@"),
            pattern(r"\b(?P<pii>[a-z0-9_.]{2,32}#\d{4})\b", 0.85, gate=r"#"),
        ], context=_APPS.split("|")[:8]),
        PatternRecognizer("age_statement", "age", [
            # an introduction: "I'm Mia Jones, 12, from Leeds" / "im leo, 13 yrs old"
            pattern(r"\b(?:i\s*'?\s*m|im|i\s+am|my\s+name\s+is|my\s+name'?s|this\s+is)\s+[a-z][a-z'\-]+(?:\s+[a-z][a-z'\-]+)?"
                    r"\s*,\s*(?P<pii>" + _AGE_NUMBER + _YEARS_OLD + r"?)\s*(?=[,.!/]|\s+(?:and|from|frm)\b|$)", 0.75,
                    _age_accept, gate=r","),
            pattern(r"\b(?:i\s*'?\s*m|im|i\s+am|am|i\s+turned|i\s*'?\s*m\s+turning|im\s+turning|i\s+turn|turning|"
                    r"i\s+will\s+be|i\s*'?\s*ll\s+be|ill\s+be)\s+(?:only\s+|just\s+|nearly\s+|almost\s+|like\s+)?"
                    r"(?P<pii>" + _AGE_NUMBER + _YEARS_OLD + r"?)\b" + _NOT_AN_AGE_AFTER, 0.75, _age_accept, gate=r"\d|five|six|seven|eight|nine|ten|eleven|twelve|teen|twenty"),
            pattern(r"\b(?P<pii>\d{1,2}\s*(?:years?|yrs?)\s*old|\d{1,2}\s*y\s*/\s*o|\d{1,2}yo)\b", 0.6, _age_accept, gate=r"\d"),
            pattern(r"\b(?:my\s+age\s+is|my\s+age'?s|age\s*[:=]|aged|age)\s*(?P<pii>" + _AGE_NUMBER + r")" + _NOT_AN_AGE_AFTER,
                    0.8, _age_accept, gate=r"age"),
            pattern(r"(?:^|\basl\W*)(?P<pii>\d{1,2})\s*[/,]?\s*(?:m|f|male|female|boy|girl)[\s/,]+[a-z]\w*", 0.75,
                    _age_accept, gate=r"\d"),
        ], context=("age", "old", "asl", "year")),
        PatternRecognizer("birthday", "birthday", [
            pattern(r"\b(?:birthday|bday|b-day|b'day|birth\s*date|date\s+of\s+birth|dob|born)\s*(?:is|'s|s|was|:|=)?\s*"
                    r"(?:on\s+)?(?:the\s+)?(?P<pii>" + _DATE + r")", 0.85, gate=r"birth|bday|b-day|b'day|dob|born"),
            pattern(r"\bborn\s+in\s+(?P<pii>(?:19|20)\d{2})\b", 0.7, gate=r"born"),
        ]),
        PatternRecognizer("full_name", "full_name", [
            pattern(r"\b(?:my\s+(?:full\s+|real\s+|whole\s+)?name\s*(?:is|'s|s|=|:)|i\s*'?\s*m\s+called|im\s+called|"
                    r"name\s*:)[ \t]*(?P<pii>" + _NAME_WORD + r"[ \t]+" + _NAME_WORD + r"(?:[ \t]+(?!(?:and|but|im|i|from|lol|btw|here|x|age|aged)\b)" + _NAME_WORD + r")?)", 0.8,
                    _full_name_accept, gate=r"name|called"),
            pattern(r"(?i:\b(?:i\s*'?\s*m|i\s+am|this\s+is|it'?s|call\s+me)\s+)(?P<pii>" + _CAP_NAME + r"[ \t]+"
                    + _CAP_NAME + r")\b", 0.6, lambda m: None if _full_name_accept(m) is None else 0.6,
                    ignore_case=False, gate=r"[A-Z][a-z'\-]+\s+[A-Z][a-z]"),
        ]),
    ]


def all_kinds(recognizers: Iterable[Recognizer]) -> set[str]:
    return {r.kind for r in recognizers}
