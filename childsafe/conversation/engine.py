"""Following many conversations at once, one message at a time.

``ConversationEngine.observe(message)`` updates that conversation's state and answers at once with an
:class:`Assessment`. State per conversation is small and bounded whatever the conversation's length: the
people in it (with age or band when known), a window of recent message ids and their signals (never their
text), per-sender tactic scores with a few evidence spans each, personal details a child shared, and the
risk trajectory. It exports to a plain dict and imports back, so a service can persist it and a worker can
pick a conversation up where another left off. The engine keeps at most ``max_conversations`` states in
memory, evicting the least recently used to ``on_evict`` (where the service persists them).
"""

from __future__ import annotations

from collections import OrderedDict, deque
from typing import Any, Callable

from childsafe.conversation.detector import MessageReading, TacticDetector
from childsafe.conversation.models import (
    BAND_AGE,
    LEVELS,
    Assessment,
    Evidence,
    Message,
    MessageSignal,
    PIISignal,
    TacticScore,
    band_for_age,
    parse_sent_at,
)
from childsafe.conversation.risk import (
    STRONG,
    age_context,
    combine_repeat,
    contact_context,
    decayed,
    level_for,
    sender_risk,
)
from childsafe.errors import InvalidInput

STATE_VERSION = 1
MAX_EVIDENCE = 8          # spans kept per tactic per sender
MAX_PARTICIPANTS = 16     # group chats: the least recently active are forgotten first
WINDOW = 20               # recent messages remembered (ids and signals only)
TRAJECTORY = 50           # recent risk points remembered
REPORT_MIN = 0.3          # tactics weaker than this are left out of the assessment's list
MAX_TEXT = 100_000        # characters of one message analysed (chat apps cap far lower); the rest is not
MAX_PII_TEXT = 10_000     # characters of one message checked for personal details
FAMILY_SPAN = 200         # messages a sign of family keeps the adult-to-child weighting down
FAMILY_CONTEXT = 0.65
SCHOOLMATES_CONTEXT = 0.6  # cues that the two share a class or year ("from science", "in our year")
CONTEXT_SPAN = 30         # messages a benign context (a surprise party, a parent's errands) keeps colouring
MUTUAL_CONTEXT = 0.6      # the other side uses the same getting-to-know-you tactics back
# Tactics friends use on each other; seen on both sides, they say "mutual", not "approach".
RECIPROCAL = frozenset({"flattery_special_relationship", "age_identity_probing", "location_probing",
                        "gifts_offers", "platform_move", "meeting_request"})
# Tactics that make an exchange one-sided whatever the other side says back.
ONE_SIDED = frozenset({"isolation_exclusivity", "risk_assessment", "photo_camera_request", "guilt_pressure",
                       "threats_sextortion", "body_relationship_steering"})
STRONG_MESSAGE = 0.6      # a tactic this sure in the current message can justify holding it
# Personal details that put a child at risk straight away, whatever the conversation's level.
URGENT_PII = frozenset({"phone", "email", "address", "postcode", "zip", "school", "home_area", "coordinates",
                        "map_link", "handle"})


