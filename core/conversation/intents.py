"""Understanding shopper text: what they want, and which order number they mean.

Rules, not a model: a small vocabulary with typo tolerance (difflib) and phrase rules in
priority order, so "hi, can I return 1001?" is a return, not a greeting. Order numbers
are whatever `CoreConfig.order_number_pattern` matches as a whole word; phone numbers,
dates, times, amounts and quantities are blanked out first, so "call me on 555-123-4567"
or "ordered on 12.11.2026" never become order numbers. A number right after "order",
"#" or "number" is preferred over a bare one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from core.conversation import vocabulary
from core.conversation.reading import READ_INTO_ENGLISH, in_english

# Intents a Parsed can carry (the conversation adds verify, link, stop_pushes, ...).
GREETING, HELP, TRACK, LIST = "greeting", "help", "track_order", "list_orders"
FOLLOW, UNFOLLOW, RETURN, HUMAN = "follow", "unfollow", "start_return", "human"
THANKS, BYE, UNKNOWN, CANCEL = "thanks", "bye", "unknown", "cancel"
START, STOP_PUSHES, START_PUSHES, SECRET = "start", "stop_pushes", "start_pushes", "secret"

# Spelling -> canonical word, every language's (core.conversation.vocabulary). Typos of
# these (difflib ratio >= 0.8) map the same way.
_WORDS: dict[str, str] = {
    w: canon
    for table in vocabulary.WORDS.values()
    for canon, spellings in table.items()
    for w in spellings.split()
}
_EXACT_ONLY = vocabulary.EXACT_ONLY
_FUZZY_CANDIDATES = sorted(w for w in _WORDS if len(w) >= 4 and w not in _EXACT_ONLY)
# One expression per intent, all languages' patterns together, tried in PROBLEM_ORDER.
_PROBLEM_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (
        intent,
        re.compile(
            "|".join(
                f"(?:{p})" for table in vocabulary.PATTERNS.values() for p in table.get(intent, ())
            )
        ),
    )
    for intent in vocabulary.PROBLEM_ORDER
    if any(table.get(intent) for table in vocabulary.PATTERNS.values())
)

# A match starts only where a run of address characters starts (the lookbehind), and each
# part is bounded: a 4,000-character run without an "@" costs one pass, not 4,000.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Spans that hold digits but are not order numbers; blanked before looking for one.
_NOT_ORDER_NUMBERS = re.compile(
    "|".join(
        (
            r"(?:\+|\b00)\d[\d\s().-]{6,}\d",  # international phone numbers
            r"\(\d{2,5}\)\s*\d[\d\s.-]{3,}\d",  # (555) 123-4567
            r"\b\d{2,5}[.-]\d{2,5}[.-]\d{2,6}\b",  # 555-123-4567, 2026-11-02, 12.11.2026
            r"\b0\d{1,4}\s\d{3,4}\s?\d{0,5}\b",  # 030 1234 5678
            r"\b\d{1,4}[./]\d{1,2}(?:[./]\d{1,4})?\b",  # 12/11, 12.11.
            r"\b\d{1,2}:\d{2}\b",  # 14:30
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?",  # 12 Nov 2026
            rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?",  # Nov 12, 2026
            rf"\b{_MONTH}\s+\d{{4}}\b",  # November 2026
            r"\b(?:in|since|from|year)\s+(?:19|20)\d{2}\b",  # in 2025
            r"[$€£¥]\s?\d[\d,.]*",  # $1001
            r"\b\d[\d,.]*\s?(?:eur|usd|gbp|euros?|dollars?|pounds?|bucks)\b",
            r"\b\d+\s?(?:x|pcs|pieces|items?|days?|weeks?|hours?|hrs|minutes?|mins?|kg|g|lbs?"
            r"|cm|mm|km|miles?|am|pm)\b",
            # A phone number after its word: digits and the marks between them, no further.
            r"\b(?:phone|mobile|tel|telephone|cell|call(?:\s+me)?(?:\s+(?:on|at))?)"
            r"(?:\s+(?:number|no|nr))?(?:\s+(?:is|was|:))?\s*[:#]?\s*\+?\d[\d\s().-]*\d",
            # A postcode after its word: one or two short parts ("10115", "SW1A 1AA"), so
            # "postcode is 10115 and order is 1002" keeps 1002.
            r"\b(?:zip|zipcode|zip code|postcode|post code|postal code|plz)(?:\s+(?:is|was|:))?"
            r"\s*[:#]?\s*[a-z0-9]{2,5}(?:[\s-](?=[a-z0-9]*[a-z])[a-z0-9]{2,4}\b)?",
        )
    ),
    re.IGNORECASE,
)
# A carrier's tracking number: one run of 10-35 letters and digits, at least 8 of them
# digits ("00340434630429788277", "1Z999AA10123456784", "JJD000390007795", "RR123456789DE").
_TRACKING_NUMBER = re.compile(r"(?<![\w+@.-])(?=(?:[A-Za-z]*\d){8})[A-Za-z0-9]{10,35}(?![\w@-])")
# All digits, at most 15 of them and a leading 0: a phone number as often as a tracking one.
_PHONE_LIKE = re.compile(r"0\d{9,14}")
_PHONE_WORDS = re.compile(r"\b(?:phone|mobile|tel|telephone|cell|call|whatsapp)\b", re.IGNORECASE)
# "postcode is 10115": the postcode a shopper proves an order with, given beside the number.
_POSTCODE_GIVEN = re.compile(
    r"\b(?:zip|zipcode|zip code|postcode|post code|postal code|plz)(?:\s+(?:is|was|:))?\s*[:#]?\s*"
    # A second part only with a digit in it ("SW1A 1AA"), so "10115 and ..." stays 10115.
    r"([a-z0-9]{2,5}(?:[\s-](?=[a-z]*\d)[a-z0-9]{2,4}\b)?)",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[:;,!?()\[\]{}\"“”=]")
_THANKS_EMOJI = ("👍", "🙏", "❤", "😊", "🙂")
_SECRET_LEAD = re.compile(
    r"^(?:(?:my|the|it'?s|its|it is)\s+)*(?:(?:zip|post|postal)\s*code|zip|postcode|e-?mail"
    r"(?:\s+address)?)?\s*(?:is|=|:)?\s*",
    re.IGNORECASE,
)
_MARKERS = frozenset({"order", "orders", "number", "#", "no", "nr"})
_STRIP = ".,!?;:()[]{}\"'`*“”‘’"


@dataclass(frozen=True)
class Parsed:
    intent: str
    order_number: str | None = None
    explicit_number: bool = False  # introduced by "#", "order" or "number"
    email: str | None = None
    argument: str = ""  # e.g. the token after /start
    order_numbers: tuple[str, ...] = ()  # every one mentioned, `order_number` first
    tracking_number: str | None = None  # a carrier's tracking number, as typed
    postcode: str | None = None  # "postcode is 10115": a proof given with the question


class IntentParser:
    """Parses shopper text for one shop's order-number format."""

    def __init__(self, order_number_pattern: str) -> None:
        self._pattern = re.compile(order_number_pattern, re.IGNORECASE)
        self._exact = re.compile(order_number_pattern)

    def parse(self, text: str, language: str | None = None) -> Parsed:
        """The shopper's intent and the order number they mentioned, if any; a message in
        German, French or Spanish (`language`) is read into English words first."""
        raw = text.strip()
        if raw.startswith("/"):
            command = _command(raw)
            if command is not None:
                return command
        if language in READ_INTO_ENGLISH:
            raw = in_english(raw, language)
        email_match = _EMAIL.search(raw)
        email = email_match.group(0) if email_match else None
        numbers, explicit = self.find_order_numbers(raw)
        number = numbers[0] if numbers else None
        tracking = None if number else self.find_tracking_number(raw)
        words = _canonical_words(_EMAIL.sub(" ", raw))
        intent = _intent(words, raw, number or tracking)
        postcode = _POSTCODE_GIVEN.search(raw) if number or tracking else None
        return Parsed(
            intent,
            number,
            explicit,
            email,
            order_numbers=numbers,
            tracking_number=tracking,
            postcode=postcode.group(1)
            if postcode and any(c.isdigit() for c in postcode.group(1))
            else None,
        )

    def find_tracking_number(self, text: str) -> str | None:
        """The first thing in `text` shaped like a carrier's tracking number, or None.

        Not an order number of this shop, not part of an e-mail address, and not a phone
        number (a run of digits with a leading 0 after "phone" or "call").
        """
        without_email = _EMAIL.sub(" ", text)
        for match in _TRACKING_NUMBER.finditer(without_email):
            token = match.group(0)
            if self._pattern.fullmatch(token):
                continue
            if _PHONE_LIKE.fullmatch(token) and _PHONE_WORDS.search(
                without_email, 0, match.start()
            ):
                continue
            return token
        return None

    def find_order_number(self, text: str) -> tuple[str | None, bool]:
        """(order number, introduced explicitly?) — explicit mentions win over bare ones."""
        numbers, explicit = self.find_order_numbers(text)
        return (numbers[0] if numbers else None), explicit

    def find_order_numbers(self, text: str) -> tuple[tuple[str, ...], bool]:
        """Every order number in `text`, explicit mentions first; and was the first explicit?"""
        cleaned = _NOT_ORDER_NUMBERS.sub(" ", _EMAIL.sub(" ", text))
        cleaned = _SEPARATORS.sub(" ", cleaned.replace("#", " # ").replace("№", " # "))
        tokens = [t.strip(_STRIP) for t in cleaned.split()]
        explicit: list[str] = []
        bare: list[str] = []
        for index, token in enumerate(tokens):
            if not token or not any(ch.isdigit() for ch in token):
                continue
            number = self._as_order_number(token)
            if number is None or number in explicit or number in bare:
                continue
            before = [_canonical(t) for t in tokens[max(0, index - 3) : index] if t]
            (explicit if any(word in _MARKERS for word in before) else bare).append(number)
        return tuple(explicit + bare), bool(explicit)

    def _as_order_number(self, token: str) -> str | None:
        if self._exact.fullmatch(token):
            return token
        if self._pattern.fullmatch(token):
            # Shop numbers like "WS-1001" typed in lower case: use the shop's case.
            upper = token.upper()
            return upper if self._exact.fullmatch(upper) else token
        return None


