"""Which language an article body is written in (py3langid), so the English model reads only English."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

ENGLISH = "en"
# Below this many letters the detector guesses ("Paris" reads as Serbian); such a text is English.
MIN_LETTERS = 80
# A reading less sure than this (a mixed or odd text) is English too: extraction then runs as before.
MIN_CONFIDENCE = 0.8
# The detector walks every byte in Python: it reads a sample from the start and one from the middle.
SAMPLE_CHARS = 600
# Plainly English: one word in twelve is "the", "and", "of" or "that" (83% of BBC bodies; under
# 1% of a Dutch or German text, none of a Spanish or French one).
ENGLISH_WORD_RE = re.compile(r"\b(?:the|and|of|that)\b", re.IGNORECASE)
PLAINLY_ENGLISH = 1 / 12

LANGUAGE_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "is": "Icelandic",
    "it": "Italian", "ja": "Japanese", "ko": "Korean", "la": "Latin", "lt": "Lithuanian",
    "lv": "Latvian", "ms": "Malay", "mt": "Maltese", "nl": "Dutch", "nn": "Norwegian",
    "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish",
    "sw": "Swahili", "th": "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
}  # fmt: skip


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """The detector's model, loaded once per process on first use (about 0.7 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(body: str) -> str:
    """The ISO 639-1 code of the language the body reads as; "en" when it is short or unclear."""
    sample = body[:SAMPLE_CHARS]
    if len(body) > 4 * SAMPLE_CHARS:
        # An English story that opens on a long quotation in another language is still English.
        middle = len(body) // 2
        sample += "\n" + body[middle : middle + SAMPLE_CHARS]
    if sum(map(str.isalpha, sample)) < MIN_LETTERS:
        return ENGLISH
    words = sample.split()
    if len(ENGLISH_WORD_RE.findall(sample)) >= PLAINLY_ENGLISH * len(words):
        return ENGLISH  # most articles: the detector (0.6 ms a text) need not read them
    code, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE or code == "zxx":  # zxx: no language at all
        return ENGLISH
    return str(code)


def language_name(code: str) -> str:
    """A language's name and code, "Spanish (es)"; the bare code for one without a name here."""
    name = LANGUAGE_NAMES.get(code)
    return f"{name} ({code})" if name else code


def not_english_note(code: str) -> str:
    """What the panel says instead of entities for an article in another language."""
    return (
        "Entities are extracted for English articles only; "
        f"this article reads as {language_name(code)}."
    )
