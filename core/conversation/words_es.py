"""Spanish shopper words, each read as the English word the intent rules know.

"dónde está mi pedido 1003" reads "where is my order 1003" (core.conversation.reading).
Phrases come first ("manténgame informado" is "keep me posted"); accents may be left out.
"""

from __future__ import annotations

PHRASES: tuple[tuple[str, str], ...] = (
    (r"\b[6-9]\d{2}(?:\s\d{3}){2}\b", " "),  # a phone number: 612 345 678
    (r"\b\d[\d,.]*\s?(€|euros?)", " "),  # 29,99 €
    (r"\bde ((?:19|20)\d{2})\b", r"\1"),  # "3 de diciembre de 2026": the year of a date
    (r"\bn\.?\s?[°º]|\bnro\.?(?=\s*\d)", " # "),  # "n.º 1004", "nº 1004", "nro. 1004"
    (
        r"(manténgame|mantengame|mantenme|mantenerme|tenme|téngame|tengame) (informad[oa]|al "
        r"tanto|al corriente)|al tanto",
        "keep me posted",
    ),
    (r"avíseme|aviseme|avísame|avisame|avisarme|me avisan?|me avisen|me avisará", "let me know"),
    (r"(ya )?no (quiero|deseo) recibir (más )?", "stop "),
    (r"devuelv[ae]n? (el|mi) dinero|devolverme (el|mi) dinero|mi dinero", "refund"),
    (r"no (está|esta|están|estan) (aquí|aqui|acá|aca)", "not here"),
    (r"en (vez|lugar) de", "instead of"),
    (
        r"(tenía|tenia|tendría|debía|debia|debería|deberia) (que )?(llegar|haber llegado|estar)",
        "supposed to arrive",
    ),
    (r"no se (mueve|ha movido|mueven|han movido)", "has not moved"),
    (r"no (estaba|estábamos|estaba nadie|había nadie|habia nadie) en casa", "not home"),
    (r"nadie en casa", "nobody home"),
    (
        r"(devuelto|vuelve|volvió|volvio|regresa|regresó|devuelven) al remitente",
        "returned to sender",
    ),
    (r"no (quiero |mande |envíe |envie )?más (\w+)", r"stop \2"),  # "no" reads "not"
    (r"llámenme|llamenme|llámeme|llameme|llámame|llamame|llamarme", "call me"),
    (r"hablar con", "talk to"),
    (r"(atención|atencion|servicio) al cliente", "customer service"),
    (r"código postal|codigo postal", "postcode"),
    (r"devuelto al remitente", "returned to sender"),
    (r"cambiar (\w+ ){0,2}(la |mi )?(dirección|direccion)", "change address"),
    (r"no importa|olvídelo|olvidelo|déjelo|dejelo", "never mind"),
    (r"qué (puede|puedes|sabe) hacer|que (puede|puedes|sabe) hacer", "what can you do"),
    (r"gracias por (la|su|tu) ayuda", "thank you"),
    (r"buen(os|as) (días|dias|tardes|noches)", "good morning"),
    (r"hasta (luego|pronto|mañana)", "see you"),
)

WORDS: dict[str, str] = {
    w: english
    for english, spellings in {
        "where": "dónde donde",
        "is": "está esta es",
        "are": "están",
        "my": "mi mis",
        "order": "pedido compra",
        "orders": "pedidos compras",
        "number": "número numero núm",
        "track": "seguimiento rastreo rastrear",
        "status": "estado",
        "parcel": "paquete paquetes envío envio entrega",
        "arrive": "llega llegar llegará llegado llegó entregan recibir",
        "shipped": "enviado enviada enviaron despachado mandado",
        "when": "cuándo cuando",
        "updates": "notificaciones avisos actualizaciones mensajes",
        "follow": "seguir suscribir",
        "stop": "parar detener",
        "return": "devolver devolución devoluciones devuelvo devolverlo",
        "exchange": "cambiar cambio",
        "refund": "reembolso reembolsar",
        "person": "persona agente humano alguien asesor",
        "help": "ayuda ayudar",
        "hello": "hola buenas",
        "thanks": "gracias",
        "bye": "adiós adios chao",
        "ok": "vale perfecto genial",
        "cancel": "cancelar anular",
        "broken": "roto rota",
        "damaged": "dañado dañada defectuoso",
        "wrong": "equivocado incorrecto",
        "missing": "falta faltan",
        "problem": "problema reclamación queja",
        "address": "dirección",
        "all": "todos todas",
        "phone": "teléfono móvil celular",
        "delivered": "entregado entregada",
        "received": "recibido recibí recibi",
        "nothing": "nada",
        "not": "no",
        "delayed": "retraso retrasado",
        "yet": "ya",
        "processed": "procesaron procesado tramitado",
        "attempt": "intento",
        "stuck": "atascado atascada parado",
        "never": "nunca jamás",
        "here": "aquí aqui",
        "days": "día días",
        "weeks": "semana semanas",
        "and": "y",
        "but": "pero",
        "of": "de del",
        "since": "desde",
        "moved": "mudado",
        "new": "nueva nuevo",
        "january": "enero",
        "february": "febrero",
        "march": "marzo",
        "april": "abril",
        "may": "mayo",
        "june": "junio",
        "july": "julio",
        "august": "agosto",
        "september": "septiembre",
        "october": "octubre",
        "november": "noviembre",
        "december": "diciembre",
    }.items()
    for w in spellings.split()
}