class _Signal:
    """A tactic's (or personal detail's) running score for one sender, with its strongest evidence."""

    __slots__ = ("score", "index", "time", "count", "evidence")

    def __init__(self, score: float = 0.0, index: int = 0, time: float | None = None, count: int = 0,
                 evidence: list[list[Any]] | None = None) -> None:
        self.score = score
        self.index = index
        self.time = time
        self.count = count
        self.evidence = evidence if evidence is not None else []

    def current(self, index: int, now: float | None) -> float:
        seconds = (now - self.time) if (now is not None and self.time is not None) else None
        return decayed(self.score, index - self.index, seconds)

    def add(self, confidence: float, index: int, now: float | None, message_id: str, start: int, end: int) -> None:
        base = self.current(index, now)
        self.score = combine_repeat(base, confidence)
        self.index = index
        self.time = now if now is not None else self.time
        self.count += 1
        for ev in self.evidence:
            if ev[0] == message_id and ev[1] < end and start < ev[2]:  # overlapping span: keep the widest, surest
                ev[1], ev[2], ev[3] = min(ev[1], start), max(ev[2], end), max(ev[3], confidence)
                return
        self.evidence.append([message_id, start, end, round(confidence, 3)])
        if len(self.evidence) > MAX_EVIDENCE:
            weakest = min(range(len(self.evidence) - 1), key=lambda i: self.evidence[i][3])
            del self.evidence[weakest]

    def to_dict(self) -> dict:
        return {"score": self.score, "index": self.index, "time": self.time, "count": self.count,
                "evidence": [list(e) for e in self.evidence]}

    @classmethod
    def from_dict(cls, d: dict) -> "_Signal":
        return cls(float(d["score"]), int(d["index"]), d.get("time"), int(d.get("count", 0)),
                   [[str(e[0]), int(e[1]), int(e[2]), float(e[3])] for e in d.get("evidence", [])][:MAX_EVIDENCE])


class Participant:
    """Someone in the conversation, with what is known of their age and what they have done in it."""

    __slots__ = ("sender", "age", "band", "age_source", "messages", "last_index", "tactics", "pii")

    def __init__(self, sender: str) -> None:
        self.sender = sender
        self.age: float | None = None
        self.band: str | None = None
        self.age_source: str | None = None  # "declared" by the platform, or "stated" in the chat
        self.messages = 0
        self.last_index = 0
        self.tactics: dict[str, _Signal] = {}
        self.pii: dict[str, _Signal] = {}

    def effective_age(self) -> float | None:
        if self.age is not None:
            return self.age
        if self.band is not None:
            return BAND_AGE.get(self.band)
        return None

    def set_declared(self, age: float | None, band: str | None) -> None:
        if age is not None:
            self.age, self.band, self.age_source = float(age), band_for_age(float(age)), "declared"
        elif band is not None and (self.age_source != "declared" or self.age is None):
            self.band, self.age_source = band, "declared"
            if self.age is not None and band_for_age(self.age) != band and band != "minor":
                self.age = None

    def set_stated(self, age: int) -> None:
        if self.age_source == "declared":
            return
        self.age, self.band, self.age_source = float(age), band_for_age(float(age)), "stated"

    def to_dict(self) -> dict:
        return {"sender": self.sender, "age": self.age, "band": self.band, "age_source": self.age_source,
                "messages": self.messages, "last_index": self.last_index,
                "tactics": {k: v.to_dict() for k, v in self.tactics.items()},
                "pii": {k: v.to_dict() for k, v in self.pii.items()}}

    @classmethod
    def from_dict(cls, d: dict) -> "Participant":
        p = cls(str(d["sender"]))
        p.age = d.get("age")
        p.band = d.get("band")
        p.age_source = d.get("age_source")
        p.messages = int(d.get("messages", 0))
        p.last_index = int(d.get("last_index", 0))
        p.tactics = {k: _Signal.from_dict(v) for k, v in d.get("tactics", {}).items()}
        p.pii = {k: _Signal.from_dict(v) for k, v in d.get("pii", {}).items()}
        return p


