"""Counter-based randomness: any chunk of any table can be drawn anywhere, in any order.

Every random stream is keyed by ``(seed, table, purpose, chunk)``: a :class:`numpy.random.Philox`
generator seeded by a :class:`numpy.random.SeedSequence` whose spawn key names the stream. No
stream carries state from one chunk to the next, so chunk 7 drawn alone on a Dask worker is
the chunk 7 of a local run.

:func:`permute` is a keyed bijection of ``[0, n)`` (a small Feistel network with cycle walking):
it spreads sequence numbers over a range without a global set, which is how one-to-one keys and
"popular" parents are scattered without materialising anything.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np

__all__ = ["permute", "skewed_positions", "stream_rng"]

IntArray = np.ndarray[Any, np.dtype[np.int64]]
_ROUNDS = 4
_MASK32 = np.uint64(0xFFFFFFFF)


def _name_key(name: str) -> int:
    return zlib.crc32(name.encode())


def stream_rng(seed: int, table: str, purpose: str, chunk: int) -> np.random.Generator:
    """The random stream of one (table, purpose, chunk): the same wherever it is made."""
    sequence = np.random.SeedSequence(seed, spawn_key=(_name_key(table), _name_key(purpose), chunk))
    return np.random.Generator(np.random.Philox(sequence))


def _round_keys(seed: int, name: str) -> np.ndarray[Any, np.dtype[np.uint64]]:
    keys = np.random.SeedSequence(seed, spawn_key=(_name_key(name),)).generate_state(_ROUNDS)
    return keys.astype(np.uint64)


def _feistel(x: np.ndarray[Any, Any], half: int, keys: Any) -> np.ndarray[Any, Any]:
    """One pass of a balanced Feistel network over ``2 * half`` bits (a bijection)."""
    mask = np.uint64((1 << half) - 1)
    left, right = x >> np.uint64(half), x & mask
    for key in keys:
        # A multiply-xorshift round function: cheap, vectorised, and mixes every bit of right.
        f = (right * np.uint64(0x9E3779B97F4A7C15) + key) & _MASK32
        f ^= f >> np.uint64(15)
        f = (f * np.uint64(0x2C1B3C6D)) & _MASK32
        f ^= f >> np.uint64(12)
        left, right = right, (left ^ f) & mask
    out: np.ndarray[Any, Any] = (left << np.uint64(half)) | right
    return out


def permute(positions: Any, n: int, seed: int, name: str) -> IntArray:
    """A keyed bijection of ``[0, n)`` applied to ``positions`` (each in ``[0, n)``).

    The network permutes ``[0, 4**half)``; values that land outside ``[0, n)`` walk the cycle
    again until they land inside, which keeps the map a bijection of ``[0, n)``.
    """
    x = np.asarray(positions, dtype=np.uint64)
    if n <= 1:
        return x.astype(np.int64)
    half = max(1, ((n - 1).bit_length() + 1) // 2)
    keys = _round_keys(seed, name)
    out = _feistel(x, half, keys)
    outside = out >= np.uint64(n)
    while outside.any():
        out[outside] = _feistel(out[outside], half, keys)
        outside = out >= np.uint64(n)
    return out.astype(np.int64)


def skewed_positions(
    rng: np.random.Generator, n_parents: int, n: int, seed: int, name: str
) -> IntArray:
    """Parent positions with a popularity skew that is the same in every chunk.

    A rank is drawn with density falling off like ``rank ** -0.5`` (the top tenth of parents
    takes about a third of the children), and the rank is scattered over the parents by a
    fixed :func:`permute`, so the busy parents are the same ones in every chunk and no
    per-parent weight table is held.
    """
    if n_parents <= 0:
        from syda.errors import PlanError

        raise PlanError("the parent table has no rows to point at")
    u = rng.random(n)
    ranks = np.minimum((u * u * n_parents).astype(np.int64), n_parents - 1)
    return permute(ranks, n_parents, seed, name)
