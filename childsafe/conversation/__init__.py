"""Grooming detection in conversations: tactics with evidence, risk over time, early warning.

``ConversationEngine().observe(Message(...))`` follows each conversation as it happens and returns an
:class:`Assessment` (risk, level, tactics with evidence spans, personal details a child shared, the
recommended action and, when it matters, a nudge for the child). The tactics are documented in
docs/grooming-tactics.md.
"""

from childsafe.conversation.detector import TacticDetector, TacticHit
from childsafe.conversation.engine import ConversationEngine, ConversationState
from childsafe.conversation.models import (
    ACTIONS,
    LEVELS,
    Assessment,
    Evidence,
    Message,
    MessageSignal,
    PIISignal,
    TacticScore,
)
from childsafe.conversation.normalise import Normaliser, NormalisedText
from childsafe.conversation.tactics import STAGES, TACTICS

__all__ = [
    "ACTIONS", "LEVELS", "STAGES", "TACTICS", "Assessment", "ConversationEngine", "ConversationState",
    "Evidence", "Message", "MessageSignal", "Normaliser", "NormalisedText", "PIISignal", "TacticDetector",
    "TacticHit", "TacticScore",
]
