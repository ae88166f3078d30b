"""A text dataset and where it came from: what the loaders and the English-like stand-in both return.

Its own module so that :mod:`utils.datasets` (the loaders) and :mod:`utils.standins` (which makes the
stand-in corpora) can both import it without importing each other; ``utils.datasets.TextCorpus`` is the
same class.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["TextCorpus"]


@dataclass(frozen=True)
class TextCorpus:
    """A text dataset and where it came from.

    Attributes:
        name: the dataset's name (``"time_machine"``, ``"shakespeare"``, ...).
        text: the raw text.
        source: ``"real"`` (the downloaded dataset) or ``"offline"`` (a generated stand-in).
        entropy_per_char_bits: for a stand-in, the exact entropy rate of the text in bits per
            character: no character-level model can have a lower expected cross-entropy.
            ``None`` for real data (nobody knows it).
        entropy_per_word_bits: the same per word (words separated by single spaces).
        process: for a stand-in, the :class:`utils.standins.EnglishLikeProcess` that wrote it.
    """

    name: str
    text: str = field(repr=False)
    source: str
    entropy_per_char_bits: float | None = None
    entropy_per_word_bits: float | None = None
    process: object | None = field(default=None, repr=False, compare=False)  # an EnglishLikeProcess

    @property
    def optimal_char_perplexity(self) -> float | None:
        """``2 ** entropy_per_char_bits``: the lowest per-character perplexity possible (stand-ins)."""
        return None if self.entropy_per_char_bits is None else 2.0**self.entropy_per_char_bits

    @property
    def optimal_word_perplexity(self) -> float | None:
        """``2 ** entropy_per_word_bits``: the lowest per-word perplexity possible (stand-ins)."""
        return None if self.entropy_per_word_bits is None else 2.0**self.entropy_per_word_bits

    def __len__(self) -> int:
        return len(self.text)

    def __str__(self) -> str:
        line = f"{self.name} ({self.source}): {len(self.text):,} characters"
        if self.entropy_per_char_bits is not None:
            line += (
                f"; entropy rate {self.entropy_per_char_bits:.4f} bits/char "
                f"(best perplexity {self.optimal_char_perplexity:.4f}), "
                f"{self.entropy_per_word_bits:.4f} bits/word "
                f"(best perplexity {self.optimal_word_perplexity:.3f})"
            )
        return line
