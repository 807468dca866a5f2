"""Carrier names as shoppers know them, and public tracking pages for their numbers."""

from __future__ import annotations

from urllib.parse import quote

# Keyed by a normalised carrier code (lower case, no spaces, dashes or underscores).
_CARRIERS: dict[str, tuple[str, str]] = {
    "dhl": ("DHL", "https://www.dhl.com/global-en/home/tracking.html?tracking-id={n}"),
    "dhlexpress": (
        "DHL Express",
        "https://www.dhl.com/global-en/home/tracking.html?tracking-id={n}",
    ),
    "ups": ("UPS", "https://www.ups.com/track?tracknum={n}"),
    "fedex": ("FedEx", "https://www.fedex.com/fedextrack/?trknbr={n}"),
    "usps": ("USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels={n}"),
    "dpd": ("DPD", "https://tracking.dpd.de/status/en_US/parcel/{n}"),
    "gls": ("GLS", "https://gls-group.com/track/{n}"),
    "postnl": ("PostNL", "https://jouw.postnl.nl/track-and-trace/{n}"),
    "royalmail": ("Royal Mail", "https://www.royalmail.com/track-your-item#/tracking-results/{n}"),
    "evri": ("Evri", "https://www.evri.com/track/parcel/{n}"),
    "hermes": ("Hermes", "https://www.myhermes.de/empfangen/sendungsverfolgung/?trackingId={n}"),
    "canadapost": (
        "Canada Post",
        "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={n}",
    ),
    "australiapost": ("Australia Post", "https://auspost.com.au/mypost/track/details/{n}"),
    "laposte": ("La Poste", "https://www.laposte.fr/outils/suivre-vos-envois?code={n}"),
    "colissimo": ("Colissimo", "https://www.laposte.fr/outils/suivre-vos-envois?code={n}"),
    "bpost": ("bpost", "https://track.bpost.cloud/btr/web/#/search?itemCode={n}"),
    "poczta": ("Poczta Polska", "https://emonitoring.poczta-polska.pl/?numer={n}"),
}


def _key(carrier: str) -> str:
    return "".join(ch for ch in carrier.lower() if ch.isalnum())


def carrier_name(carrier: str) -> str:
    """The carrier's name as shoppers know it ("dhl" -> "DHL"); unknown codes as given."""
    known = _CARRIERS.get(_key(carrier))
    return known[0] if known else carrier


def tracking_link(carrier: str, tracking_number: str, stored_url: str | None = None) -> str | None:
    """The link to follow a parcel: the one the source gave us, else the carrier's public page."""
    if stored_url:
        return stored_url
    known = _CARRIERS.get(_key(carrier))
    if not known or not tracking_number:
        return None
    return known[1].format(n=quote(tracking_number, safe=""))
