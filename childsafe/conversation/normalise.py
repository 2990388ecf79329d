"""Undoing the tricks people use to slip past word filters, while remembering where each word came from.

Offenders (and everyone else) write "s n a p", "s3cr3t", "ѕnар" with Cyrillic letters, "👻" for Snapchat,
"u r" for "you are" and "parnets" for "parents". Tactic patterns are written once, against plain lower-case
English; this module turns a raw message into that plain form and keeps, for every character of the plain
form, the span of the original text it came from, so evidence points at what the person actually typed.

The work is in two passes: a character pass (NFKC, case, lookalike letters, accents, invisible characters,
emoji) and a token pass (leetspeak, spaced-out letters, chat abbreviations, one-typo misspellings of the
words the patterns care about). Each rewrite can be switched off, so the cost of every evasion can be measured.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

# Latin lookalikes from other scripts (a hand-picked subset of Unicode's confusables.txt: the letters that
# actually appear in evasive chat). NFKC already folds fullwidth and mathematical alphanumerics.
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "ɡ": "g", "ү": "y", "ӏ": "l", "п": "n", "г": "r", "ь": "b", "з": "3", "ч": "4", "л": "n",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "μ": "u", "ς": "c", "σ": "o", "λ": "a", "δ": "d",
    # Latin extensions and symbols that look like letters
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss", "æ": "ae", "œ": "oe",
    "ɑ": "a", "ɩ": "i", "ɪ": "i", "ʏ": "y", "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ғ": "f",
    "ʜ": "h", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s",
    "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z", "¡": "i", "©": "c", "®": "r",
    "‘": "'", "’": "'", "ʼ": "'", "´": "'", "`": "'",
}

# Emoji that stand in for the words grooming patterns look for. Written as words so one set of patterns
# covers both. Variation selectors and skin tones are dropped before lookup.
EMOJI_WORDS: dict[str, str] = {
    "👻": "snapchat", "👪": "parents", "👨": "man", "👧": "girl", "👦": "boy", "📷": "photo", "📸": "photo",
    "🤳": "selfie", "🖼": "picture", "🎥": "video", "📹": "camera", "🎦": "video", "📱": "phone", "☎": "phone", "📞": "call", "📲": "number",
    "🎁": "gift", "💰": "money", "💵": "money", "💸": "money", "💲": "money", "🤑": "money", "💳": "gift card",
    "🤫": "secret", "🤐": "secret", "🔒": "private", "🔐": "private", "🙊": "secret",
    "🏠": "home", "🏡": "home", "📍": "location", "🗺": "map", "🚗": "car", "🏫": "school", "🤝": "meet",
    "💖": "special", "💝": "gift", "🎮": "game", "🔥": "hot",
    "👀": "look", "😘": "kiss", "💋": "kiss", "❤": "love", "😍": "love", "🥰": "love", "💕": "love",
    "🔞": "adult", "👙": "swimsuit", "🛏": "bed", "🚿": "shower", "🛁": "bath",
}

# Chat abbreviations and spellings, to the words patterns are written in. Keys are matched as whole tokens
# after the character pass; values may be several words.
ABBREVIATIONS: dict[str, str] = {
    "u": "you", "ya": "you", "yu": "you", "yuo": "you", "uu": "you", "ur": "your", "yr": "your",
    "youre": "you are", "ure": "you are", "r": "are", "n": "and", "y": "why", "k": "ok", "kk": "ok",
    "im": "i am", "ive": "i have", "ill": "i will", "id": "i would", "ima": "i am going to", "imma": "i am going to",
    "dont": "do not", "doesnt": "does not", "didnt": "did not", "cant": "can not", "cannot": "can not",
    "wont": "will not", "wouldnt": "would not", "shouldnt": "should not", "isnt": "is not", "arent": "are not",
    "wasnt": "was not", "mustnt": "must not", "neednt": "need not", "havent": "have not", "hasnt": "has not", "aint": "is not", "couldnt": "could not",
    "youll": "you will", "youve": "you have", "youd": "you would", "theyre": "they are", "theyll": "they will",
    "thats": "that is", "whats": "what is", "wats": "what is", "wat": "what", "wut": "what", "wot": "what",
    "hows": "how is", "hw": "how", "urself": "yourself", "yaself": "yourself", "rite": "right", "ull": "you will", "ud": "you would", "ryt": "right",
    "wknd": "weekend", "lmk": "let me know", "convo": "conversation", "convos": "conversations", "fav": "favourite",
    "fave": "favourite", "lil": "little", "smth": "something", "sumthing": "something", "wheres": "where is", "whos": "who is", "its": "it is", "lets": "let us", "heres": "here is",
    "theres": "there is", "iam": "i am", "dnt": "do not", "wanna": "want to", "gonna": "going to",
    "gotta": "got to", "gimme": "give me", "lemme": "let me", "dunno": "do not know", "tryna": "trying to",
    "asl": "age sex location", "wyd": "what are you doing", "wru": "where are you", "hbu": "how about you",
    "wbu": "what about you", "hmu": "hit me up", "dm": "direct message", "dms": "direct messages", "pm": "private message",
    "pms": "private messages",
    "snd": "send", "sed": "send", "tel": "tell", "tll": "tell", "ner": "near", "hme": "home",
    "oly": "only", "onyl": "only", "nly": "only", "pic": "picture", "pics": "pictures", "pix": "pictures", "piccy": "picture", "pik": "picture", "piks": "pictures",
    "selfy": "selfie", "vid": "video", "vids": "videos", "cam": "camera", "webcam": "camera",
    "pls": "please", "plz": "please", "plss": "please", "pleeease": "please", "pleease": "please", "rn": "right now",
    "atm": "at the moment", "tn": "tonight", "tonite": "tonight", "2nite": "tonight", "2night": "tonight",
    "2day": "today", "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow", "2moro": "tomorrow",
    "2morrow": "tomorrow", "tomoz": "tomorrow", "b4": "before", "l8r": "later", "l8": "late", "gr8": "great",
    "m8": "mate", "m8s": "mates", "4ever": "forever", "bc": "because", "coz": "because",
    "cos": "because", "bcoz": "because", "ppl": "people", "msg": "message", "msgs": "messages", "txt": "text",
    "num": "number", "digits": "number", "fone": "phone", "ph": "phone", "cell": "phone",
    "mob": "mobile", "luv": "love", "ly": "love you", "ily": "i love you", "bf": "boyfriend", "gf": "girlfriend",
    "bday": "birthday", "b-day": "birthday", "bdays": "birthdays", "yo": "years old", "yrs": "years", "yrsold": "years old",
    "irl": "in real life", "ftf": "face to face", "f2f": "face to face", "sc": "snapchat", "snapchat": "snapchat",
    "insta": "instagram", "ig": "instagram", "wa": "whatsapp", "whatsap": "whatsapp", "watsapp": "whatsapp",
    "watsap": "whatsapp", "whatapp": "whatsapp", "whattsapp": "whatsapp", "tele": "telegram",
    "fb": "facebook", "vc": "video call", "rents": "parents",
    "mum": "mum", "mom": "mom", "mam": "mum", "mommy": "mom", "mummy": "mum", "momma": "mom", "ma": "mum",
    "pops": "dad", "sis": "sister", "bro": "brother", "fam": "family", "pwd": "password", "pw": "password",
    "addy": "address", "addr": "address", "loc": "location", "skool": "school", "skl": "school", "sch": "school",
    "gurl": "girl", "grl": "girl", "boi": "boy", "preety": "pretty", "purdy": "pretty", "cutie": "cute",
    "hun": "honey", "babe": "babe", "bby": "baby", "bb": "baby", "secrit": "secret", "sekret": "secret",
    "sec": "second", "w/": "with", "w": "with", "wo": "without", "w/o": "without", "thx": "thanks", "ty": "thanks",
    "xx": "kiss", "xxx": "kiss", "xo": "kiss", "xoxo": "kiss", "bae": "babe", "srsly": "seriously",
    "rly": "really", "rlly": "really", "realy": "really", "soo": "so", "sooo": "so", "soooo": "so", "vbux": "vbucks",
    "v-bucks": "vbucks", "robuck": "robux", "rbx": "robux", "giftcard": "gift card", "giftcards": "gift cards",
    "pp": "profile picture", "pfp": "profile picture", "nvm": "never mind", "idk": "i do not know",
    "ofc": "of course", "omw": "on my way", "brb": "be right back", "ttyl": "talk to you later",
    "cya": "see you", "cu": "see you", "c": "see", "b": "be", "ok": "ok", "okay": "ok", "okk": "ok",
    "abt": "about", "bout": "about", "wid": "with", "wiv": "with", "ovr": "over", "thru": "through",
    "tho": "though", "2gether": "together", "4u": "for you", "4me": "for me",
    "any1": "anyone", "some1": "someone", "no1": "no one", "every1": "everyone", "sum1": "someone",
    "ne1": "anyone", "noone": "no one", "nobodys": "nobody is", "h8": "hate", "w8": "wait", "str8": "straight",
    "sk8": "skate", "pl8": "plate", "d8": "date", "d8s": "dates", "meetup": "meet up", "hangout": "hang out",
    "videocall": "video call", "facecam": "camera", "livestream": "live stream", "ytd": "yesterday", "#": "number",
}

# Leetspeak digits and symbols inside a word.
LEET: dict[str, str] = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
                        "@": "a", "$": "s", "!": "i", "|": "l", "+": "t", "6": "g", "2": "z"}

# Every option of the normaliser; the bench switches them off one at a time to price each evasion.
ALL_FEATURES = frozenset({"unicode", "emoji", "leet", "spaced", "abbreviations", "fuzzy"})

_TOKEN_RE = re.compile(r"[$@]?[a-z0-9]+(?:['@$!|+][a-z0-9]+)*[$!]?|[?!.;:]+(?=\s|$)|#")
_AGE_TOKEN_RE = re.compile(r"^(\d{1,2})(yo|y/o|yrs|yr|years|year|yrsold|f|m|g|b)$")
_SPACED_GAP_RE = re.compile(r"^[\s.\-_*,/~+']{1,3}$")
_NUMBER_RE = re.compile(r"^\d+$")
_LONGEST_WORD = 40
_SHORT_TARGETS = ("old", "age", "pic", "cam", "vid")
# Short telling words whose stutters ("agge", "daad", "mumm", "meeet") are repaired too.
_SHORT_STUTTER = frozenset(_SHORT_TARGETS) | frozenset("mum mom dad sis bro cam vid pic send meet tell near home only snap pics".split())
# A changed vowel in "age" and "old" ("ege", "ald"): none of these is an English word a chat would use.
_SHORT_VOWELS = {**{v + "ge": "age" for v in "eiou"}, **{v + "ld": "old" for v in "aeiu"}}
# "go 2 school", "mature 4 your age", "at 2 2 finish it": a lone 2 or 4 before a word, after a word or a
# number, is a word; elsewhere it is a number.
_DIGIT_WORDS = {"2": "to", "4": "for"}
# "ur/your" before these is "you are" ("ur so mature", "your making me sad"), before a noun it is "your".
_YOU_ARE_NEXT = frozenset("""
the a an so such still like not never always just really literally way too very better making going being
gonna only mine welcome right wrong proper actually honestly kinda all in at on from with here there
alone over under more less getting doing talking lying acting ignoring pretty beautiful gorgeous cute
special amazing mature different clearly obviously probably definitely totally basically legit lowkey
deffo def well dead mad hella lucky safe allowed meant supposed cuter prettier smarter funnier nicer
cooler hotter sweeter kinder braver
""".split())
_YEAR_BEFORE = frozenset("what which this last next a per every that one".split())
_YEAR_AFTER = frozenset("were was born ago old olds group".split())
# Nouns ending in -ing that follow "your" as a possessive ("your drawing", "your training").
_ING_NOUNS = frozenset("""
thing things morning evening building wedding painting drawing drawings ring rings king clothing ceiling
feeling feelings earring earrings meeting swimming training reading writing spelling singing dancing
cooking handwriting boxing sibling siblings darling string wing spring swing sting pudding stuffing
""".split())


@dataclass(slots=True)
class NormalisedText:
    """Plain form of a message, with the original span of each plain character."""

    text: str
    starts: list[int] = field(repr=False)
    ends: list[int] = field(repr=False)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the plain text back onto the original message."""
        if not self.text or end <= start:
            return (0, 0)
        start = min(max(start, 0), len(self.text) - 1)
        end = min(max(end, start + 1), len(self.text))
        return (self.starts[start], self.ends[end - 1])