def english_words() -> frozenset[str]:
    """Every English spelling the rules know (the other languages' words must not shadow one)."""
    return frozenset(w for spellings in vocabulary.WORDS["en"].values() for w in spellings.split())


@lru_cache(maxsize=8)
def parser_for(order_number_pattern: str) -> IntentParser:
    """A shared parser per pattern (compiling the pattern once)."""
    return IntentParser(order_number_pattern)


def secret_in(text: str, language: str | None = None) -> str | None:
    """An e-mail address, or something shaped like a postcode ("10115", "SW1A 1AA"), or None;
    "meine PLZ ist 10115" reads as "my postcode is 10115" first."""
    if language in READ_INTO_ENGLISH:
        text = in_english(text, language)
    email = _EMAIL.search(text)
    if email:
        return email.group(0)
    candidate = _SECRET_LEAD.sub("", text.strip()).strip(_STRIP).strip()
    compact = candidate.replace(" ", "").replace("-", "")
    if 3 <= len(compact) <= 10 and compact.isalnum() and any(ch.isdigit() for ch in compact):
        return candidate
    return None


def _command(raw: str) -> Parsed | None:
    head, _, rest = raw.partition(" ")
    name = head[1:].split("@", 1)[0].lower()  # "/start@wismo_bot" in groups
    argument = rest.strip()
    if name == "start":
        return Parsed(START, argument=argument)
    mapping = {"stop": STOP_PUSHES, "help": HELP, "orders": LIST, "cancel": CANCEL}
    return Parsed(mapping[name], argument=argument) if name in mapping else None


