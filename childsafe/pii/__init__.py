"""Personal-details guard: spots phone numbers, addresses, schools, handles and more in a message
before it is sent, with exact spans so a client can highlight or redact them.

>>> [f.kind for f in detect_pii("text me on 07700 900123")]
['phone']
"""

from childsafe.pii.findings import PII_KINDS, PIIFinding
from childsafe.pii.recognizers import Pattern, PatternRecognizer, PhoneRecognizer, Recognizer, pattern
from childsafe.pii.registry import RecognizerRegistry, default_registry, detect_pii, redact

__all__ = [
    "PII_KINDS", "PIIFinding", "Pattern", "PatternRecognizer", "PhoneRecognizer", "Recognizer", "RecognizerRegistry",
    "default_registry", "detect_pii", "pattern", "redact",
]
