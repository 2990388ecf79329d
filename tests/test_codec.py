import numpy as np
import pytest

from childsafe.errors import InvalidInput
from childsafe.index.codec import array_to_hex, bits_to_hex, hamming, hex_to_array, normalise_hex


def test_hex_round_trips_through_array():
    h = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22"
    assert array_to_hex(hex_to_array(h)) == [h]


def test_bits_pack_in_reference_order():
    bits = np.zeros(256, dtype=np.uint8)
    bits[0] = 1  # first bit is the most significant bit of the first hex digit
    assert bits_to_hex(bits).startswith("80")


def test_hamming_counts_differing_bits():
    a = "0" * 64
    b = "f" + "0" * 62 + "1"
    assert hamming(a, b) == 5


@pytest.mark.parametrize("bad", ["abc", "g" * 64, "0" * 63 + "z", ""])
def test_bad_hash_is_rejected_with_reason(bad):
    with pytest.raises(InvalidInput):
        normalise_hex(bad, "pdq", where="line 2")