@lru_cache(maxsize=4096)
def _canonical(word: str) -> str:
    word = word.lower().replace("’", "").replace("'", "")
    if word in _WORDS:
        return _WORDS[word]
    if len(word) >= 4 and word.isalpha():
        for close in difflib.get_close_matches(word, _FUZZY_CANDIDATES, n=3, cutoff=0.8):
            # Typos rarely hit the first letter; without this "there" would read "where".
            if close[0] == word[0]:
                return _WORDS[close]
    return word


def _canonical_words(text: str) -> list[str]:
    cleaned = re.sub(r"[^\w\s'’#]", " ", text.lower())
    return [_canonical(w) for w in cleaned.split()]


def _has(words: list[str], *wanted: str) -> bool:
    return any(w in words for w in wanted)


def _phrase(joined: str, *phrases: str) -> bool:
    return any(f" {p} " in joined for p in phrases)


_ABANDON = (["cancel"], ["cancel", "that"], ["cancel", "this"], ["cancel", "it"], ["nevermind"])
_UNFOLLOW_PHRASES = (
    "stop update",
    "no more update",
    "dont update",
    "dont send",
    "stop sending",
    "turn off update",
    "stop following",
    "stop follow",
    "stop notifying",
)
_FOLLOW_PHRASES = (
    "notify me",
    "keep me posted",
    "keep me updated",
    "keep me update",
    "let me know",
    "tell me when",
    "send me update",
    "alert me",
    "turn on update",
    "start update",
    "message me when",
    "update me",
)
_HUMAN_PHRASES = (
    "talk to",
    "speak to",
    "speak with",
    "call me",
    "customer service",
    "real person",
    "need someone",
    "someone to help",
    "someone help",
)
_TRACK_PHRASES = (
    "when will",
    "when is",
    "on the way",
    "on its way",
    "on my way",
    "show up",
    "get here",
    "turn up",
)
_TRACK_WORDS = ("where", "order", "track", "status", "package", "arrive", "ship", "update")


