"""Builds the optional compiled parts (the search engine of childsafe.index, border and outline finding
of childsafe.media.edits); everything else is in pyproject.toml.

The extension is optional: if no C compiler is available the install still succeeds and the index
falls back to a numpy scan with the same results.
"""

import platform

from setuptools import Extension, setup

flags = ["-O3"]
if platform.machine().lower() in ("x86_64", "amd64"):
    flags.append("-mpopcnt")

setup(
    ext_modules=[
        Extension(
            "childsafe.index._pdqsearch",
            ["childsafe/index/_pdqsearch.c"],
            extra_compile_args=flags,
            optional=True,
        ),
        # PDQ's blur, samples, DCT and quality without a BLAS (childsafe.media.pdq; numpy fallback).
        Extension("childsafe.media._pdqcore", ["childsafe/media/_pdqcore.c"],
                  depends=["childsafe/media/_rgb_split.h", "childsafe/media/_pdqcore_simd.h"],
                  extra_compile_args=["-O3", "-ffp-contract=off"],
                  optional=True),  # no fused multiply-adds: the reference's float results, to the bit
        # Connected patches with sizes and boxes in one pass (childsafe.media.edits regions; scipy fallback).
        Extension("childsafe.media._components", ["childsafe/media/_components.c"], extra_compile_args=["-O3"],
                  optional=True),
        # Border trimming and outline finding of childsafe.media.edits (numpy versions kept as fallback).
        Extension("childsafe.media._trim", ["childsafe/media/_trim.c"],
                  depends=["childsafe/media/_image_buffer.h", "childsafe/media/_rgb_split.h"],
                  extra_compile_args=["-O3"], optional=True),
        Extension("childsafe.media._outlines", ["childsafe/media/_outlines.c"],
                  depends=["childsafe/media/_image_buffer.h", "childsafe/media/_rgb_split.h"],
                  extra_compile_args=["-O3"], optional=True),
    ]
)