class Normaliser:
    """Turns raw chat text into plain lower-case English words, feature by feature."""

    def __init__(self, vocabulary: Iterable[str] = (), *, features: Iterable[str] = ALL_FEATURES,
                 protected_words: Iterable[str] = (), typo_targets: Iterable[str] | None = None) -> None:
        self.features = frozenset(features)
        unknown = self.features - ALL_FEATURES
        if unknown:
            raise ValueError(f"unknown normaliser features: {sorted(unknown)}")
        self.vocabulary = frozenset(w for w in vocabulary if w)
        self.protected = frozenset(protected_words) | self.vocabulary
        self._fuzzy_memo: dict[str, str] = {}
        self._fuzzy_index: dict[str, list[str]] = {}
        # Typos are only repaired into the telling words (names of apps, "parents", "secret"...): repairing
        # into any pattern word turns place names and slang into false cues ("leeds" is not "needs").
        targets = self.vocabulary if typo_targets is None else frozenset(typo_targets)
        self._targets = targets
        # Three-letter words only forgive two swapped letters ("odl", "aeg", "pci"), and only these.
        self._short_swaps = {w[:i] + w[i + 1] + w[i] + w[i + 2:]: w for w in _SHORT_TARGETS
                             for i in range(len(w) - 1) if w[i] != w[i + 1]}
        for word in targets:
            if len(word) >= 4 and word.isalpha():
                for key in _deletes(word) | {word}:
                    self._fuzzy_index.setdefault(key, []).append(word)
        self._abbrev = ABBREVIATIONS if "abbreviations" in self.features else {}
        self._known = self.vocabulary | frozenset(self._abbrev)

    # -- character pass -------------------------------------------------------------------------------
    def _characters(self, text: str) -> tuple[str, list[int] | None, list[int] | None]:
        """Lower-case, fold lookalikes and emoji; None maps mean 'same index as the original'."""
        if text.isascii():
            return text.lower(), None, None
        use_unicode = "unicode" in self.features
        use_emoji = "emoji" in self.features
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for i, ch in enumerate(text):
            if ch.isascii():
                out.append(ch.lower())
                starts.append(i)
                ends.append(i + 1)
                continue
            if use_emoji:
                word = EMOJI_WORDS.get(ch)
                if word is not None:
                    piece = f" {word} "
                    out.append(piece)
                    starts.extend([i] * len(piece))
                    ends.extend([i + 1] * len(piece))
                    continue
            piece = _fold_char(ch) if use_unicode else ch.lower()
            if not piece:
                continue
            out.append(piece)
            starts.extend([i] * len(piece))
            ends.extend([i + 1] * len(piece))
        return "".join(out), starts, ends

    # -- token pass -----------------------------------------------------------------------------------
    def normalise(self, text: str) -> NormalisedText:
        base, bstarts, bends = self._characters(text)
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(base)]
        if "spaced" in self.features:
            tokens = self._join_spaced(base, tokens)
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        last = len(tokens) - 1
        for idx, (tok, s, e) in enumerate(tokens):
            if tok in _DIGIT_WORDS and 0 < idx < last and tokens[idx + 1][0].isalpha() \
                    and (tokens[idx - 1][0].isalpha() or tokens[idx - 1][0].isdigit()) \
                    and "abbreviations" in self.features:
                word, exact = _DIGIT_WORDS[tok], False
            else:
                word, exact = self._word(tok)
                exact = exact and len(word) == e - s
            if not word:
                continue
            if tok == "yr" and self._year_context(tokens, idx):
                word, exact = "year", False
            elif word == "your" and idx < last and "abbreviations" in self.features \
                    and self._you_are_next(tokens[idx + 1][0]):
                word, exact = "you are", False
            if out:
                gap_s = ends[-1]
                gap_e = bstarts[s] if bstarts is not None else s
                out.append(" ")
                starts.append(gap_s)
                ends.append(max(gap_e, gap_s))
            out.append(word)
            if bstarts is None:
                if exact:
                    starts.extend(range(s, e))
                    ends.extend(range(s + 1, e + 1))
                else:
                    starts.extend([s] * len(word))
                    ends.extend([e] * len(word))
            else:
                if exact:
                    starts.extend(bstarts[s:e])
                    ends.extend(bends[s:e])
                else:
                    starts.extend([bstarts[s]] * len(word))
                    ends.extend([bends[e - 1]] * len(word))
        return NormalisedText("".join(out), starts, ends)

    @staticmethod
    def _year_context(tokens: list[tuple[str, int, int]], idx: int) -> bool:
        """ "yr" is "year" after "what"/"this" or before "born"/a number, elsewhere "your"."""
        prev = tokens[idx - 1][0] if idx > 0 else ""
        nxt = tokens[idx + 1][0] if idx + 1 < len(tokens) else ""
        return prev in _YEAR_BEFORE or prev.isdigit() or nxt in _YEAR_AFTER or nxt.isdigit()

    def _you_are_next(self, tok: str) -> bool:
        nxt = self._abbrev.get(tok, tok).split(" ", 1)[0]
        if nxt in _YOU_ARE_NEXT or (nxt.isdigit() and len(nxt) <= 2):
            return True
        return len(nxt) >= 5 and nxt.endswith("ing") and nxt not in _ING_NOUNS

    def _word(self, tok: str) -> tuple[str, bool]:
        """The plain form of one token and whether it maps character for character onto the original."""
        if len(tok) > _LONGEST_WORD:  # no keyword is this long: keep it as it is, at no cost
            return tok, True
        if tok[0] in "?.!;:":
            return ("?" if "?" in tok else "."), len(tok) == 1
        if "'" in tok:
            tok_plain = tok.replace("'", "")
            word, _ = self._word(tok_plain)
            return word, False
        abbrev = self._abbrev.get(tok)
        if abbrev is not None:
            return abbrev, abbrev == tok
        if tok.isalpha():
            fixed = self._fuzzy(tok)
            if fixed != tok:
                fixed = self._abbrev.get(fixed, fixed)  # "pci" -> "pic" -> "picture"
            return fixed, fixed == tok
        if _NUMBER_RE.match(tok):
            return tok, True
        age = _AGE_TOKEN_RE.match(tok)
        if age:
            suffix = age.group(2)
            return (age.group(1) + (" years old" if suffix.startswith("y") else "")), False
        if "leet" in self.features:
            plain = self._deleet(tok)
            if plain is not None:
                return plain, False
        stripped = tok.strip("$@!.-/|+")
        if stripped and stripped != tok:
            return self._word(stripped)[0], False
        return tok, True

    def _deleet(self, tok: str) -> str | None:
        """Read a token with digits or symbols as letters, if that gives a word the patterns know."""
        if not any(c.isalpha() for c in tok) and len(tok) < 3:
            return None
        candidates = ["".join(LEET.get(c, c) for c in tok)]
        if "1" in tok or "!" in tok or "|" in tok:
            candidates.append("".join("l" if c in "1!|" else LEET.get(c, c) for c in tok))
        for cand in candidates:
            cand = cand.strip(".-/")
            if not cand.isalpha():
                cand = re.sub(r"[^a-z]", "", cand)
            abbrev = self._abbrev.get(cand)
            if abbrev is not None:
                return abbrev
            if cand in self.vocabulary:
                return cand
            fixed = self._fuzzy(cand)
            if fixed in self.vocabulary:
                return fixed
        return None

    def _fuzzy(self, tok: str) -> str:
        """Correct a one-typo misspelling of a pattern word ("parnets" -> "parents"), never a real word."""
        if "fuzzy" not in self.features or len(tok) < 3 or tok in self.protected or tok in self._abbrev:
            return tok
        hit = self._fuzzy_memo.get(tok)
        if hit is None:
            hit = (self._short_swaps.get(tok) or _SHORT_VOWELS.get(tok) or self._undoubled(tok)
                   or _fuzzy_lookup(tok, self._fuzzy_index))
            if len(self._fuzzy_memo) > 50_000:
                self._fuzzy_memo.clear()
            self._fuzzy_memo[tok] = hit
        return hit

    def _undoubled(self, tok: str) -> str | None:
        """A stuttered letter ("meeet", "sennd"): drop one of a repeated pair if that gives a target word."""
        for i in range(1, len(tok)):
            if tok[i] == tok[i - 1]:
                cand = tok[:i] + tok[i + 1:]
                if cand in self._targets or cand in _SHORT_STUTTER:
                    return cand
        return None

    def _join_spaced(self, base: str, tokens: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """Join runs of single letters ("s n a p", "s.n.a.p") into the word they spell, when it is one we know."""
        out: list[tuple[str, int, int]] = []
        i = 0
        n = len(tokens)
        while i < n:
            tok, s, e = tokens[i]
            if len(tok) != 1 or not tok.isalnum():
                out.append(tokens[i])
                i += 1
                continue
            run = [tokens[i]]
            j = i + 1
            while j < n and len(run) < 30:
                nxt = j + 1 if tokens[j][0] == "." and j + 1 < n else j
                if not (len(tokens[nxt][0]) == 1 and tokens[nxt][0].isalnum()
                        and _SPACED_GAP_RE.match(base[run[-1][2]:tokens[nxt][1]])):
                    break
                run.append(tokens[nxt])
                j = nxt + 1
            if len(run) < 3:
                out.extend(tokens[i:j])
                i = j
                continue
            exact, exact_cover = self._segment(base, run, fuzzy=False)
            typo, typo_cover = self._segment(base, run, fuzzy=True)
            # A typo reading must explain clearly more letters than an exact one ("i t r u s t" is "i trust").
            best_reading = typo if typo_cover >= exact_cover + 2 else exact
            lost_start = len(best_reading[0][0]) == 1 and best_reading[0][0] not in "iau"
            if max(exact_cover, typo_cover) * 5 < len(run) * 3 or (lost_start and len(best_reading) > 1):
                # Mostly unknown ("l i b r a r y"): one spaced-out word nobody here keys on, read whole,
                # rather than a short word picked out of its middle ("bra").
                out.append(("".join(t for t, _, _ in run), run[0][1], run[-1][2]))
            else:
                out.extend(best_reading)
            i = j
        return out

    def _segment(self, base: str, run: list[tuple[str, int, int]], fuzzy: bool) -> tuple[list, int]:
        """Greedy longest-word reading of a run of single letters; returns tokens and letters covered."""
        out: list[tuple[str, int, int]] = []
        covered = 0
        k = 0
        while k < len(run):
            best = None
            for m in range(len(run), k + 2, -1):
                joined = "".join(t for t, _, _ in run[k:m])
                word = self._known_form(joined, fuzzy)
                if word is None and not fuzzy and all(
                        not base[run[q][2]:run[q + 1][1]].isspace() for q in range(k, m - 1)):
                    word = joined  # "r_e_a_l_l_y", "p-a-r-e-n-t-s": nobody spaces letters that way by accident
                if word is not None:
                    best = (m, word)
                    break
            if best is None:
                out.append(run[k])
                k += 1
            else:
                m, word = best
                out.append((word, run[k][1], run[m - 1][2]))
                covered += m - k
                k = m
        return out, covered

    def _known_form(self, joined: str, fuzzy: bool = True) -> str | None:
        """The word a run of letters spells, if we know it (exactly first; a typo away only if asked)."""
        if self._is_known(joined, fuzzy):
            return joined
        if "leet" in self.features:
            plain = "".join(LEET.get(c, c) for c in joined)
            if self._is_known(plain, fuzzy):
                return plain
        return None

    def _is_known(self, word: str, fuzzy: bool = True) -> bool:
        return word in self._known or (fuzzy and len(word) >= 5 and self._fuzzy(word) != word)


def _fold_char(ch: str) -> str:
    """NFKC, lower case, lookalike letters to Latin, accents and invisible characters dropped."""
    return _FOLD_CACHE(ch)


@lru_cache(maxsize=4096)
def _FOLD_CACHE(ch: str) -> str:
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Mn", "Me", "Sk") or ch in "\ufe0f\ufe0e":
        return ""
    if cat == "Cc" or cat.startswith("Z"):
        return " "
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        c = c.lower()
        c = CONFUSABLES.get(c, c)
        for d in unicodedata.normalize("NFD", c):
            if unicodedata.category(d) != "Mn":
                out.append(CONFUSABLES.get(d, d))
    return "".join(out)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _damerau_at_most_one(a: str, b: str) -> bool:
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def _transposed(a: str, b: str) -> bool:
    """Two neighbouring letters swapped ("sned"), the one typo trusted even in four-letter words."""
    return len(a) == len(b) and sorted(a) == sorted(b) and sum(x != y for x, y in zip(a, b)) == 2


def _fuzzy_lookup(tok: str, index: dict[str, list[str]]) -> str:
    best = tok
    for cand in (tok, *_deletes(tok)):
        for word in index.get(cand, ()):
            if (max(len(word), len(tok)) >= 5 or _transposed(tok, word)) and _damerau_at_most_one(tok, word):
                best = word
                break
        if best != tok:
            break
    return best
