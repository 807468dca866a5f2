"""Plausible shoppers and products for the sample data; e-mail only on example domains."""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST_NAMES = (
    "Alex", "Mia", "Noah", "Emma", "Liam", "Sofia", "Lukas", "Hannah", "Jonas", "Lea",
    "Finn", "Clara", "Elias", "Marie", "Ben", "Lina", "Paul", "Ella", "Felix", "Ida",
    "Oskar", "Nora", "Leon", "Emilia", "Theo", "Frieda", "Julian", "Lotte", "Milan", "Zoe",
    "Sem", "Julia", "Daan", "Tess", "Lucas", "Chloé", "Hugo", "Inès", "Matteo", "Giulia",
    "Pablo", "Lucía", "Oliver", "Amelia", "Jack", "Isla", "Aoife", "Cian", "Freja", "Magnus",
    "Amira", "Yusuf", "Priya", "Arjun", "Mei", "Kenji", "Ana", "Tomás", "Zofia", "Mateusz",
)  # fmt: skip
LAST_NAMES = (
    "Morgan", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
    "Becker", "Hoffmann", "de Vries", "Jansen", "van Dijk", "Bakker", "Martin", "Bernard",
    "Dubois", "Rossi", "Russo", "Bianchi", "García", "Fernández", "López", "Smith", "Jones",
    "Taylor", "Brown", "Murphy", "Kelly", "Nielsen", "Jensen", "Hansen", "Kowalski",
    "Nowak", "Yılmaz", "Kaya", "Sharma", "Patel", "Tanaka", "Chen", "Silva", "Santos",
    "Novak", "Horvat", "Popescu", "Papadopoulos", "Andersson", "Lindqvist", "Virtanen",
    "O'Brien",
)  # fmt: skip
DOMAINS = ("example.com", "example.org", "example.net")
DEMO_SEED = 2026
DEMO_ORDER_COUNT = 240
DEMO_SHOPPER_NAME = "Alex Morgan"
DEMO_SHOPPER_EMAIL = "alex.morgan@example.com"


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price_minor: int
    final_sale: bool = False  # not returnable


PRODUCTS: tuple[Product, ...] = (
    Product("TEE-ORG-M", "Organic cotton T-shirt, M", 2900),
    Product("TEE-ORG-L", "Organic cotton T-shirt, L", 2900),
    Product("HOOD-GRY-M", "Grey hoodie, M", 6900),
    Product("JKT-RAIN-S", "Packable rain jacket, S", 12900),
    Product("JEANS-32", "Slim jeans, 32/32", 8900),
    Product("SNK-WHT-42", "White leather sneakers, EU 42", 11900),
    Product("SNK-RUN-39", "Trail running shoes, EU 39", 13900),
    Product("SOCK-3PK", "Merino socks, 3-pack", 2400),
    Product("BEANIE-NVY", "Knitted beanie, navy", 1900),
    Product("SCARF-WOOL", "Wool scarf", 4900),
    Product("BAG-TOTE", "Canvas tote bag", 2200),
    Product("BPK-20L", "Daypack 20 l", 7900),
    Product("BOTTLE-750", "Insulated bottle 750 ml", 2900),
    Product("MUG-CER-2", "Ceramic mugs, set of 2", 3400),
    Product("LAMP-DESK", "LED desk lamp", 5900),
    Product("HEAD-BT", "Bluetooth headphones", 8900),
    Product("CHRG-65W", "65 W USB-C charger", 3900),
    Product("CABLE-C2", "USB-C cable, 2 m", 1400),
    Product("BOOK-COOK", "The Weekday Cookbook (hardcover)", 3200),
    Product("PUZZLE-1K", "Jigsaw puzzle, 1000 pieces", 2100),
    Product("CANDLE-FIG", "Scented candle, fig", 2600),
    Product("PLANT-POT", "Terracotta plant pot, 18 cm", 1800),
    # Final sale: clearance and hygiene items cannot be returned.
    Product("SALE-DRESS-S", "Linen summer dress, S (final sale)", 3900, final_sale=True),
    Product("SALE-SUNG", "Sunglasses, tortoise (final sale)", 2900, final_sale=True),
    Product("EARBUD-TIPS", "Silicone ear tips (hygiene item, final sale)", 900, final_sale=True),
    Product("GIFT-CARD-50", "Gift card, 50 EUR (final sale)", 5000, final_sale=True),
)
PRODUCT_BY_SKU = {product.sku: product for product in PRODUCTS}


class People:
    """Names and unique e-mail addresses, repeatable for a given random source."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._seen: dict[str, int] = {}

    def person(self) -> tuple[str, str]:
        """A (name, e-mail) pair; the e-mail is unique within this generator."""
        first = self._rng.choice(FIRST_NAMES)
        last = self._rng.choice(LAST_NAMES)
        return f"{first} {last}", self.email_for(first, last)

    def email_for(self, first: str, last: str) -> str:
        """`first.last@example.*`, numbered from the second person of that name on."""
        local = f"{_ascii(first)}.{_ascii(last)}"
        count = self._seen.get(local, 0)
        self._seen[local] = count + 1
        domain = DOMAINS[len(local) % len(DOMAINS)]  # stable across runs, unlike hash()
        return f"{local}{count + 1 if count else ''}@{domain}"

    def phone(self) -> str:
        """A number in the range reserved for fiction (+49 30 555 0xxx style)."""
        return f"+49 30 5550{self._rng.randint(0, 9999):04d}"


_FOLD = str.maketrans(
    {"ü": "ue", "ö": "oe", "ä": "ae", "é": "e", "è": "e", "í": "i", "á": "a", "ó": "o",
     "ı": "i", "ł": "l", "ø": "o", "å": "a", "ç": "c", "ñ": "n", "'": "", " ": ""}
)  # fmt: skip


def _ascii(name: str) -> str:
    return name.lower().translate(_FOLD)