class ConversationState:
    """Everything the engine remembers about one conversation; bounded in size."""

    __slots__ = ("conversation_id", "index", "participants", "window", "trajectory", "first_alert_message_id",
                 "last_time", "first_contact", "connected", "peak_level", "contexts", "opener")

    def __init__(self, conversation_id: str) -> None:
        self.conversation_id = conversation_id
        self.index = 0
        self.participants: OrderedDict[str, Participant] = OrderedDict()
        self.window: deque[list[Any]] = deque(maxlen=WINDOW)          # [message_id, sender, sent_at, signals]
        self.trajectory: deque[list[Any]] = deque(maxlen=TRAJECTORY)  # [index, message_id, risk, level]
        self.first_alert_message_id: str | None = None
        self.last_time: float | None = None
        self.first_contact: bool | None = None
        self.connected: bool | None = None
        self.peak_level = "none"
        self.contexts: dict[str, int] = {}  # benign context -> index of the message that last showed it
        self.opener: str | None = None  # who used the conversation's first clear tactic (the approacher)

    def participant(self, sender: str) -> Participant:
        p = self.participants.get(sender)
        if p is None:
            p = Participant(sender)
            self.participants[sender] = p
            if len(self.participants) > MAX_PARTICIPANTS:
                quietest = min((q for q in self.participants.values() if q is not p), key=lambda q: q.last_index)
                del self.participants[quietest.sender]
        return p

    def to_dict(self) -> dict:
        return {
            "version": STATE_VERSION,
            "conversation_id": self.conversation_id,
            "index": self.index,
            "participants": [p.to_dict() for p in self.participants.values()],
            "window": [list(w) for w in self.window],
            "trajectory": [list(t) for t in self.trajectory],
            "first_alert_message_id": self.first_alert_message_id,
            "last_time": self.last_time,
            "first_contact": self.first_contact,
            "connected": self.connected,
            "peak_level": self.peak_level,
            "contexts": dict(self.contexts),
            "opener": self.opener,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "ConversationState":
        if not isinstance(d, dict) or d.get("version") != STATE_VERSION or "conversation_id" not in d:
            raise InvalidInput("not a conversation state exported by this version of childsafe")
        try:
            s = cls(str(d["conversation_id"]))
            s.index = int(d.get("index", 0))
            for pd in d.get("participants", [])[-MAX_PARTICIPANTS:]:
                p = Participant.from_dict(pd)
                s.participants[p.sender] = p
            s.window.extend([list(w) for w in d.get("window", [])][-WINDOW:])
            s.trajectory.extend([list(t) for t in d.get("trajectory", [])][-TRAJECTORY:])
            s.first_alert_message_id = d.get("first_alert_message_id")
            s.last_time = d.get("last_time")
            s.first_contact = d.get("first_contact")
            s.connected = d.get("connected")
            s.peak_level = d.get("peak_level", "none")
            s.contexts = {str(k): int(v) for k, v in d.get("contexts", {}).items()}
            s.opener = None if d.get("opener") is None else str(d["opener"])
            if s.peak_level not in LEVELS:
                raise ValueError(s.peak_level)
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise InvalidInput(f"conversation state is damaged: {exc}") from None
        return s


def _default_pii_detector() -> Callable[[str], list] | None:
    try:
        from childsafe.pii import detect_pii
    except ImportError:
        return None
    return detect_pii


def _default_nudger() -> Callable[..., Any] | None:
    try:
        from childsafe.nudges import nudge_for
    except ImportError:
        return None
    return nudge_for


class ConversationEngine:
    """Streaming grooming-risk assessment for many interleaved conversations.

    ``detect_pii`` and ``nudge_for`` default to :mod:`childsafe.pii` and :mod:`childsafe.nudges`; pass
    ``detect_pii=False`` to follow tactics only (the fastest mode).
    """

    def __init__(self, *, max_conversations: int = 10_000,
                 on_evict: Callable[[str, dict], None] | None = None,
                 detector: TacticDetector | None = None,
                 detect_pii: Callable[[str], list] | None | bool = None,
                 nudge_for: Callable[..., Any] | None | bool = None,
                 pii_region: str = "GB") -> None:
        if max_conversations < 1:
            raise InvalidInput("max_conversations must be at least 1")
        self.max_conversations = max_conversations
        self.on_evict = on_evict
        self.detector = detector or _shared_detector()
        self._detect_pii = (None if detect_pii is False else
                            (detect_pii if callable(detect_pii) else _default_pii_detector()))
        self._nudge_for = (None if nudge_for is False else
                           (nudge_for if callable(nudge_for) else _default_nudger()))
        self.pii_region = pii_region
        code = getattr(self._detect_pii, "__code__", None)
        self._pii_region_kw = code is not None and "region" in code.co_varnames[
            : code.co_argcount + code.co_kwonlyargcount]
        self._states: OrderedDict[str, ConversationState] = OrderedDict()

    # -- state management ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._states)

    def __contains__(self, conversation_id: str) -> bool:
        return conversation_id in self._states

    def state(self, conversation_id: str) -> ConversationState | None:
        return self._states.get(conversation_id)

    def export_state(self, conversation_id: str) -> dict:
        st = self._states.get(conversation_id)
        if st is None:
            raise InvalidInput(f"no state for conversation {conversation_id!r}")
        return st.to_dict()

    def import_state(self, data: dict) -> None:
        st = ConversationState.from_dict(data)
        self._states[st.conversation_id] = st
        self._states.move_to_end(st.conversation_id)
        self._evict()

    def forget(self, conversation_id: str) -> None:
        self._states.pop(conversation_id, None)

    def _state_for(self, conversation_id: str) -> ConversationState:
        st = self._states.get(conversation_id)
        if st is None:
            st = ConversationState(conversation_id)
            self._states[conversation_id] = st
            self._evict(keep=conversation_id)
        else:
            self._states.move_to_end(conversation_id)
        return st

    def _evict(self, keep: str | None = None) -> None:
        while len(self._states) > self.max_conversations:
            cid, st = self._states.popitem(last=False)
            if cid == keep:  # never evict the conversation being worked on
                self._states[cid] = st
                continue
            if self.on_evict is not None:
                self.on_evict(cid, st.to_dict())

    # -- the work -----------------------------------------------------------------------------------
    def observe(self, message: Message) -> Assessment:
        """Take one more message into its conversation and say where the conversation now stands."""
        st = self._state_for(message.conversation_id)
        now = parse_sent_at(message.sent_at)
        if any(w[0] == message.message_id for w in st.window):
            return self._assess(st, message, now, [], duplicate=True)
        st.index += 1
        idx = st.index
        if now is not None:
            st.last_time = now if st.last_time is None else max(st.last_time, now)
        if message.first_contact is not None:
            st.first_contact = message.first_contact
        if message.connected is not None:
            st.connected = message.connected
        sender = st.participant(message.sender)
        st.participants.move_to_end(message.sender)
        sender.messages += 1
        sender.last_index = idx
        sender.set_declared(message.sender_age, message.sender_age_band)
        for r in message.recipients:
            if r != message.sender:
                st.participant(r)

        text = message.text if len(message.text) <= MAX_TEXT else message.text[:MAX_TEXT]
        reading: MessageReading = self.detector.read(text)
        conv_contexts = self.detector.conversation_contexts()
        for name in reading.contexts:
            if name in conv_contexts:
                st.contexts[name] = idx
        active = set(reading.contexts)
        active.update(n for n, last in st.contexts.items() if idx - last <= CONTEXT_SPAN)
        signals: list[MessageSignal] = []
        for hit in reading.hits:
            confidence = hit.raw * self.detector.context_factor(hit.tactic, active)
            sig = sender.tactics.get(hit.tactic)
            if sig is None:
                sig = sender.tactics[hit.tactic] = _Signal(index=idx, time=now)
            sig.add(confidence, idx, now, message.message_id, hit.start, hit.end)
            signals.append(MessageSignal("tactic", hit.tactic, confidence, hit.start, hit.end))
            if st.opener is None and confidence >= STRONG:
                st.opener = message.sender
        self._learn_age(st, sender, reading)

        if self._detect_pii is not None and text and not _known_adult(sender):
            piece = text[:MAX_PII_TEXT]
            found = self._detect_pii(piece, region=self.pii_region) if self._pii_region_kw else self._detect_pii(piece)
            for f in found:
                sig = sender.pii.get(f.kind)
                if sig is None:
                    sig = sender.pii[f.kind] = _Signal(index=idx, time=now)
                score = float(getattr(f, "score", 1.0))
                sig.add(score, idx, now, message.message_id, int(f.start), int(f.end))
                signals.append(MessageSignal("pii", f.kind, score, int(f.start), int(f.end)))

        st.window.append([message.message_id, message.sender, message.sent_at,
                          [[s.kind, s.name, round(s.score, 3)] for s in signals]])
        return self._assess(st, message, now, signals)

    def _learn_age(self, st: ConversationState, sender: Participant, reading: MessageReading) -> None:
        """Ages people state in the chat ("i'm 13", or "13" right after "how old are you?") count as stated."""
        if reading.stated_age is not None:
            sender.set_stated(reading.stated_age)
        elif reading.bare_number is not None and len(st.window) >= 1:
            prev = st.window[-1]
            if prev[1] != sender.sender and any(s[1] == "age_identity_probing" for s in prev[3]):
                sender.set_stated(reading.bare_number)

    def _assess(self, st: ConversationState, message: Message, now: float | None,
                signals: list[MessageSignal], duplicate: bool = False) -> Assessment:
        idx = st.index
        parts = list(st.participants.values())
        ages = {p.sender: p.effective_age() for p in parts}
        best_risk, suspect = 0.0, None
        current: dict[str, dict[str, float]] = {}
        risks: dict[str, float] = {}
        for p in parts:
            if p.tactics:
                current[p.sender] = {t: s.current(idx, now) for t, s in p.tactics.items()}
        for p in parts:
            scores = current.get(p.sender)
            if scores is None:
                continue
            others = [a for s, a in ages.items() if s != p.sender and a is not None]
            ctx = age_context(_age_as_sender(p), min(others) if others else None)
            if idx - st.contexts.get("family", -10**9) <= FAMILY_SPAN:
                ctx = min(ctx, FAMILY_CONTEXT)  # relatives: an adult talking to a child is expected
            if idx - st.contexts.get("schoolmates", -10**9) <= FAMILY_SPAN and not _known_adult(p) \
                    and not any(v >= STRONG and t in ONE_SIDED for t, v in scores.items()):
                ctx = min(ctx, SCHOOLMATES_CONTEXT)  # people who know each other from class
            if len(current) > 1 and _mutual(scores, p.sender, current):
                ctx *= MUTUAL_CONTEXT  # both sides flatter, ask and offer: friends, not a one-way approach
            ctx *= contact_context(st.first_contact, st.connected)
            r = sender_risk(scores, ctx, ages_known=bool(others) or _age_as_sender(p) is not None)
            risks[p.sender] = r
            if r > best_risk:
                best_risk, suspect = r, p.sender
        level = level_for(best_risk)
        risk = round(best_risk, 4)
        if not duplicate:
            st.trajectory.append([idx, message.message_id, risk, level])
            if st.first_alert_message_id is None and LEVELS.index(level) >= LEVELS.index("medium"):
                st.first_alert_message_id = message.message_id
        rose = LEVELS.index(level) > LEVELS.index(st.peak_level)
        if rose and not duplicate:
            st.peak_level = level

        tactics = _merge_tactics(current, {p.sender: p for p in parts})
        children = [p for p in parts if _counts_as_child(p, suspect)]
        pii = _merge_pii(children, idx, now)

        from_suspect = suspect is not None and message.sender == suspect
        strong_now = from_suspect and any(s.kind == "tactic" and s.score >= STRONG_MESSAGE for s in signals)
        action = _action(level, strong_now)
        nudge, nudge_topic, nudge_target = None, None, None
        sender = st.participants.get(message.sender)
        msg_pii = [s for s in signals if s.kind == "pii"]
        if not duplicate and sender is not None:
            if msg_pii and _shares_as_child(sender, suspect, risks, current, signals, parts, st.opener) and (
                    LEVELS.index(level) >= 1 or any(s.name in URGENT_PII for s in msg_pii)):
                nudge_topic = max(msg_pii, key=lambda s: s.score).name
                nudge = self._nudge(nudge_topic, sender)
                nudge_target = message.sender
                if action == "none":
                    action = "nudge_child"
            elif LEVELS.index(level) >= 2 and (rose or strong_now):
                tactic_now = [s for s in signals if s.kind == "tactic"]
                # A tactic nudge never goes to whoever used the tactic: that would tell the sender
                # what was detected (an offender claiming a teen age can look like the younger party).
                excluded = {suspect} | ({message.sender} if tactic_now else set())
                child = _youngest_other(parts, excluded)
                if tactic_now:
                    nudge_topic = max(tactic_now, key=lambda s: s.score).name
                elif tactics:
                    nudge_topic = max(tactics, key=lambda t: t.score).tactic
                if nudge_topic is not None and (child is None or not _known_adult(child)):
                    nudge = self._nudge(nudge_topic, child)
                    nudge_target = child.sender if child is not None else None
        return Assessment(
            conversation_id=st.conversation_id, message_id=message.message_id, risk=risk, level=level,
            tactics=tactics, pii=pii, recommended_action=action,
            first_alert_message_id=st.first_alert_message_id, nudge=nudge,
            nudge_for=(None if nudge is None else nudge_target),
            message_signals=signals, suspect=suspect, duplicate=duplicate,
        )

    def _nudge(self, topic: str, child: Participant | None) -> Any:
        if self._nudge_for is None:
            return None
        band = (child.band if child is not None else None) or "13-15"
        if band == "minor":
            band = "13-15"
        if band == "18+":
            return None
        return self._nudge_for(topic, age_band=band)


def _mutual(scores: dict[str, float], sender: str, current: dict[str, dict[str, float]]) -> bool:
    """Whether someone else in the conversation uses the same getting-to-know-you tactics back.

    Grooming is one-sided: the offender flatters, asks, offers and moves the chat; the child answers.
    Friends (and teenagers who like each other) do these things to each other. Only relationship-building
    tactics count here; pressure, threats, isolation and requests for photos are never "mutual".
    """
    mine = {t for t, v in scores.items() if v >= STRONG and t in RECIPROCAL}
    if not mine or any(v >= STRONG and t in ONE_SIDED for t, v in scores.items()):
        return False
    for other, theirs in current.items():
        if other != sender and any(theirs.get(t, 0.0) >= STRONG for t in mine):
            return True
    return False


def _known_adult(p: Participant) -> bool:
    age = p.effective_age()
    return age is not None and age >= 18


def _age_as_sender(p: Participant) -> float | None:
    """The sender's age as far as judging their tactics goes.

    Offenders often claim to be a child's age ("im 15 too lol"), so an age only stated in the chat is
    believed when it makes the sender an adult, never when it would make their tactics look like peer talk.
    """
    age = p.effective_age()
    if age is not None and age < 18 and p.age_source == "stated":
        return None
    return age


def _counts_as_child(p: Participant, suspect: str | None) -> bool:
    if p.sender == suspect and p.age_source != "declared":
        return False
    age = p.effective_age()
    if age is not None:
        return age < 18
    return p.sender != suspect


def _shares_as_child(p: Participant, suspect: str | None, risks: dict[str, float],
                     current: dict[str, dict[str, float]], signals: list[MessageSignal],
                     parts: list[Participant], opener: str | None = None) -> bool:
    """Whether a personal detail in ``p``'s own message is a child's, to be nudged about.

    A personal-detail nudge goes to the child who is sharing, never to an adult and never to the person
    working on the other: that would tell an offender what the guard watches. An adult (declared or
    stated) is never nudged. A minor declared by the platform is, unless the detail comes with a strong
    tactic of theirs while they are the suspect. Anyone else (age unknown, or a young age only claimed
    in the chat, as offenders do) is not nudged when they opened the conversation's tactics (the one
    who approached), give the detail with a strong tactic of their own ("text me on 07700..."), or,
    beside a minor the platform declared, have used any tactic or claimed a young age. Otherwise they
    are nudged when they only mirror the opener's getting-to-know-you questions ("how old are you?" asked
    back), or when they are not the suspect, do not share the top risk and have used no tactic beyond
    getting-to-know-you talk.
    """
    if _known_adult(p):
        return False
    tactic_now = any(s.kind == "tactic" and s.score >= STRONG for s in signals)
    age = p.effective_age()
    if p.age_source == "declared" and age is not None and age < 18:
        return not (p.sender == suspect and tactic_now)
    if p.sender == opener or tactic_now:
        return False
    mine = current.get(p.sender, {})
    if any(q is not p and q.age_source == "declared" and (q.effective_age() or 99) < 18 for q in parts):
        # The platform knows who the child is. Someone beside them whose age is unknown or only claimed
        # ("im 15 too") is not nudged once they have used any tactic or claimed a young age themselves.
        if p.age_source == "stated" or any(v >= STRONG for v in mine.values()):
            return False
    only_reciprocal = all(t in RECIPROCAL for t, v in mine.items() if v >= STRONG)
    if opener is not None and only_reciprocal:
        return True  # someone else approached; this one only asks back
    if p.sender == suspect:
        return False
    own = risks.get(p.sender, 0.0)
    if own > 0.0 and suspect is not None and own >= risks.get(suspect, 0.0):
        return False
    return only_reciprocal


def _youngest_other(parts: list[Participant], excluded: set[str | None]) -> Participant | None:
    others = [p for p in parts if p.sender not in excluded]
    if not others:
        return None
    return min(others, key=lambda p: (p.effective_age() if p.effective_age() is not None else 15.0))


def _action(level: str, strong_now: bool) -> str:
    if level == "critical":
        return "open_case"
    if level == "high":
        return "hold_message" if strong_now else "warn_sender"
    if level == "medium":
        return "nudge_child"
    return "none"


def _merge_tactics(current: dict[str, dict[str, float]], parts: dict[str, Participant]) -> list[TacticScore]:
    best: dict[str, float] = {}
    evidence: dict[str, list[list[Any]]] = {}
    for sender, scores in current.items():
        for tactic, score in scores.items():
            if score < REPORT_MIN:
                continue
            best[tactic] = max(best.get(tactic, 0.0), score)
            evidence.setdefault(tactic, []).extend(e for e in parts[sender].tactics[tactic].evidence
                                                   if e[3] >= REPORT_MIN)
    out = []
    for tactic, score in sorted(best.items(), key=lambda kv: -kv[1]):
        evs = sorted(evidence.get(tactic, []), key=lambda e: (_order_key(e[0]), e[1]))
        out.append(TacticScore(tactic, score, [Evidence(e[0], e[1], e[2]) for e in evs]))
    return out


def _merge_pii(children: list[Participant], idx: int, now: float | None) -> list[PIISignal]:
    best: dict[str, float] = {}
    evidence: dict[str, list[list[Any]]] = {}
    for p in children:
        for kind, sig in p.pii.items():
            best[kind] = max(best.get(kind, 0.0), sig.score)
            evidence.setdefault(kind, []).extend(sig.evidence)
    return [PIISignal(k, v, [Evidence(e[0], e[1], e[2]) for e in evidence[k]])
            for k, v in sorted(best.items(), key=lambda kv: -kv[1])]


def _order_key(message_id: str) -> tuple[int, Any]:
    return (0, int(message_id)) if message_id.isdigit() else (1, message_id)


_DETECTOR: TacticDetector | None = None


def _shared_detector() -> TacticDetector:
    """Compiling the patterns takes a moment; every engine in the process shares one detector."""
    global _DETECTOR
    if _DETECTOR is None:
        _DETECTOR = TacticDetector()
    return _DETECTOR

