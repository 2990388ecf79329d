"""Finding grooming tactics in one message, with the exact words that gave each one away.

A message is normalised (evasions undone), every tactic's patterns run over the plain text, matches are
weighed against negation ("I would never ask you to...") and hard negatives (a surprise party), and each hit
is mapped back to a span of the original message. Aho-Corasick finds which tactics have any anchor word in
the message in one pass, so most messages run only a few of the thirteen pattern sets; patterns that could
match without any anchor word (found by drawing example matches, see ``sampling``) run on every message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import ahocorasick

from childsafe.conversation.normalise import ALL_FEATURES, ABBREVIATIONS, NormalisedText, Normaliser
from childsafe.conversation.tactics import (COOCCURRENCE, COOCCURRENCE_WINDOW, NEGATION_RE, TACTICS, CompiledTactics,
                                           compile_tactics)

# Common English words one typo away from a pattern word: never "corrected" into it ("along" is not "alone").
PROTECTED_WORDS = frozenset("""
along alike aloud atone stone clone phone phones shone prone drone alone lone money monkey honey mommy
sister sisters mister blister minister parent parents patent patents present presents prevent decent recent
secret secrets second seconds sacred scared scarce scares shared shares share spare spared stare stared
photo photos phots proto pluto meet meat melt beet feet mate late date gate hate kate rate
cam came camp calm come home hone hole homer homes house horse mouse louse hose
picture pictures pasture puncture mixture texture tincture fixture
camera cameras comma karma dream cream dreams
number numbers lumber lumbers slumber umber
school schools spool stool scoop scholl
secretly sweetly neatly
gifts gift lift lifts sift shift shifts swift drift gifted lifted sifted shifted
alone along atone aloe lone clone
snap snip snaps slap soap swap trap
video vide vidio vivid
tell till tall tells toll bell cell fell hell sell well yell dwell
address addresses adders
parents parent's patents
private pirate privates primate
meeting meting melting
mature nature matures natures manure
boyfriend girlfriend
special spatial specials
family famine
friend fiend fried friends fiends fries
wearing bearing hearing nearing tearing fearing gearing searing rearing earring wearing
body bode bony bogy boy
kiss kids kits miss hiss piss kist
older elder colder folder holder bolder solder odder
money mooney
wanna wanda
touch tough couch pouch
visit vista
track trick truck trace tracks
leak lead leaf leek peak weak beak
post most host lost cost past pest port
share shore shame shake shave shade
show shoe shot shop slow snow stow
send sand seed sent mend bend lend tend vend
rather lather gather farther bother smother shape hare hard harm alive olive glove gloves shove loved lover
photons caged cords chords crust crash brush sheet sheets spend spends sweat sweats bared dared fared cured
cares carer scarce hove dove cove lose move mode lone lane pone hone liver lived lover river giver wives
tells till tall trusty truss crush crust brash trash sweep swept tweet steer stare spare store
""".split())


_MAX_HITS_PER_TACTIC = 6


# The words worth repairing when misspelt: the ones a filter keys on and an evader bothers to disguise.
TYPO_TARGETS = frozenset("""
secret secrets private delete tell anyone anybody nobody someone parents parent mother father brother
sister family alone home house address location postcode school snapchat whatsapp instagram telegram
discord signal skype facetime tiktok messenger number phone mobile picture pictures photo photos selfie
selfies video videos camera webcam stream live meet meeting hang together person real life pick sneak
money robux vbucks skins skin gift gifts card cards present presents buy send show share post leak
expose everyone friends teachers trust promise special mature beautiful pretty gorgeous cute sweet
perfect love understand jealous boyfriend girlfriend crush kiss kissed older wearing body date single
experienced owe cared really believe regret screenshot screenshots police trouble threaten where between
followers disappearing vanishing connection favourite favorite messages ignoring grown being guess other grade
location judge understands around upset older younger
""".split())


@dataclass(frozen=True, slots=True)
class TacticHit:
    """One tactic found in one message: how sure, and which characters of the original text show it.

    ``raw`` is the pattern's confidence before benign context was weighed; ``confidence`` counts the
    contexts of this message alone (the engine also weighs the contexts of the conversation so far).
    """

    tactic: str
    confidence: float
    start: int
    end: int
    raw: float = 0.0

    def to_dict(self) -> dict:
        return {"tactic": self.tactic, "confidence": round(self.confidence, 3), "start": self.start, "end": self.end}


_STATED_AGE_RE = re.compile(
    r"(?:^| )(?:i am|i turn|i turned|age|aged|i am only|i am just|only|just turned|turning) (\d{1,2})(?= years old| years| yrs|$| \.| \?| and| but| ,| f| m| girl| boy| lol| so| haha| now| next| in| too)"
    r"|(?:^| )(\d{1,2}) years old(?: |$)"
    r"|^(\d{1,2})(?: \.| \?)?$"
)


@dataclass(frozen=True, slots=True)
class MessageReading:
    """Everything the detector learned from one message."""

    hits: tuple[TacticHit, ...]
    stated_age: int | None
    bare_number: int | None
    contexts: frozenset[str] = frozenset()


class TacticDetector:
    """Runs every tactic's patterns over the normalised text of a message."""

    def __init__(self, features: Iterable[str] = ALL_FEATURES) -> None:
        self.compiled: CompiledTactics = _compiled()
        vocab = set(self.compiled.vocabulary)
        self._cooccurrence = _cooccurrence_rules()
        # Each rule is looked at only when a word of its smallest group occurs in the message.
        self._cooccurrence_keys: dict[str, list[tuple[int, str, int]]] = {}
        for t_index, (tactic, rules) in enumerate(self._cooccurrence.items()):
            for r_index, (_, groups) in enumerate(rules):
                for word in groups[0]:
                    self._cooccurrence_keys.setdefault(word, []).append((t_index, tactic, r_index))
        for rules in self._cooccurrence.values():
            for _, groups in rules:
                for group in groups:
                    vocab.update(w for w in group if w.isalpha())
        for expansion in ABBREVIATIONS.values():
            vocab.update(expansion.split())
        self.normaliser = Normaliser(vocab, features=features, protected_words=PROTECTED_WORDS,
                                     typo_targets=TYPO_TARGETS)
        self._anchors = _anchor_automaton(self.compiled)
        # For each anchor word, the patterns it unlocks: grouped by tactic where nothing more is needed, one
        # by one with the further word groups to check where something is.
        plain: dict[str, dict[str, list[int]]] = {}
        self._checked_unlocks: dict[str, list[tuple[str, int, tuple[frozenset[str], ...]]]] = {}
        for word, keys in self.compiled.word_patterns.items():
            for tactic, i in keys:
                more = self.compiled.requires.get((tactic, i))
                if more:
                    self._checked_unlocks.setdefault(word, []).append((tactic, i, more))
                else:
                    plain.setdefault(word, {}).setdefault(tactic, []).append(i)
        self._plain_unlocks = {w: tuple((t, tuple(v)) for t, v in d.items()) for w, d in plain.items()}
        self._conversation_contexts = frozenset(name for name, (_, _, conv) in self.compiled.contexts.items() if conv)
        # Contexts looked for in every message, and for each anchor word the contexts it can show.
        self._always_contexts = tuple(n for n, a in self.compiled.context_anchors.items() if not a)
        self._context_words: dict[str, list[str]] = {}
        for name, words in self.compiled.context_anchors.items():
            for word in words:
                self._context_words.setdefault(word, []).append(name)

    def normalise(self, text: str) -> NormalisedText:
        return self.normaliser.normalise(text)

    def read(self, text: str) -> MessageReading:
        """Tactic hits in ``text`` (spans into ``text`` itself), plus any age the writer states."""
        norm = self.normaliser.normalise(text)
        plain = norm.text
        if not plain:
            return MessageReading((), None, None)
        present = self._present_anchors(plain)
        candidates = set(self._always_contexts)
        context_words = self._context_words
        for word in present:
            names = context_words.get(word)
            if names is not None:
                candidates.update(names)
        all_contexts = self.compiled.contexts
        contexts = frozenset(name for name in candidates if all_contexts[name][0].search(plain))
        hits: list[TacticHit] = []
        compiled = self.compiled
        unlocked: dict[str, set[int]] = {}
        plain_unlocks, checked_unlocks = self._plain_unlocks, self._checked_unlocks
        for word in present:
            for tactic, numbers in plain_unlocks.get(word, ()):
                got = unlocked.get(tactic)
                if got is None:
                    unlocked[tactic] = set(numbers)
                else:
                    got.update(numbers)
            for tactic, i, more in checked_unlocks.get(word, ()):
                if all(not g.isdisjoint(present) for g in more):
                    got = unlocked.get(tactic)
                    if got is None:
                        unlocked[tactic] = {i}
                    else:
                        got.add(i)
        all_loose, all_singles = compiled.loose, compiled.singles
        for tactic in TACTICS:
            loose = all_loose[tactic]
            chosen = unlocked.get(tactic)
            if chosen is None:
                if loose is None or loose.search(plain) is None:  # most messages: nothing to find
                    continue
                regexes = [loose]
            else:
                singles = all_singles[tactic]
                regexes = [singles[i] for i in (sorted(chosen) if len(chosen) > 1 else chosen)]
                if loose is not None:
                    regexes.append(loose)
            confs = compiled.confidences[tactic]
            found: list[tuple[float, int, int]] = []
            pos = 0
            search = _first_match if len(regexes) > 1 else None
            pending: list = [None] * len(regexes) if search is not None else []
            while len(found) < _MAX_HITS_PER_TACTIC:
                m = regexes[0].search(plain, pos) if search is None else search(regexes, pending, plain, pos)
                if m is None:
                    break
                conf = confs[m.lastgroup or ""]
                if _negated(plain, m.start()):
                    conf *= 0.2
                found.append((conf, m.start(), m.end()))
                # Matches may overlap ("if you stop ... I will send these to your friends"): go on from the
                # next word rather than the end of this match.
                nxt = plain.find(" ", m.start() + 1)
                if nxt < 0:
                    break
                pos = nxt + 1
            if not found:
                continue
            factor = self.context_factor(tactic, contexts)
            for conf, s, e in _merge_overlapping(found):
                os_, oe = norm.original_span(s, e)
                hits.append(TacticHit(tactic, conf * factor, os_, oe, conf))
        self._read_cooccurrence(plain, norm, contexts, hits)
        stated = bare = None
        m = _STATED_AGE_RE.search(plain)
        if m:
            value = int(m.group(1) or m.group(2) or m.group(3))
            if 5 <= value <= 99:
                if m.group(3):
                    bare = value
                else:
                    stated = value
        return MessageReading(tuple(hits), stated, bare, contexts)

    def _read_cooccurrence(self, plain: str, norm: NormalisedText, contexts: frozenset[str],
                           hits: list[TacticHit]) -> None:
        """Tactics shown by words near each other in any order, where no phrase pattern of theirs matched."""
        tokens = plain.split(" ")
        kinds = [("#" if t.isdigit() else t) for t in tokens]
        present = set(kinds)
        keys = self._cooccurrence_keys
        candidates = sorted({c for word in present if word in keys for c in keys[word]})
        if not candidates:
            return
        done = {h.tactic for h in hits}
        offsets: list[int] | None = None
        for _, tactic, r_index in candidates:
            if tactic in done:
                continue
            conf, groups = self._cooccurrence[tactic][r_index]
            if any(g.isdisjoint(present) for g in groups):
                continue
            window = _smallest_window(kinds, groups)
            if window is None:
                continue
            if offsets is None:
                offsets, pos = [], 0
                for t in tokens:
                    offsets.append(pos)
                    pos += len(t) + 1
            first, last = window
            os_, oe = norm.original_span(offsets[first], offsets[last] + len(tokens[last]))
            hits.append(TacticHit(tactic, conf * self.context_factor(tactic, contexts), os_, oe, conf))
            done.add(tactic)

    def context_factor(self, tactic: str, contexts: Iterable[str]) -> float:
        """How much the benign contexts present discount a tactic (1.0: not at all)."""
        factor = 1.0
        for name in contexts:
            f = self.compiled.contexts[name][1].get(tactic)
            if f is not None and f < factor:
                factor = f
        return factor

    def conversation_contexts(self) -> frozenset[str]:
        """Contexts that colour the rest of a conversation, not just their own message."""
        return self._conversation_contexts

    def _present_anchors(self, plain: str) -> set[str]:
        """Every anchor word occurring in the text (as a substring: a superset is safe), in one pass."""
        return {word for _, word in self._anchors.iter(plain)}


