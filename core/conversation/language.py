"""Which language to answer a shopper in, decided per message, offline.

The message's own language when it says enough (py3langid, a packaged naive-Bayes model
restricted to the languages wismo speaks; nothing is downloaded at run time); otherwise the
chat's current language; for a new chat the language its app reports (Telegram's
`language_code`); and the shop's default (`WISMO_DEFAULT_LANGUAGE`) when none of these is
one wismo speaks. Short or ambiguous messages ("1003", "ok", an e-mail address) never switch
a chat's language: only text with enough letters and a confident model does.

Measured on the 802 labelled shopper messages (tests/unit/conversation; README, Languages):
right on 761, wrong on 3, the chat's language kept on 38 (mostly bare numbers), at about
27 µs a message; lingua decided far fewer at the same threshold, slower and with a
96 MB install; langdetect fewer still, at 70× the cost (`python -m bench.languages --compare`).
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from typing import Any

from core.conversation.intents import english_words
from core.conversation.reading import own_words, words_of
from core.replies.messages import LANGUAGES, language_of

log = logging.getLogger(__name__)

_WORDS = re.compile(r"[^\W_]+")
_EMAIL = re.compile(r"\S+@\S+")
# Below this the model guesses: "ok", "1003", "Nr." never switch a chat's language.
MIN_LETTERS = 5
# The model's normalised probability a message must reach to switch the chat's language.
CONFIDENCE = 0.7


def letters_of(text: str) -> str:
    """The words of a message without numbers, signs or e-mail addresses: what a model reads.
    A word with digits in it goes whole ("1Z999AA10123456784" is no German "Z" and "AA")."""
    words = _WORDS.findall(_EMAIL.sub(" ", text))
    return " ".join(w for w in words if not any(ch.isdigit() for ch in w))


class LanguageDetector:
    """Detects the language of one shopper message among those wismo speaks.

    The model (a few MB, packaged with py3langid) loads on first use or on `warm()`, once
    per process; detection is thread-safe."""

    def __init__(self, languages: tuple[str, ...] = LANGUAGES) -> None:
        self.languages = languages
        self._identifier: Any = None
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Load the model now (at start), so the first shopper does not wait for it."""
        if self._identifier is None:
            with self._lock:
                if self._identifier is None:
                    from py3langid.langid import MODEL_FILE, LanguageIdentifier

                    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                    identifier.set_languages(list(self.languages))
                    self._identifier = identifier

    def detect(self, text: str) -> str | None:
        """The message's language ("de"), or None when it is too short or unclear to say."""
        letters = letters_of(text)
        if len(letters.replace(" ", "")) < MIN_LETTERS:
            return None
        self.warm()
        language, probability = self._identifier.classify(letters.lower())
        return str(language) if probability >= CONFIDENCE else None


@lru_cache(maxsize=1)
def _own_words() -> dict[str, str]:
    return own_words(english_words())


def language_of_words(text: str) -> str | None:
    """The one language whose own words `text` uses ("Hilfe" -> "de"), or None when its
    words are English, shared by languages, unknown or of several languages: for messages
    too short for the model."""
    table = _own_words()
    found = {table[w] for w in words_of(text) if w in table}
    return found.pop() if len(found) == 1 else None


def chat_language(
    detected: str | None, current: str | None, app_locale: str | None, default: str
) -> str:
    """The language to answer in: the message's, else the chat's, else the app's, else the
    shop's default (each only when wismo speaks it)."""
    return (
        detected
        or language_of(current)
        or language_of(app_locale)
        or language_of(default)
        or LANGUAGES[0]
    )


_shared: LanguageDetector | None = None


def shared_detector() -> LanguageDetector:
    """The process's one detector (its model is loaded once)."""
    global _shared
    if _shared is None:
        _shared = LanguageDetector()
    return _shared
