"""The validation slice of the training rows, shared by the fine-tune and the heads.

A stable hash of the text decides, so the encoder fine-tune
(:mod:`training.finetune`) and the heads' threshold split (:mod:`training.train`)
leave out the same rows without passing index lists around: the heads are
measured on rows the fine-tuned encoder never saw.
"""

from __future__ import annotations

import hashlib

VAL_FRACTION = 0.15


def in_validation(text: str, fraction: float = VAL_FRACTION) -> bool:
    """Is this text in the validation slice (about ``fraction`` of all texts)?"""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") < fraction * 2**64
