"""How well and how fast wismo tells the language of a shopper message, against alternatives.

    python -m bench.languages             # wismo's detector (py3langid + own words)
    python -m bench.languages --compare   # also lingua and langdetect, where installed

Every labelled message (tests/unit/conversation/**/*.tsv: language, category, intent,
number, text) is given to the detector as the conversation gives it: letters only, the four
languages wismo speaks, the same confidence threshold. A message is "right" when the detector
names its language, "wrong" when it names another, "kept" when it abstains (the chat keeps its
language; the right outcome for "1003" or "ok"). Prints the three counts, accuracy and the
cost per message (p50/p99 µs) and the model's load time. Figures move while other work
shares the machine; the counts do not.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.report import emit, figure

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "unit" / "conversation"
LANGS = ("en", "de", "fr", "es")


def messages() -> list[tuple[str, str]]:
    """(language, text) of every labelled message."""
    rows: list[tuple[str, str]] = []
    for path in sorted(LABELLED.rglob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            if reader.fieldnames and "language" in reader.fieldnames:
                rows += [(r["language"].strip(), r["text"]) for r in reader]
    return rows


def _py3langid() -> Callable[[str], str | None]:
    from core.conversation.language import LanguageDetector

    detector = LanguageDetector()
    detector.warm()
    return detector.detect


def _wismo() -> Callable[[str], str | None]:
    """What the conversation does: py3langid, then a word only one language has."""
    from core.conversation.language import LanguageDetector, language_of_words

    detector = LanguageDetector()
    detector.warm()
    return lambda text: detector.detect(text) or language_of_words(text)


def _lingua() -> Callable[[str], str | None]:
    from lingua import Language, LanguageDetectorBuilder  # type: ignore[import-not-found]

    from core.conversation.language import CONFIDENCE, MIN_LETTERS, letters_of

    codes = {
        Language.ENGLISH: "en",
        Language.GERMAN: "de",
        Language.FRENCH: "fr",
        Language.SPANISH: "es",
    }
    detector = LanguageDetectorBuilder.from_languages(*codes).with_preloaded_language_models()
    built = detector.build()

    def detect(text: str) -> str | None:
        letters = letters_of(text)
        if len(letters.replace(" ", "")) < MIN_LETTERS:
            return None
        values = built.compute_language_confidence_values(letters)
        return codes[values[0].language] if values and values[0].value >= CONFIDENCE else None

    return detect


def _langdetect() -> Callable[[str], str | None]:
    from langdetect import DetectorFactory, detector_factory  # type: ignore[import-not-found]
    from langdetect.lang_detect_exception import LangDetectException  # type: ignore[import]

    from core.conversation.language import CONFIDENCE, MIN_LETTERS, letters_of

    DetectorFactory.seed = 0
    detector_factory.init_factory()
    factory = detector_factory._factory

    def detect(text: str) -> str | None:
        letters = letters_of(text)
        if len(letters.replace(" ", "")) < MIN_LETTERS:
            return None
        detector = factory.create()
        detector.append(letters)
        try:
            ranked = [p for p in detector.get_probabilities() if p.lang in LANGS]
        except LangDetectException:
            return None
        return ranked[0].lang if ranked and ranked[0].prob >= CONFIDENCE else None

    return detect


def measure(name: str, build: Callable[[], Callable[[str], str | None]]) -> list[dict]:
    start = time.perf_counter()
    try:
        detect = build()
    except ImportError:
        print(f"{name}: not installed, skipped", file=sys.stderr)
        return []
    load_ms = (time.perf_counter() - start) * 1000
    rows = messages()
    right = wrong = kept = 0
    costs: list[float] = []
    for _ in range(5):
        right = wrong = kept = 0
        for language, text in rows:
            began = time.perf_counter_ns()
            found = detect(text)
            costs.append((time.perf_counter_ns() - began) / 1000)
            if found is None:
                kept += 1
            elif found == language:
                right += 1
            else:
                wrong += 1
    costs.sort()
    p50, p99 = statistics.median(costs), costs[int(len(costs) * 0.99)]
    accuracy = 100.0 * right / len(rows)
    print(
        f"{name:11} right {right:4} wrong {wrong:3} kept {kept:3} of {len(rows)}"
        f"  {accuracy:5.1f}%  p50 {p50:6.1f} µs  p99 {p99:7.1f} µs  load {load_ms:5.0f} ms",
        file=sys.stderr,
    )
    return [
        figure(f"{name} accuracy", accuracy, "%", better="higher"),
        figure(f"{name} wrong", wrong, "messages"),
        figure(f"{name} cost p50", p50, "µs"),
        figure(f"{name} cost p99", p99, "µs"),
        figure(f"{name} load", load_ms, "ms"),
    ]


def main(argv: list[str] | None = None) -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--compare", action="store_true", help="also lingua and langdetect")
    args = options.parse_args(argv)
    figures = measure("wismo", _wismo) + measure("py3langid", _py3langid)
    if args.compare:
        figures += measure("lingua", _lingua)
        figures += measure("langdetect", _langdetect)
    emit("languages", figures, messages=len(messages()))


if __name__ == "__main__":
    main()
