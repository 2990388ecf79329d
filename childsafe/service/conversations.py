"""Conversation state across requests, restarts and workers.

The engine's state for each conversation is persisted with every message, under a version number.
Before a message is observed, the stored version is compared with the one this process last saw; if
another worker moved the conversation on (or this process restarted), the stored state is loaded
first. Writes check the version too, so two workers can never both extend the same state.

Message text is not persisted unless the conversation reaches medium risk or opens a case; until then
only a short window of recent messages is held in this process's memory, so the evidence that led to
the alert can be kept when it fires.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from dataclasses import dataclass

import orjson
from sqlalchemy import select

from childsafe.service.models import ConversationRecord

MAX_CACHED = 20_000  # conversations held in memory per process; older ones reload from the database


class StaleConversation(Exception):
    """Another worker changed the conversation between reading and writing it; process again."""


@dataclass
class ConversationView:
    version: int
    keeps_text: bool
    case_id: str | None
    participants: list[str]


@dataclass
class WindowMessage:
    message_id: str
    sender_id: str
    sent_at: str
    text: str


class ConversationTracker:
    def __init__(self, db, settings) -> None:
        self.db = db
        self.settings = settings
        self._engine = None
        self.views: OrderedDict[str, ConversationView] = OrderedDict()
        self.windows: dict[str, deque[WindowMessage]] = {}
        self.locks: dict[str, asyncio.Lock] = {}

    @property
    def engine(self):
        if self._engine is None:
            from childsafe.conversation import ConversationEngine

            self._engine = ConversationEngine(max_conversations=MAX_CACHED)
        return self._engine

    def lock(self, conversation_id: str) -> asyncio.Lock:
        lock = self.locks.get(conversation_id)
        if lock is None:
            if len(self.locks) > MAX_CACHED:
                for cid in [c for c, l in self.locks.items() if not l.locked()]:
                    del self.locks[cid]
            lock = self.locks[conversation_id] = asyncio.Lock()
        return lock

    def prepare(self, conversation_id: str) -> ConversationView:
        """The conversation as stored, with the engine's state brought up to that version.

        When this process already holds the conversation, no read is needed: the write checks the
        version, so if another worker moved the conversation on meanwhile the write fails with
        :class:`StaleConversation` and the message is processed again on the stored state.
        """
        cached = self.views.get(conversation_id)
        if cached is not None and (cached.version == 0 or conversation_id in self.engine):
            self.views.move_to_end(conversation_id)
            return cached
        with self.db.sessions() as s:
            row = s.execute(
                select(ConversationRecord.version, ConversationRecord.keeps_text, ConversationRecord.case_id,
                       ConversationRecord.participants)
                .where(ConversationRecord.conversation_id == conversation_id)
            ).first()
            if row is None:
                if cached is not None and cached.version != 0:
                    self.forget(conversation_id)
                view = ConversationView(0, False, None, [])
                if cached is None or cached.version != 0 or conversation_id not in self.engine:
                    self._reset_engine(conversation_id)
            elif cached is not None and cached.version == row[0] and conversation_id in self.engine:
                view = cached
            else:
                state = s.scalar(
                    select(ConversationRecord.state).where(ConversationRecord.conversation_id == conversation_id)
                )
                self.engine.import_state(orjson.loads(state))
                view = ConversationView(row[0], bool(row[1]), row[2], list(row[3] or []))
        self.remember(conversation_id, view)
        return view

    def _reset_engine(self, conversation_id: str) -> None:
        forget = getattr(self.engine, "forget", None)
        if forget is not None:
            forget(conversation_id)

    def remember(self, conversation_id: str, view: ConversationView) -> None:
        self.views[conversation_id] = view
        self.views.move_to_end(conversation_id)
        while len(self.views) > MAX_CACHED:
            old, _ = self.views.popitem(last=False)
            self.windows.pop(old, None)
            self._reset_engine(old)

    def forget(self, conversation_id: str) -> None:
        """Drop what this process holds, so the next message reloads the stored state."""
        self.views.pop(conversation_id, None)

    def window(self, conversation_id: str) -> deque[WindowMessage]:
        w = self.windows.get(conversation_id)
        if w is None:
            w = self.windows[conversation_id] = deque(maxlen=self.settings.text_window_messages)
        return w
