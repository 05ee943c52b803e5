"""Input guards for the model: blank out runs of text that spaCy's tokenizer takes quadratic time on."""

from __future__ import annotations

import re
from functools import lru_cache

# spaCy's tokenizer strips prefixes and suffixes from a space-free run one at a time, rescanning
# the rest each time: 6,000 '*' take ~7 s, 20,000 ~75 s. Runs that long are rules, brackets, URLs
# or base64, never a name or a figure, so the model need not see them.
LONG_RUN_CHARS = 100


def defuse_long_runs(text: str, limit: int = LONG_RUN_CHARS) -> str:
    """`text` with every run of non-whitespace longer than `limit` replaced by as many spaces.

    The length and every other character stay where they were, so the model's offsets still
    point into the original text.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    return _long_run_re(limit).sub(lambda match: " " * len(match.group()), text)


@lru_cache(maxsize=4)
def _long_run_re(limit: int) -> re.Pattern[str]:
    """Compiled once per limit, not once per text."""
    return re.compile(rf"\S{{{limit + 1},}}")
