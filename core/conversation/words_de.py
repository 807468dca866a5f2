"""German shopper words, each read as the English word the intent rules know.

A message in German is read word by word into English before the rules run
(core.conversation.reading): "wo ist meine bestellung 1003" reads "where is my order 1003".
Phrases come first ("auf dem laufenden" is "keep me posted"); typos of these words are matched
the same way as English ones. Only words that change what a message means are listed.
"""

from __future__ import annotations

PHRASES: tuple[tuple[str, str], ...] = (
    (r"\b(in|aus|nach)\s+\d{5}\b", r"\1 "),  # "wohne in 10115": a postcode, not an order
    (r"auf dem laufenden", "keep me posted"),
    (r"gebe?n? sie mir bescheid|sagen sie mir bescheid|bescheid geben", "let me know"),
    (r"keine (\w+) mehr", r"no more \1"),
    (r"nicht mehr (benachrichtigen|informieren)", "stop updates"),
    (r"(rufen sie mich|ruf mich)( bitte)? an", "call me"),
    (r"mit (einem|einer|jemandem|jemand) (\w+ )?(sprechen|reden)", "talk to a person"),
    (r"zurück an (den )?absender|an den absender zurück", "returned to sender"),
    (r"vergiss es|schon gut", "never mind"),
    (r"was können sie|was kannst du", "what can you do"),
    (r"guten (morgen|tag|abend)", "good morning"),
    (r"gute nacht", "good night"),
    (r"bis (bald|später|dann)", "see you"),
    (r"kundenservice|kundendienst|kundensupport", "customer service"),
    (r"(vielen )?dank für (die|ihre|deine) hilfe", "thank you"),
    (r"\b(an)?statt\b", "instead of"),
    (
        r"sollte (schon |bereits |doch )?(gestern |längst |am \w+ )?(da|hier|ankommen|angekommen|"
        r"kommen|geliefert|zugestellt)( sein| werden)?",
        "supposed to arrive",
    ),
    (r"bewegt sich (seit \w+ )?(nicht|nicht mehr|kaum)|keine bewegung", "has not moved"),
    (r"(hängt|steckt|hängen|stecken) (\w+ ){0,3}fest|festgesteckt|feststecken", "stuck"),
    (r"nicht (zu ?hause|daheim)\b", "not home"),
    (r"niemand (zu ?hause|daheim)\b", "nobody home"),
    (r"\b(\d{1,2})\.(?=\s*[^\W\d_])", r"\1"),  # "am 3. Dezember": a day, not a sentence end
)

WORDS: dict[str, str] = {
    w: english
    for english, spellings in {
        "where": "wo wohin woist",
        "is": "ist",
        "are": "sind",
        "my": "mein meine meinen meiner meinem",
        "order": "bestellung bestellt bestellen bestellte auftrag",
        "orders": "bestellungen aufträge einkäufe käufe",
        "number": "bestellnummer auftragsnummer nummer",
        # "track", not "tracking": "tracking 1001" would read as a tracking number
        "track": "sendungsverfolgung verfolgung verfolgen sendungsstatus",
        "status": "stand zustand",
        "parcel": "paket pakete päckchen sendung sendungen lieferung lieferungen",
        "arrive": "ankommen ankommt kommt komme kommen angekommen eintreffen bleibt",
        "shipped": "verschickt versendet versandt verschicken versenden unterwegs",
        "when": "wann",
        "updates": "updates benachrichtigungen benachrichtigung nachrichten infos",
        "follow": "benachrichtigen benachrichtige abonnieren informieren",
        "unsubscribe": "abbestellen abmelden",
        "stop": "stopp aufhören",
        "return": "rücksendung rücksenden zurückschicken zurücksenden zurückgeben rückgabe "
        "retoure retournieren zurückgesendet",
        "exchange": "umtauschen umtausch tauschen",
        "refund": "erstattung rückerstattung geld zurück gutschrift",
        "person": "mitarbeiter mitarbeiterin menschen mensch person berater beraterin "
        "jemanden jemand",
        "support": "support",
        "help": "hilfe helfen menü",
        "hello": "hallo hi hey moin servus grüß",
        "thanks": "danke dank dankeschön",
        "bye": "tschüss tschüs ciao wiedersehen",
        "ok": "ok okay gut super prima",
        "cancel": "abbrechen stornieren storno stornierung",
        "broken": "kaputt",
        "damaged": "beschädigt defekt zerbrochen gebrochen zerrissen zerkratzt kaputtgegangen",
        "wrong": "falsch falsche falschen falscher",
        "missing": "fehlt fehlen fehlende",
        "problem": "problem reklamation beschwerde",
        "address": "adresse anschrift lieferadresse",
        "all": "alle",
        "phone": "telefon handy telefonnummer handynummer",
        "postcode": "plz postleitzahl",
        "delivered": "zugestellt geliefert",
        "received": "bekommen erhalten",
        "not": "nicht nichts kein keine",
        "nothing": "nix",
        "delayed": "verspätet verspätung verzögert verzögerung",
        "yet": "schon bereits",
        "still": "noch immer",
        "processed": "bearbeitet überwiesen ausgezahlt gutgeschrieben erstattet",
        "attempt": "zustellversuch zustellungsversuch zustellversuche",
        "never": "nie niemals",
        "here": "hier",
        "there": "dort",
        "days": "tag tage tagen",
        "weeks": "woche wochen",
        "pieces": "stück",
        "and": "und",
        "but": "aber",
        "of": "von",
        "since": "seit",
        "moved": "umgezogen",
        "new": "neue neuen neu",
        "january": "januar",
        "february": "februar",
        "march": "märz",
        "may": "mai",
        "june": "juni",
        "july": "juli",
        "october": "oktober",
        "december": "dezember",
    }.items()
    for w in spellings.split()
}
