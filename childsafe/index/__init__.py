"""childsafe.index: exact Hamming-radius search over PDQ hashes (``PDQIndex``) and the hash codec."""

from childsafe.index.codec import array_to_hex, hamming, hex_to_array, normalise_hex
from childsafe.index.pdq_index import DEFAULT_RADIUS, PDQIndex, engine_available

__all__ = ["PDQIndex", "DEFAULT_RADIUS", "engine_available", "array_to_hex", "hamming", "hex_to_array", "normalise_hex"]
