"""Fingerprints of media: PDQ for images, vPDQ-compatible frame hashes for video, MD5/SHA-256.

Everything here agrees with Meta's reference implementations (PDQ gives the bits and quality of the reference
C++, which the pdqhash package wraps; video sampling, the vpdq text format and the matching rule follow
vpdq and python-threatexchange).
"""

from childsafe.media.fingerprint import FileDigests, Fingerprint, detect_media_type, file_digests, fingerprint_file
from childsafe.media.images import (
    DEFAULT_MAX_PIXELS,
    HASH_MAX_SIDE,
    TRANSFORMS,
    PDQHash,
    TransformHash,
    apply_transform,
    load_for_hashing,
    load_image,
    to_luma,
    to_rgb,
    pdq_dihedral,
    pdq_hash_file,
    pdq_hash_image,
)
from childsafe.media.queries import MatchOptions, QueryHash, image_query_hashes
from childsafe.media.video import VideoHash, hash_video
from childsafe.media.vpdq import (
    VPDQ_COMPARED_MATCH_THRESHOLD_PERCENT,
    VPDQ_DISTANCE_THRESHOLD,
    VPDQ_QUALITY_THRESHOLD,
    VPDQ_QUERY_MATCH_THRESHOLD_PERCENT,
    FrameHash,
    VideoMatch,
    format_vpdq,
    parse_vpdq,
    vpdq_match,
)

__all__ = [
    "DEFAULT_MAX_PIXELS",
    "HASH_MAX_SIDE",
    "TRANSFORMS",
    "FileDigests",
    "Fingerprint",
    "FrameHash",
    "MatchOptions",
    "PDQHash",
    "QueryHash",
    "TransformHash",
    "VideoHash",
    "VideoMatch",
    "VPDQ_COMPARED_MATCH_THRESHOLD_PERCENT",
    "VPDQ_DISTANCE_THRESHOLD",
    "VPDQ_QUALITY_THRESHOLD",
    "VPDQ_QUERY_MATCH_THRESHOLD_PERCENT",
    "apply_transform",
    "detect_media_type",
    "file_digests",
    "fingerprint_file",
    "format_vpdq",
    "hash_video",
    "image_query_hashes",
    "load_for_hashing",
    "load_image",
    "parse_vpdq",
    "pdq_dihedral",
    "pdq_hash_file",
    "pdq_hash_image",
    "to_luma",
    "to_rgb",
    "vpdq_match",
]
