"""Hash banks: named lists of known-content signals (pdq, vpdq, md5, sha256), and matching against them."""

from childsafe.banks.formats import FORMATS
from childsafe.banks.matcher import DEFAULT_THRESHOLD, Match, Matcher, MatchResult
from childsafe.banks.models import SIGNAL_TYPES
from childsafe.banks.store import BankInfo, BankStore, ChangeSummary, EntryInfo

__all__ = [
    "BankInfo", "BankStore", "ChangeSummary", "DEFAULT_THRESHOLD", "EntryInfo", "FORMATS", "Match",
    "MatchResult", "Matcher", "SIGNAL_TYPES",
]