def _first_match(regexes: list[re.Pattern[str]], pending: list, plain: str, pos: int) -> re.Match[str] | None:
    """What one alternation of all these patterns would match from ``pos``: the leftmost match, and where
    several start there, the pattern listed first in the tactic (the strongest). ``pending`` keeps each
    pattern's next match between calls; a match starting at or after ``pos`` is still its next one."""
    best = None
    best_key = None
    for k, rx in enumerate(regexes):
        m = pending[k]
        if m is False:
            continue
        if m is None or m.start() < pos:
            m = rx.search(plain, pos)
            if m is None:
                pending[k] = False
                continue
            pending[k] = m
        key = (m.start(), int(m.lastgroup[1:]))
        if best_key is None or key < best_key:
            best, best_key = m, key
    return best


def _cooccurrence_rules() -> dict[str, list[tuple[float, tuple[frozenset[str], ...]]]]:
    # The smallest group first: it is the likeliest to be missing, which ends the check early.
    return {tactic: [(conf, tuple(sorted((frozenset(g.split()) for g in groups), key=len))) for conf, groups in rules]
            for tactic, rules in COOCCURRENCE.items()}


def _smallest_window(kinds: list[str], groups: tuple[frozenset[str], ...]) -> tuple[int, int] | None:
    """The shortest run of tokens holding a word of every group, if one fits in the window."""
    need = len(groups)
    events = [(i, g) for i, k in enumerate(kinds) for g, group in enumerate(groups) if k in group]
    counts = [0] * need
    covered = 0
    best: tuple[int, int] | None = None
    lo = 0
    for hi in range(len(events)):
        g = events[hi][1]
        counts[g] += 1
        if counts[g] == 1:
            covered += 1
        while covered == need:
            start, end = events[lo][0], events[hi][0]
            if end - start < COOCCURRENCE_WINDOW and (best is None or end - start < best[1] - best[0]):
                best = (start, end)
            g0 = events[lo][1]
            counts[g0] -= 1
            if counts[g0] == 0:
                covered -= 1
            lo += 1
    return best


def _merge_overlapping(found: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    """Overlapping matches of one tactic are one piece of evidence: the union span, the surest confidence."""
    found.sort(key=lambda f: f[1])
    merged: list[list] = []
    for conf, s, e in found:
        if merged and s < merged[-1][2]:
            last = merged[-1]
            last[0], last[2] = max(last[0], conf), max(last[2], e)
        else:
            merged.append([conf, s, e])
    return [(c, s, e) for c, s, e in merged]


def _negated(plain: str, start: int) -> bool:
    if start == 0:
        return False
    return NEGATION_RE.search(plain, max(0, start - 48), start) is not None


@lru_cache(maxsize=1)
def _compiled() -> CompiledTactics:
    return compile_tactics()


def _anchor_automaton(compiled: CompiledTactics) -> ahocorasick.Automaton:
    """All anchor words of all tactics and contexts, found in one Aho-Corasick pass over a message."""
    automaton = ahocorasick.Automaton()
    words: set[str] = set()
    for anchors in compiled.anchors.values():
        words |= anchors
    for anchors in compiled.context_anchors.values():
        words |= anchors
    for groups in compiled.requires.values():
        for group in groups:
            words |= group
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton
