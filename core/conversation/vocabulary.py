"""The words and phrases the intent parser understands, per language, as data.

Two tables per language, merged by the parser (a shopper may mix languages):

- `WORDS[lang]`: canonical word -> the spellings that mean it. Canonical words are
  language-neutral tokens (they happen to be English): "bestellung" and "order" both read
  `order`, "zugestellt" and "delivered" both read `delivered`. Typos of spellings of four
  letters or more map the same way (core.conversation.intents, difflib).
- `PATTERNS[lang]`: intent -> regular expressions matched against the message as canonical
  words joined by single spaces, with a space at each end (so "it says deliverd but i dont
  have it" is matched as " it says delivered but i dont have it "). Apostrophes are gone
  ("dont", "isnt"), digits stay.

Another language adds its own entry to both tables; `PROBLEM_ORDER` says which intent wins
when several match ("return a damaged item" is a return, not a damage report).
"""

from __future__ import annotations

# Intents of problem reports and order changes (the `intent` of replies; an interface).
DELIVERED_NOT_RECEIVED = "delivered_not_received"
DAMAGED, WRONG_ITEM, MISSING_ITEM = "damaged", "wrong_item", "missing_item"
DELAYED, STUCK, DELIVERY_ATTEMPTED = "delayed", "stuck", "delivery_attempted"
RETURNED_TO_SENDER, REFUND_STATUS = "returned_to_sender", "refund_status"
CANCEL_ORDER, CHANGE_ADDRESS = "cancel_order", "change_address"
START_RETURN = "start_return"

PROBLEM_INTENTS: tuple[str, ...] = (
    DELIVERED_NOT_RECEIVED,
    DAMAGED,
    WRONG_ITEM,
    MISSING_ITEM,
    DELAYED,
    STUCK,
    DELIVERY_ATTEMPTED,
    RETURNED_TO_SENDER,
    REFUND_STATUS,
    CANCEL_ORDER,
    CHANGE_ADDRESS,
)

# Which pattern wins, first to last. A refund question before a return request ("where is
# my refund" is not a new return), a return before an item problem, an explicit request
# (cancel, new address) before the wrong-item words it may contain ("wrong address").
PROBLEM_ORDER: tuple[str, ...] = (
    REFUND_STATUS,
    RETURNED_TO_SENDER,
    START_RETURN,
    DELIVERED_NOT_RECEIVED,
    CANCEL_ORDER,
    CHANGE_ADDRESS,
    WRONG_ITEM,
    MISSING_ITEM,
    DAMAGED,
    DELIVERY_ATTEMPTED,
    STUCK,
    DELAYED,
)

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "where": "where wheres whereis",
        "order": "order ordered ordr purchase",
        "orders": "orders purchases",
        "track": "track tracking trace",
        "status": "status",
        "package": "package parcel parcels packages shipment shipments delivery deliveries box",
        "arrive": "arrive arriving arrival eta",
        "ship": "ship shipped shipping dispatched",
        "deliver": "deliver",
        "delivered": "delivered",
        "received": "received receive recieved recieve",
        "when": "when",
        "update": "update updates notifications notification alerts messages",
        "follow": "follow following subscribe subscription subscriptions notify",
        "unfollow": "unfollow unsubscribe mute",
        "stop": "stop",
        "return": "return exchange",
        "returned": "returned",
        "refund": "refund refunds refunded reimburse reimbursed reimbursement",
        # "someone" alone is no request for a person ("someone else's order").
        "person": "person human agent representative operator staff support people",
        "help": "help hepl menu commands options",
        "hello": "hi hello hey hiya howdy yo greetings morning evening afternoon",
        "thanks": "thanks thank thx ty cheers appreciated appreciate",
        "bye": "bye goodbye cya farewell",
        "ok": "ok okay great perfect awesome cool",
        "cancel": "cancel cancelled canceled cancellation",
        "nevermind": "nevermind",
        "damaged": "broken damaged damage defective smashed cracked dented crushed shattered "
        "torn ripped scratched faulty leaking leaked ruined soaked",
        "wrong": "wrong incorrect different",
        "missing": "missing incomplete lacking",
        # Something is wrong and no kind fits: a person should look.
        "problem": "complaint complain problem issue",
        "address": "address",
        "change": "change changed modify edit",
        "late": "late delayed delay overdue",
        "stuck": "stuck stalled frozen",
        "attempt": "attempt attempted attempts",
        "list": "list history all previous recent",
        "taking": "taking",  # not a typo of "tracking"
        "latest": "latest",  # not a typo of "late"
        "last": "last",  # nor of "latest"
        # Everyday words a typo match would read as problems ("talk later" is not "late").
        "later": "later",
        "lately": "lately",
        "stick": "stick",
        "phone": "phone mobile tel telephone cell",
        "postcode": "postcode zip zipcode postal",
        "number": "number num",
    },
    # A start; the German catalogue and vocabulary live with the other languages.
    "de": {
        "order": "bestellung",
        "cancel": "stornieren storniere stornierung",
        "delivered": "zugestellt geliefert",
        "received": "bekommen erhalten",
        "nothing": "nichts",
    },
}

# Too close to everyday words to guess at ("stuff" is not "staff").
EXACT_ONLY = frozenset({"staff", "people", "box", "different", "purchase"})

_NEG = r"(?:not|never|no|dont|didnt|havent|hasnt|wasnt|isnt|cant|cannot|aint|nothing)"
_STATUS_WORDS = (
    r"(?:where|when|status|yet|still|been|processed|through|long|news|update|havent|hasnt|"
    r"didnt|not|no|waiting|received|happening|any)"
)
_REFUND = r"(?:refund|money back|my money)"

PATTERNS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        REFUND_STATUS: (
            rf" {_REFUND} .*\b{_STATUS_WORDS}\b",
            rf"\b{_STATUS_WORDS} .*\b{_REFUND}\b",
            r"\b(?:my|the) return .*\b(?:status|received|happening|processed|news|arrive)\b",
            r"\b(?:status|received|happening|processed|news) .*\b(?:my|the) return\b",
        ),
        RETURNED_TO_SENDER: (
            r"\b(?:return|returned) to (?:the )?sender\b",
            r"\bsent back to (?:the )?(?:sender|shop|you|warehouse|store|seller)\b",
            r"\b(?:go|goes|going|went|gone|sending|on its way|heading) back to (?:the )?"
            r"(?:sender|shop|warehouse|store|seller)\b",
        ),
        START_RETURN: (
            r" return ",
            r" refund ",
            r"\bsend (?:it |this |them |these |that )?back\b",
            r"\btake (?:it |this |them )?back\b",
            r"\bmoney back\b",
        ),
        DELIVERED_NOT_RECEIVED: (
            # "says delivered" and a sign it is not there; "not delivered" is no such claim.
            rf"(?:(?<!not )(?<!never )(?<!wasnt )(?<!isnt )(?<!hasnt been )\bdelivered\b"
            rf"|\bleft (?:\w+ ){{0,2}}(?:at|with|in|by|outside)\b).*"
            rf"(?:\bnothing\b|\bnobody\b|\bno (?:package|order|sign)\b|\bnot (?:here|there|at|in)\b"
            rf"|\b{_NEG}(?: \w+){{0,3}} (?:have|received|get|got|find|found|see|seen|here|"
            rf"there|arrive|come|came|anything)\b)",
            rf"\b(?:nothing|{_NEG}(?: \w+){{0,3}} (?:received|get|got|arrive|came)) .*"
            rf"(?<!not )\bdelivered\b",
            r"\bnever (?:\w+ ){0,2}?(?:received|got|arrive|came|turned up|showed up)\b",
        ),
        CANCEL_ORDER: (r" cancel ", r"\bstop (?:my |the |this )?order\b"),
        CHANGE_ADDRESS: (
            # "the driver couldn't find my address" is a failed delivery, not a new address.
            r"(?<!find my)(?<!find the)(?<!find our) address (?!is (?:correct|right|fine)\b)",
            r"\bi (?:have |just |recently )?moved\b",
            r"\bnew (?:place|home|house|flat|apartment)\b",
            r"\b(?:deliver|send|ship) (?:\w+ )?to (?:my )?(?:work|office|neighbou?r|another|"
            r"a wrong|my new|the new)\b",
            r"\bchange where\b",
            r"\b(?:can|could|please|want|rather)\b.*\bdelivered to (?:my |our |a |the )?(?:\w+ )?"
            r"(?:house|home|place|work|office|neighbou?r|friend)",
            r"\b(?:street|house number|postcode|flat number) (?:\w+ )?wrong\b",
            r"\bwrong (?:street|house number|postcode|flat number)\b",
            r"\b(?:deliver|send|ship) (?:\w+ )?to (?:my |our |a |the )?(?:\w+ )?(?:house|home|"
            r"place|work|office|neighbou?r|friend)",
            r"\bredirect\b",
        ),
        WRONG_ITEM: (
            r" wrong (?!(?:number|chat|person|button|bot|link)\b)",
            r"\binstead of\b",
            r"\b(?:isnt|not|wasnt) (?:what|the (?:one|thing|item|product)s?) (?:i|we) "
            r"(?:order|bought|paid for|chose|picked)",
            r"\bgot (?:a |an |the )?\w+ (?:one )?but (?:i )?order",
            r"\bsomeone elses\b",
            r"\border (?:(?:a|an|the) )?\w+ (?:and|but) (?:i )?(?:got|received)\b",
            r"\bnot (?:my|our) (?:order|package|item|stuff)\b",
        ),
        MISSING_ITEM: (
            r" missing ",
            r"\bnot included\b",
            r"\b(?:wasnt|werent|was not|were not|isnt|not) (?:in|included)\b",
            r"\bonly (?:got|received) (?:\w+ ){0,2}(?:of|out of)\b",
            r"\bonly (?:got|received) \d",
            r"\bonly half\b",
            r"\bonly (?:got|received) (?:one|1|half|part)\b",
            r"\brest of (?:my|the) order\b",
            r"\bshort (?:one|1|an?|two|\d) (?:item|thing|piece|product)",
            r"\b(?:came|arrived|arrive) without\b",
            r"\bhalf of (?:my|the) order\b",
        ),
        DAMAGED: (r" damaged ", r"\bin pieces\b", r"\bholes? in\b"),
        DELIVERY_ATTEMPTED: (
            r" attempt ",
            r"\bmissed (?:the |my |a )?(?:package|courier|driver|postman)\b",
            r"\btried to (?:deliver|drop)\b",
            r"\b(?:no one|noone|nobody|not|wasnt|werent) (?:was )?(?:at )?home\b",
            r"\b(?:left|leave|got) (?:me )?a (?:note|card|slip)\b",
            r"\bcard through the door\b",
            r"\b(?:nobody|no one|noone) (?:answered|opened)\b",
            r"\b(?:couldnt|could not|cant|cannot|unable to) find (?:my |the |our )?"
            r"(?:address|house|flat|building|door|street)\b",
            r"\b(?:couldnt|could not|unable to|cant|cannot|did not|didnt) deliver\b",
            r"\b(?:couldnt|could not|unable to|cant|cannot) (?:get in|access)\b",
        ),
        STUCK: (
            r" stuck ",
            r"\b(?:hasnt|havent|not|didnt|hadnt)(?: been)? (?:moved|moving|move|budged|changed|"
            r"scanned|update)\b",
            r"\bin transit (?:for|since)\b",
            r"\bbeen (?:at|in) (?:the )?(?:\w+ ){0,2}(?:for|since)\b",
            r"\bno (?:track )?(?:update|movement|scan|change)s? (?:for|in|since)\b",
            r"\bno movement\b",
            r"\bstopped updat",
            r"\bsitting (?:at|in)\b",
            r"\bsame (?:status|place|location|scan|update)\b.*\b(?:for|since)\b",
        ),
        DELAYED: (
            r" late ",
            r"\bshould have (?:been )?(?:arrive|come|here|package)",
            r"\b(?:supposed|meant|due) to (?:arrive|come|be)\b",
            r"\b(?:was|were|is) due (?:on |last |yesterday|by )",
            r"\b(?:date|estimate) (?:has |is |have )?(?:passed|gone)\b",
            r"\btaking (?:so |too )?(?:long|forever)\b",
            r"\bpast the (?:package|due|expected|estimated|promised)\b",
        ),
    },
    "de": {
        # "ich hab nichts bekommen" reads "nothing received": the English patterns cover it.
    },
}