def _intent(words: list[str], raw: str, number: str | None) -> str:
    joined = f" {' '.join(words)} "
    if words in _ABANDON or _phrase(joined, "never mind", "forget it"):
        return CANCEL
    if _phrase(joined, "no problem", "no worries"):
        return THANKS
    if words in (["start"], ["restart"]):
        return START
    if _has(words, "person") or _phrase(joined, *_HUMAN_PHRASES):
        return HUMAN
    if not _has(words, "unfollow", "follow", "update") or not _has(words, "cancel"):
        for intent, rule in _PROBLEM_RULES:
            if rule.search(joined):
                return intent
    if _has(words, "problem"):
        return HUMAN  # something is wrong and no kind fits: a person decides
    if (
        _has(words, "unfollow")
        or _phrase(joined, *_UNFOLLOW_PHRASES)
        or (words == ["stop"])
        or (_has(words, "cancel") and _has(words, "follow", "update"))
    ):
        return UNFOLLOW
    if _has(words, "follow") or _phrase(joined, *_FOLLOW_PHRASES):
        return FOLLOW
    if (
        (_has(words, "orders") and number is None)
        or _phrase(joined, "order list", "list order", "what have i order", "what did i order")
        or (_has(words, "list") and _has(words, "order") and number is None)
    ):
        return LIST
    if number is not None or _has(words, *_TRACK_WORDS) or _phrase(joined, *_TRACK_PHRASES):
        return TRACK
    if (
        _has(words, "help")
        or (words in (["what"], ["huh"], []) and "?" in raw)
        or _phrase(joined, "what can you do", "how does this work", "how do you work")
    ):
        return HELP
    if _has(words, "hello") or _phrase(joined, "good morning", "good evening", "good day"):
        return GREETING
    if (
        _has(words, "thanks")
        or _phrase(joined, "thank you")
        or any(e in raw for e in _THANKS_EMOJI)
    ):
        return THANKS
    if _has(words, "bye") or _phrase(joined, "see you", "see ya", "talk later", "good night"):
        return BYE
    if _has(words, "ok"):
        return THANKS
    return UNKNOWN
