"""German, French and Spanish messages read as the English the intent rules know.

The rules of core.conversation.intents are written once, in English words. A message in
another language is first read into those words: the language's phrases
(core.conversation.words_de etc.: "auf dem laufenden" -> "keep me posted"), then word by
word ("bestellung" -> "order"), with accents optional ("donde" is "dónde") and typos of the
listed words matched the way English ones are. Digits, e-mail addresses and punctuation stay
where they were, so order numbers, "Nr." and "#" keep their places. Words not listed pass
through unchanged: a shopper mixing in English is still understood.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from core.conversation import words_de, words_es, words_fr

_LETTERS = re.compile(r"[^\W\d_]+")
_EMAIL_LIKE = re.compile(r"\S+@\S+")


def _plain(word: str) -> str:
    """The word without its accents ("dónde" -> "donde"), as shoppers often type it."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Language:
    phrases: tuple[tuple[re.Pattern[str], str], ...]
    words: dict[str, str]  # spelling (and its accent-free form) -> English word
    fuzzy: tuple[str, ...]  # spellings typos are matched against


def _language(phrases: tuple[tuple[str, str], ...], words: dict[str, str]) -> Language:
    table = dict(words)
    for spelling, english in words.items():
        table.setdefault(_plain(spelling), english)
    compiled = tuple((re.compile(p, re.IGNORECASE), r) for p, r in phrases)
    return Language(compiled, table, tuple(sorted(w for w in table if len(w) >= 4)))


_LANGUAGES: dict[str, Language] = {
    "de": _language(words_de.PHRASES, words_de.WORDS),
    "fr": _language(words_fr.PHRASES, words_fr.WORDS),
    "es": _language(words_es.PHRASES, words_es.WORDS),
}

# The languages whose messages are read into English first (English needs no reading).
READ_INTO_ENGLISH = frozenset(_LANGUAGES)


def own_words(english: frozenset[str]) -> dict[str, str]:
    """Words that belong to one language only, neither English (`english`) nor another's:
    "hilfe" -> "de", "hola" -> "es"."""
    seen: dict[str, set[str]] = {}
    for code, language in _LANGUAGES.items():
        for spelling in language.words:
            seen.setdefault(spelling, set()).add(code)
    # Short words ("es", "de", "mi") are words of too many languages to tell one.
    return {
        w: next(iter(c))
        for w, c in seen.items()
        if len(c) == 1 and w not in english and len(w) >= 4
    }


def words_of(text: str) -> list[str]:
    """The words of `text`, lower case, as the tables spell them."""
    return _LETTERS.findall(text.lower())


def in_english(text: str, language: str | None) -> str:
    """`text` with the words of `language` replaced by the English the rules know; `text`
    itself when the language is English, unknown or None."""
    words = _LANGUAGES.get(language or "")
    if words is None:
        return text
    # E-mail addresses are kept whole: "marie.commande@exemple.fr" is not an order.
    parts = _EMAIL_LIKE.split(text)
    emails = _EMAIL_LIKE.findall(text)
    read = [_read(part, language or "") for part in parts]
    out = read[0]
    for email, part in zip(emails, read[1:], strict=True):
        out += email + part
    return out


def _read(part: str, language: str) -> str:
    words = _LANGUAGES[language]
    text = part.replace("’", "'").replace(_OPEN, " ").replace(_CLOSE, " ")
    for pattern, english in words.phrases:
        # What a phrase became is English already: fenced off from the word pass below
        # ("stuck" must not read as the German "Stück"). A group it keeps stays unfenced.
        text = pattern.sub(functools.partial(_fenced, english=english), text)
    pieces = _FENCED.split(text)
    # Odd pieces are fenced English; even ones are read word by word. A word not listed
    # keeps its case: "1Z999AA10123456784" stays a tracking number.
    return "".join(
        piece
        if index % 2
        else _LETTERS.sub(lambda m: _word(language, m.group(0).lower()) or m.group(0), piece)
        for index, piece in enumerate(pieces)
    )


_OPEN, _CLOSE = "\x02", "\x03"
_FENCED = re.compile(f"{_OPEN}(.*?){_CLOSE}", re.DOTALL)
_GROUP = re.compile(r"\\(\d)")


def _fenced(match: re.Match[str], english: str) -> str:
    """The phrase's English, fenced; a group it carries over ("\\1") is left outside."""
    out = []
    last = 0
    for ref in _GROUP.finditer(english):
        out.append(f"{_OPEN}{english[last : ref.start()]}{_CLOSE}")
        out.append(match.group(int(ref.group(1))) or "")
        last = ref.end()
    out.append(f"{_OPEN}{english[last:]}{_CLOSE}")
    return "".join(out)


@lru_cache(maxsize=8192)
def _word(language: str, word: str) -> str | None:
    """The English for `word` (lower case), or None when it is not one of the language's."""
    words = _LANGUAGES[language]
    found = words.words.get(word) or words.words.get(_plain(word))
    if found is not None:
        return found
    if len(word) >= 4:
        for close in difflib.get_close_matches(word, words.fuzzy, n=3, cutoff=0.8):
            # As in English: typos rarely hit the first letter.
            if close[0] == word[0]:
                return words.words[close]
    return None
