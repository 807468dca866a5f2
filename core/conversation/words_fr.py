"""French shopper words, each read as the English word the intent rules know.

"où est ma commande 1003" reads "where is my order 1003" (core.conversation.reading).
Phrases come first ("tenez-moi au courant" is "keep me posted"); accents may be left out.
"""

from __future__ import annotations

PHRASES: tuple[tuple[str, str], ...] = (
    (r"\b0\d(?:[\s.]\d{2}){4}\b", " "),  # a phone number: 06 12 34 56 78
    (r"\b\d[\d,.]*\s?(€|euros?)", " "),  # 49,90 €
    (r"\bn\s?[°º]|\bn\.?\s?o\.?(?=\s*\d)", " # "),  # "n° 1001", "no 1001"
    (r"(tenez|tiens|tenir)[- ]?(moi|me)? au courant|au courant", "keep me posted"),
    (r"(prévenez|prevenez|préviens|previens|avertissez)[- ]?moi|me prévenir", "let me know"),
    (r"plus de (mises? à jour|mises? a jour|notifications?|messages?|nouvelles)", r"no more \1"),
    (r"(arrêtez|arretez|arrêter|arreter|stoppez) (les |mes )?", "stop "),
    (r"mises? [àa] jour", "updates"),
    (r"(appelez|rappelez|appeler|rappeler)[- ]?(moi)?", "call me"),
    (r"parler (à|a|avec)", "talk to"),
    (r"service (client|clients|après-vente|apres-vente)", "customer service"),
    (r"code postal", "postcode"),
    (r"(retour|retourné|retourne|renvoyé) (à|a) l'?\s?expéditeur", "returned to sender"),
    (r"changer (l'|d'|mon |l )?\s?adresse", "change address"),
    (r"laiss(e|ez) tomber|peu importe", "never mind"),
    (
        r"qu'?est[- ]ce que (vous savez|tu sais|vous pouvez) faire|que pouvez[- ]vous faire",
        "what can you do",
    ),
    (r"merci (pour|de) (votre|ton|l') ?aide", "thank you"),
    (r"au revoir", "bye"),
    (r"bonne nuit", "good night"),
    (r"(à|a) (bientôt|bientot|plus tard)", "see you"),
    (r"où en est|ou en est", "where is"),
    (r"(ne|n') ?(veux|voulons|souhaite) plus (recevoir |avoir )?(de |d'|les |des )?", "stop "),
    (r"au lieu (de|du|des)", "instead of"),
    (
        r"(devait|devrait|aurait dû|aurait du) (arriver|être livrée?|etre livree?|être là)",
        "supposed to arrive",
    ),
    (r"ne (bouge|avance) (plus|pas)", "has not moved"),
    (r"pas (chez moi|à la maison|a la maison)", "not home"),
    (r"personne (à la maison|chez moi)", "nobody home"),
    (r"(retourn[ée]e?s?|renvoy[ée]e?s?|retour) (à|a) l'?\s?exp[ée]diteur", "returned to sender"),
    # Elisions last ("d'annuler" -> "d annuler"): the phrases above spell them out.
    (r"\b(c|d|j|l|m|n|s|t|qu|jusqu|lorsqu|puisqu)'", r"\1 "),
)

WORDS: dict[str, str] = {
    w: english
    for english, spellings in {
        "where": "où ou",
        "is": "est",
        "are": "sont",
        "my": "ma mon mes",
        "order": "commande commandé commandée commander",
        "orders": "commandes achats",
        "number": "numéro num",
        "track": "suivi",
        "status": "statut état",
        "parcel": "colis paquet paquets livraison envoi",
        "arrive": "arriver arrive arrivera arrivé arrivée recevoir reçois recevrai vais",
        "shipped": "expédiée expédié expédier expédition envoyée envoyé parti partie",
        "when": "quand",
        "updates": "notifications notification nouvelles",
        "follow": "suivre abonner",
        "unsubscribe": "désabonner désinscrire",
        "stop": "arrêt stop",
        "return": "retour retours retourner renvoyer rendre",
        "exchange": "échanger échange",
        "refund": "remboursement rembourser remboursé",
        "person": "conseiller conseillère humain agent",
        "help": "aide aider",
        "hello": "bonjour salut coucou bonsoir allo",
        "thanks": "merci",
        "ok": "ok d'accord parfait super génial",
        "cancel": "annuler annulation",
        "broken": "cassé cassée",
        "damaged": "abîmé abîmée endommagé endommagée défectueux",
        "wrong": "mauvais mauvaise erroné",
        "missing": "manque manquant manquante",
        "problem": "problème réclamation plainte souci",
        "address": "adresse",
        "all": "toutes tous",
        "phone": "téléphone portable",
        "delivered": "livré livrée livrés",
        "received": "reçu reçue reçus recevu",
        "nothing": "rien",
        "not": "pas",
        "delayed": "retard retardée retardé",
        "been": "été",
        "processed": "effectué effectuée traité traitée versé versée",
        "attempt": "tentative",
        "stuck": "bloqué bloquée coincé coincée",
        "never": "jamais",
        "here": "ici",
        "there": "là",
        "days": "jour jours",
        "weeks": "semaine semaines",
        "pieces": "pièces",
        "and": "et",
        "but": "mais",
        "since": "depuis",
        "moved": "déménagé",
        "new": "nouvelle nouveau",
        "january": "janvier",
        "february": "février",
        "march": "mars",
        "april": "avril",
        "may": "mai",
        "june": "juin",
        "july": "juillet",
        "august": "août",
        "september": "septembre",
        "october": "octobre",
        "november": "novembre",
        "december": "décembre",
    }.items()
    for w in spellings.split()
}
