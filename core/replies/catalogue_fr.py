"""French: every shopper word of the English catalogue (core.replies.messages.EN), with "vous".

Same keys and placeholders as English (tests/unit/conversation/test_catalogues.py checks).
Dates read the French way: "jeu. 5 nov." and "jeu. 5 nov. à 14:30".
"""

from __future__ import annotations

FR: dict[str, str] = {
    # Greeting, help, small talk
    "greeting": "Bonjour{name} ! Je suis l'assistant commandes de {shop}. Je peux vous dire où "
    "en est votre commande, vous écrire quand elle avance et vous aider pour les retours.",
    "greeting.unverified": "Pour commencer, envoyez-moi votre numéro de commande (il figure dans "
    "l'e-mail de confirmation de votre commande).",
    "greeting.verified": "Demandez-moi « Où est ma commande ? » ou touchez un bouton ci-dessous.",
    "help": "Voici ce que je peux faire :\n"
    "• « Où est ma commande 1001 ? » – statut, position, date de livraison prévue et lien de "
    "suivi\n"
    "• « Mes commandes » – vos commandes récentes\n"
    "• « Suivre 1001 » / « Arrêter les mises à jour » – des messages quand votre commande "
    "avance, ou aucun\n"
    "• « Retour 1001 » / « Où en est mon remboursement ? » – demander un retour, ou voir où il "
    "en est\n"
    "• « 1001 est arrivée abîmée », « le suivi dit livré mais je n'ai rien reçu », « annuler "
    "1001 » – dites-moi ce qui ne va pas ou ce qui doit changer, je le transmettrai à notre "
    "équipe\n"
    "• « Parler à un conseiller » – joindre notre équipe",
    "thanks": "Avec plaisir ! Écrivez-moi quand vous voulez.",
    "bye": "À bientôt ! Je suis là dès que vous avez besoin de moi.",
    "unknown": "Désolé, je n'ai pas bien compris. Essayez « Où est ma commande 1001 ? », "
    "« Mes commandes » ou « Aide ».",
    "cancelled": "D'accord, restons-en là. Puis-je faire autre chose pour vous ?",
    # Verification
    "verify.ask_order_number": "Bien sûr ! Quel est votre numéro de commande ? Il figure dans "
    "l'e-mail de confirmation de votre commande.",
    "verify.ask_secret": "Merci. Pour protéger votre commande, indiquez-moi l'adresse e-mail ou "
    "le code postal utilisé pour la commande {number}.",
    "verify.ask_secret_again": "J'ai besoin de l'adresse e-mail ou du code postal utilisé pour la "
    "commande {number} (par exemple jane@example.com ou 75001). Ou dites « annuler ».",
    "verify.need_order_number": "J'ai besoin de votre numéro de commande pour la retrouver ; il "
    "figure dans l'e-mail de confirmation de votre commande. Ou dites « annuler ».",
    "verify.failed": "Désolé, je n'ai pas pu associer ce numéro de commande à cette adresse "
    "e-mail ou à ce code postal. Vérifiez les deux et renvoyez-moi le numéro de commande.",
    "verify.locked": "Trop de tentatives. Pour votre sécurité, réessayez plus tard (dans environ "
    "{minutes} minutes).",
    "verify.postcode_locked": "Pour votre sécurité, je ne peux pas vérifier de code postal pour "
    "la commande {number} pour le moment (trop de tentatives ; réessayez dans environ {minutes} "
    "minutes). Envoyez-moi plutôt l'adresse e-mail utilisée pour la commande, ou ouvrez le lien "
    "de l'e-mail de votre commande.",
    "verify.ok": "Merci, c'est bien vous ! Vous pouvez maintenant me poser vos questions sur "
    "toutes vos commandes.",
    "verify.other_customer": "Je ne trouve pas la commande {number} parmi vos commandes. Si vous "
    "l'avez passée avec une autre adresse e-mail, indiquez-moi cette adresse ou le code postal "
    "de la commande.",
    "link.invalid": "Désolé, ce lien ne fonctionne pas. Utilisez le lien de notre dernier e-mail "
    "ou envoyez-moi votre numéro de commande.",
    "link.expired": "Ce lien a expiré. Envoyez-moi votre numéro de commande et je vérifierai "
    "autrement.",
    "link.used": "Ce lien a déjà été utilisé. Envoyez-moi votre numéro de commande et je "
    "vérifierai autrement.",
    # The tracking page
    "page.title": "Commande {number} · {shop}",
    "page.invalid.title": "Ce lien de suivi ne fonctionne pas",
    "page.invalid": "Utilisez le lien du dernier e-mail de {shop}.",
    "page.expired.title": "Ce lien de suivi a expiré",
    "page.expired": "Utilisez le lien du dernier e-mail de {shop}, ou posez-nous vos questions "
    "sur votre commande dans Telegram.",
    "page.returns_open": "Vous pouvez retourner des articles jusqu'au {day}.",
    "page.returns_closed": "Le délai de retour a pris fin le {day}.",
    "page.returns_after_delivery": "Vous pouvez retourner des articles pendant {days} jours "
    "après la livraison.",
    "page.returns": "Retours",
    "page.telegram": "Continuer dans Telegram",
    "page.telegram_hint": "Posez vos questions sur cette commande et recevez un message quand "
    "elle avance.",
    "page.updated": "Mis à jour {moment}",
    "app.title": "Vos commandes · {shop}",
    "app.loading": "Chargement de vos commandes…",
    "app.none.title": "Aucune commande à afficher pour l'instant",
    "app.none": "Dès que vous aurez donné au bot votre numéro de commande et votre adresse e-mail "
    "(ou code postal), vos commandes apparaîtront ici.",
    "app.refused.title": "Cette page s'ouvre depuis le bot",
    "app.refused": "Ouvrez-la avec le bouton Détails de votre conversation avec nous.",
    "button.details": "Détails",
    "details.link": "Tout sur la commande {number} sur une seule page : {url}",
    # Orders
    "orders.title": "Vos commandes",
    "orders.none": "Je ne trouve encore aucune commande à votre nom.",
    "orders.pick": "Vous avez plusieurs commandes en cours. Laquelle voulez-vous dire ?",
    "orders.more": "Voici vos {shown} commandes les plus récentes.",
    "orders.line": "{number} · {status} · passée {placed}",
    "order.title": "Commande {number}",
    "live.updated": "Suivi en direct · mis à jour {when}",
    "order.parcels": "{count} colis : {summary}.",
    "order.parcel_title": "Colis {index} sur {count}",
    "order.no_parcels": "Rien n'a encore été expédié.",
    "order.items_more": "{items} et {more} autres",
    # Following
    "follow.on": "C'est fait ! Je vous écrirai ici quand la commande {number} avancera.",
    "follow.already": "Vous suivez déjà la commande {number} ; je vous écrirai quand elle "
    "avancera.",
    "follow.finished": "La commande {number} est arrivée, il n'y a donc plus rien à suivre.",
    "follow.pushes_off": "Les mises à jour sont désactivées pour cette conversation. "
    "Réactivez-les pour avoir des nouvelles de la commande {number}.",
    "follow.pick": "Pour quelle commande voulez-vous que je vous tienne au courant ?",
    "unfollow.off": "D'accord, plus de mises à jour pour la commande {number}.",
    "unfollow.not_following": "Vous ne suiviez pas la commande {number}, rien ne change donc.",
    "pushes.stopped": "Mises à jour désactivées : je ne vous écrirai que si vous m'écrivez "
    "d'abord. Vous pouvez les réactiver à tout moment.",
    "pushes.started": "Mises à jour activées : je vous écrirai ici quand vos commandes avanceront.",
    "pushes.started_unverified": "Mises à jour activées. Envoyez-moi votre numéro de commande "
    "pour que je sache quelles commandes suivre.",
    # Returns and people
    "return.pick": "Pour quelle commande souhaitez-vous retourner un article ?",
    "return.contact": "Pour retourner un article de la commande {number}, contactez {shop}"
    "{contact}.",
    "return.contact_any": "Pour retourner un article, contactez {shop}{contact}.",
    "human.contact": "Pour parler à un conseiller, contactez {shop}{contact}.",
    "contact.via": " à {contact}",
    "contact.fallback": " grâce aux coordonnées de l'e-mail de confirmation de votre commande",
    "contact.hours": " ({days}, {hours})",
    # Buttons
    "button.refresh": "Actualiser",
    "button.follow": "Suivre la commande",
    "button.unfollow": "Arrêter les mises à jour",
    "button.return": "Demander un retour",
    "button.human": "Parler à un conseiller",
    "button.orders": "Mes commandes",
    "button.help": "Aide",
    "button.track": "Commande {number}",
    "button.start_pushes": "Activer les mises à jour",
    "button.cancel": "Annuler",
    "button.track_order": "Suivre le colis",
    # Field labels
    "field.status": "Statut",
    "field.carrier": "Transporteur",
    "field.tracking_number": "Numéro de suivi",
    "field.tracking_link": "Suivre",
    "field.location": "Dernière position",
    "field.pickup": "À retirer à",
    "field.eta": "Prévue",
    "field.eta_promised": "Prévue au plus tard",
    "field.eta_usual": "Arrive généralement",
    "eta.predicted": "Arrive généralement entre {first} et {last}",
    "eta.predicted_day": "Arrive généralement {day}",
    "field.delivered": "Livrée",
    "field.items": "Articles",
    "field.placed": "Passée",
    "timeline.title": "Historique",
    # Shipment statuses
    "shipment.pending": "En préparation",
    "shipment.pending.text": "Nous l'emballons ; le transporteur ne l'a pas encore prise en "
    "charge.",
    "shipment.info_received": "Étiquette créée",
    "shipment.info_received.text": "Le transporteur a les informations et viendra la chercher "
    "bientôt.",
    "shipment.in_transit": "En route",
    "shipment.in_transit.text": "Elle est chez le transporteur et en route vers vous.",
    "shipment.out_for_delivery": "En cours de livraison",
    "shipment.out_for_delivery.text": "Elle est en cours de livraison et devrait arriver "
    "aujourd'hui.",
    "shipment.out_for_delivery.earlier": "Elle est partie en livraison {since} et n'est pas "
    "encore arrivée ; la prochaine mise à jour du transporteur dira quand elle arrivera.",
    "shipment.out_for_delivery.undated": "Elle est en cours de livraison.",
    "shipment.failed_attempt": "Tentative de livraison",
    "shipment.failed_attempt.text": "Le transporteur a essayé de la livrer sans y parvenir ; il "
    "réessaie généralement le jour ouvré suivant.",
    "shipment.available_for_pickup": "Prête à être retirée",
    "shipment.available_for_pickup.text": "Elle vous attend au point de retrait.",
    "shipment.delivered": "Livrée",
    "shipment.delivered.text": "Elle a été livrée.",
    "shipment.exception": "Retardée",
    "shipment.exception.text": "Cela prend plus de temps que prévu. Nous nous en occupons et "
    "vous tiendrons au courant.",
    "shipment.expired": "En attente d'une mise à jour",
    "shipment.expired.text": "Nous n'avons pas eu de mise à jour de suivi depuis un moment. "
    "Nous nous renseignons auprès du transporteur.",
    # Order lifecycle
    "order.placed": "Commande reçue",
    "order.placed.text": "Nous avons bien reçu votre commande et allons la traiter sous peu.",
    "order.processing": "En préparation",
    "order.processing.text": "Nous préparons votre commande pour l'expédition.",
    "order.partially_shipped": "Expédiée en partie",
    "order.partially_shipped.text": "Une partie de votre commande est en route ; le reste suit.",
    "order.shipped": "Expédiée",
    "order.shipped.text": "Votre commande est en route.",
    "order.delivered": "Livrée",
    "order.delivered.text": "Votre commande a été livrée.",
    "order.cancelled": "Annulée",
    "order.cancelled.text": "Cette commande a été annulée.",
    "order.return_requested": "Retour demandé",
    "order.return_requested.text": "Nous avons bien reçu votre demande de retour.",
    "order.returned": "Retournée",
    "order.returned.text": "Nous avons bien reçu votre retour.",
    # Dates
    "date.day": "{weekday} {day} {month}",
    "date.day_year": "{weekday} {day} {month} {year}",
    "date.moment": "{weekday} {day} {month} à {time}",
    "date.moment_zone": "{moment} ({zone})",
    "date.today": "aujourd'hui",
    "date.tomorrow": "demain",
    "date.on_day": "le {day}",
    "date.weekdays": "lun. mar. mer. jeu. ven. sam. dim.",
    "date.months": "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.",
    # The return conversation
    "return.need_verify": "Pour demander un retour, je dois d'abord vérifier qu'il s'agit de "
    "votre commande. Envoyez-moi votre numéro de commande.",
    "return.no_orders": "Je ne trouve encore aucune commande à votre nom, il n'y a donc rien à "
    "retourner.",
    "return.not_yours": "Je ne trouve pas la commande {number} parmi vos commandes.",
    "return.none_delivered": "Aucune de vos commandes n'a encore été livrée, il n'y a donc rien "
    "à retourner pour l'instant. Dès qu'une commande arrive, vous pouvez renvoyer des articles "
    "sous {days} jours.",
    "return.pick_order": "Pour quelle commande souhaitez-vous retourner un article ?",
    "return.disabled": "Les retours ne peuvent pas être demandés dans cette conversation. "
    "Touchez « Parler à un conseiller » et notre équipe vous aidera.",
    "return.cancelled_order": "La commande {number} a été annulée, il n'y a donc rien à retourner.",
    "return.not_delivered": "La commande {number} n'a pas encore été livrée, elle ne peut donc "
    "pas être retournée. Une fois arrivée, vous aurez {days} jours pour renvoyer des articles.",
    "return.window_closed": "La commande {number} a été livrée le {delivered}. Les retours sont "
    "acceptés pendant {days} jours après la livraison : le délai de retour a donc pris fin le "
    "{deadline}. Si un article pose problème, touchez « Parler à un conseiller ».",
    "return.nothing_returnable": "Aucun article de la commande {number} ne peut être retourné :",
    "return.item.final_sale": "{name} a été vendu sans possibilité de retour.",
    "return.item.in_return": "{name} fait déjà partie d'une demande de retour.",
    "return.item.returned": "{name} a déjà été retourné.",
    "return.item.only_available": "seulement {available} × {name} peuvent encore être retournés.",
    "return.pick_items.title": "Retour de la commande {number}",
    "return.pick_items": "Quels articles souhaitez-vous renvoyer ? Touchez un article pour le "
    "sélectionner, puis touchez Continuer. Vous pouvez retourner des articles jusqu'au "
    "{deadline}.",
    "return.pick_items.none": "Sélectionnez d'abord au moins un article.",
    "return.pick_reason.one": "Pourquoi le renvoyez-vous ?",
    "return.pick_reason.many": "Pourquoi les renvoyez-vous ?",
    "return.ask_comment": "Souhaitez-vous ajouter quelque chose ? Écrivez un court message ou "
    "touchez Passer.",
    "return.comment_too_long": "C'est un peu long : merci de rester sous {limit} caractères.",
    "return.confirm.title": "Votre demande de retour",
    "return.confirm": "Vérifiez puis touchez « Envoyer la demande ».",
    "return.sent": "Votre demande de retour pour la commande {number} est bien enregistrée. "
    "Notre équipe va l'examiner et je vous écrirai ici pour la suite.",
    "return.withdrawn": "Votre demande de retour pour la commande {number} est retirée.",
    "return.too_late_to_withdraw": "Cette demande de retour ne peut plus être retirée ici "
    "(statut : {state}). Touchez « Parler à un conseiller » si vous devez la modifier.",
    "return.stopped": "D'accord, j'ai arrêté le retour. Rien n'a été envoyé.",
    "return.stale": "Ce bouton appartient à un retour déjà envoyé ou arrêté. Dites « retour » "
    "pour en commencer un nouveau.",
    "return.bad_item": "Cet article ne fait pas partie de la commande {number}. Choisissez parmi "
    "les boutons.",
    "return.changed": "Quelque chose a changé entre-temps : {why}",
    "return.field.order": "Commande",
    "return.field.items": "Articles",
    "return.field.reason": "Motif",
    "return.field.comment": "Commentaire",
    "return.button.continue": "Continuer",
    "return.button.skip": "Passer",
    "return.button.send": "Envoyer la demande",
    "return.button.cancel": "Annuler",
    "return.button.withdraw": "Retirer la demande",
    "return.button.human": "Parler à un conseiller",
    "return.button.order": "Commande {number}",
    "return.reason.too_small": "Trop petit",
    "return.reason.too_large": "Trop grand",
    "return.reason.defective": "Défectueux ou abîmé",
    "return.reason.not_as_described": "Non conforme à la description",
    "return.reason.wrong_item": "Mauvais article reçu",
    "return.reason.changed_mind": "J'ai changé d'avis",
    "return.reason.other": "Autre motif",
    # Where a return stands, and the pushes after a staff step
    "return_state.requested": "En attente de décision",
    "return_state.approved": "Accepté – en attente du colis",
    "return_state.declined": "Refusé",
    "return_state.received": "Colis reçu – remboursement en cours",
    "return_state.refunded": "Remboursé",
    "return_state.cancelled": "Annulé par vous",
    "return_notice.approved.title": "Retour accepté – commande {number}",
    "return_notice.approved": "Bonne nouvelle : votre retour est accepté. Votre code de retour "
    "est {rma}.",
    "return_notice.field.items": "Articles",
    "return_notice.label": "Imprimez votre étiquette de retour ici : {url} – et inscrivez {rma} "
    "sur le colis.",
    "return_notice.address": "Inscrivez {rma} sur le colis et envoyez-le à : {address}",
    "return_notice.address_later": "Inscrivez {rma} sur le colis ; nous vous enverrons "
    "l'adresse de retour très bientôt.",
    "return_notice.declined.title": "Retour refusé – commande {number}",
    "return_notice.declined": "Désolé, nous ne pouvons pas accepter ce retour.",
    "return_notice.declined_why": "Désolé, nous ne pouvons pas accepter ce retour. {why}.",
    "return_notice.decline_note": "Un mot de notre équipe : {note}",
    "return_notice.decline_reason.final_sale": "L'article a été vendu sans possibilité de retour",
    "return_notice.decline_reason.return_period_ended": "Le délai de retour est dépassé",
    "return_notice.decline_reason.other": "Autre",
    "return_notice.received.title": "Retour reçu – commande {number}",
    "return_notice.received": "Votre colis nous est bien revenu. Nous allons vous rembourser "
    "très bientôt.",
    "return_notice.refunded.title": "Remboursement effectué – commande {number}",
    "return_notice.refunded": "Votre remboursement est en route. Il peut falloir quelques jours "
    "pour qu'il apparaisse sur votre compte.",
    "return_notice.state": "Votre retour pour la commande {number} : {state}.",
    # Talking to a person
    "handoff.ask": "Bien sûr – que souhaitez-vous demander à notre équipe ? Écrivez-le en un "
    "seul message et je le transmettrai{about}.",
    "handoff.about": " avec la commande {number}",
    "handoff.sent": "Merci – j'ai transmis votre message à notre équipe. Quelqu'un vous "
    "répondra ici même, dans cette conversation.",
    "handoff.sent_offline": "Merci – j'ai transmis votre message à notre équipe. Elle n'est pas "
    "disponible pour le moment et vous répondra à partir de {when}. En attendant, je reste là "
    "si vous avez besoin de moi.",
    "handoff.already_waiting": "Vous avez déjà demandé à parler à un conseiller – notre équipe "
    "vous répondra ici dès que possible.",
    "handoff.already_taken": "{agent}, de notre équipe, est déjà avec vous – écrivez simplement "
    "ici.",
    "handoff.cancel_taken": "{agent}, de notre équipe, est toujours avec vous – écrivez "
    "simplement votre message. Ensuite, {agent} vous redirigera vers moi, l'assistant commandes.",
    "handoff.someone": "Quelqu'un",
    "handoff.cancelled": "D'accord, je ne transmets rien. Puis-je vous aider pour autre chose ?",
    "handoff.stale": "Ce bouton n'est plus actif.",
    "handoff.empty": "Écrivez votre question dans un message (ou touchez Annuler).",
    "handoff.text_only": "Je ne peux transmettre que des messages texte à notre équipe : "
    "décrivez-le avec des mots.",
    "handoff_notice.taken": "{agent}, de {shop}, est là et vous répondra dans cette conversation.",
    "handoff_notice.back": "{agent} vous a de nouveau confié à moi, l'assistant commandes. "
    "Posez-moi vos questions, ou touchez « Parler à un conseiller » si vous avez encore besoin "
    "de notre équipe.",
    "handoff_notice.idle": "C'était calme depuis un moment, vous êtes donc de nouveau avec moi, "
    "l'assistant commandes. Touchez « Parler à un conseiller » si vous avez encore besoin de "
    "notre équipe.",
    "handoff_notice.closed_waiting": "Notre équipe a clôturé votre demande. Si vous avez encore "
    "besoin d'aide, touchez « Parler à un conseiller ».",
    "handoff_notice.idle_waiting": "Désolé – personne de notre équipe n'a pu prendre votre "
    "message à temps. Vous êtes de nouveau avec moi, l'assistant commandes ; touchez « Parler "
    "à un conseiller » pour réessayer.",
    # Shipment pushes
    "push.carrier_unknown": "le transporteur",
    "push.shipped.title": "La commande {number} est en route",
    "push.shipped": "Votre commande a été expédiée avec {carrier}.",
    "push.out_for_delivery.title": "La commande {number} est en cours de livraison",
    "push.out_for_delivery": "{carrier} vous livre votre commande aujourd'hui.",
    "push.failed_attempt.title": "Tentative de livraison pour la commande {number}",
    "push.failed_attempt": "{carrier} a essayé de livrer votre commande sans y parvenir. Une "
    "nouvelle tentative a généralement lieu le jour ouvré suivant ; le lien de suivi indique "
    "vos options.",
    "push.available_for_pickup.title": "La commande {number} est prête à être retirée",
    "push.available_for_pickup": "Votre commande vous attend au point de retrait.",
    "push.available_for_pickup.at": "Votre commande vous attend à {place}.",
    "push.delivered.title": "La commande {number} a été livrée",
    "push.delivered": "{carrier} a livré votre commande{place}. Bonne découverte ! Si quelque "
    "chose ne va pas, nous sommes là pour vous aider.",
    "push.delivered.place": " ({place})",
    "push.exception.title": "Un contretemps pour la commande {number}",
    "push.exception": "{carrier} a signalé un problème de livraison{note}. La plupart se "
    "règlent d'eux-mêmes ; nous gardons un œil dessus.",
    "push.exception.note": " : {note}",
    "push.returned_to_sender.title": "La commande {number} repart chez {shop}",
    "push.returned_to_sender": "{carrier} renvoie votre colis à {shop}. Touchez « Parler à un "
    "conseiller » pour convenir d'une nouvelle livraison ou d'un remboursement.",
    "push.eta_changed.title": "Nouvelle date de livraison pour la commande {number}",
    "push.eta_changed": "Votre date de livraison a changé : elle est maintenant prévue {eta}{was}.",
    "push.eta_changed.was": " (au lieu de {was})",
    "push.field.tracking_number": "Numéro de suivi",
    "push.field.tracking_link": "Lien de suivi",
    "push.field.eta": "Prévue",
    # Flag notices
    "flag_notice.delayed": "Votre commande {number} a pris du retard. Nous nous en occupons et "
    "vous tiendrons au courant.",
    "flag_notice.late": "Votre commande {number} a pris du retard. Nous nous en occupons et "
    "vous tiendrons au courant.",
    "flag_notice.damaged": "Nous avons noté un problème concernant l'état de votre commande "
    "{number}. Notre équipe s'en occupe et reviendra vers vous.",
    "flag_notice.lost": "Nous vérifions avec le transporteur où se trouve le colis de la "
    "commande {number}. Nous vous informerons dès que nous en saurons plus.",
    "flag_notice.wrong_item": "Nous avons noté que la commande {number} contient peut-être un "
    "mauvais article. Notre équipe reviendra vers vous.",
    "flag_notice.address_problem": "Il y a peut-être un problème avec l'adresse de livraison de "
    "la commande {number}. Notre équipe vous contactera.",
    "flag_notice.default": "Notre équipe examine votre commande {number} et vous tiendra au "
    "courant.",
    # Problem reports, refunds, cancellations and address changes (core.conversation.problems)
    "problem.pick": "De quelle commande s'agit-il ?",
    "problem.no_orders": "Je ne trouve encore aucune commande à votre nom. Si vous avez commandé "
    "avec une autre adresse e-mail, envoyez-moi le numéro de cette commande.",
    "problem.latest_event": "Dernière information de {carrier} ({moment}) : {event}.",
    "problem.latest_event.where": "Dernière information de {carrier} ({moment}, {location}) : "
    "{event}.",
    "problem.no_events": "{carrier} n'a encore transmis aucun scan pour ce colis.",
    "problem.expected": "Livraison prévue : {day}.",
    "problem.no_window": "Il n'y a pas de date de livraison prévue pour le moment.",
    "problem.not_shipped": "La commande {number} n'est pas encore expédiée ({status}).",
    "problem.told_team": "J'ai transmis cela à notre équipe avec les informations ci-dessus ; "
    "elle vous répondra ici.",
    "problem.escalated": "Vous nous l'avez déjà signalé, j'ai donc marqué votre dossier comme "
    "urgent pour notre équipe.",
    "problem.already_known": "Notre équipe s'en occupait déjà ; j'y ai ajouté votre signalement "
    "et l'ai marqué comme urgent.",
    "problem.items": "Articles de la commande {number} : {items}.",
    "problem.items_named": "Vous avez mentionné : {items}.",
    "problem.photos_telegram": "Si possible, envoyez-moi ici des photos (de l'article et du "
    "carton) ; je les ajouterai à votre signalement pour notre équipe.",
    "problem.photos_elsewhere": "Décrivez-moi dans un message ce que vous constatez ; je "
    "l'ajouterai à votre signalement pour notre équipe.",
    "problem.photo_added": "Merci, j'ai ajouté la photo à votre signalement ({count} jusqu'ici).",
    "problem.details_added": "Merci, je l'ai ajouté à votre signalement.",
    "problem.photo_without_report": "Merci pour la photo. Pour l'ajouter à un signalement, "
    "dites-moi d'abord ce qui ne va pas, par exemple « la commande 1001 est arrivée abîmée ».",
    "problem.damaged.intro": "Je suis désolé que la commande {number} soit arrivée abîmée.",
    "problem.damaged.next": "Notre équipe vous proposera un remplacement ou un remboursement. "
    "Vous pouvez aussi demander un retour dès maintenant ou parler à un conseiller.",
    "problem.wrong_item.intro": "Je suis désolé : la commande {number} ne contenait pas ce que "
    "vous avez commandé.",
    "problem.wrong_item.next": "Gardez pour l'instant ce que vous avez reçu ; notre équipe "
    "organisera l'envoi du bon article ou un retour gratuit. Vous pouvez aussi demander un "
    "retour dès maintenant ou parler à un conseiller.",
    "problem.missing_item.intro": "Je suis désolé qu'il manque quelque chose dans la commande "
    "{number}.",
    "problem.missing_item.next": "Notre équipe va vérifier comment votre commande a été "
    "préparée et vous enverra ce qui manque ou vous le remboursera. Les colis d'une même "
    "commande arrivent parfois séparément : {parcels}.",
    "problem.missing_item.one_parcel": "cette commande a été envoyée en un seul colis",
    "problem.missing_item.parcels": "cette commande a été envoyée en {count} colis ({delivered} "
    "livrés jusqu'ici)",
    "problem.not_delivered_yet": "La commande {number} n'est pas encore indiquée comme livrée, "
    "elle ne vous est donc pas encore parvenue : redites-le-moi une fois qu'elle sera arrivée.",
    "problem.dnr.not_yet": "La commande {number} n'est pas encore indiquée comme livrée, elle "
    "devrait donc toujours être en route vers vous.",
    "problem.dnr.delivered": "{carrier} indique que le colis {tracking} a été livré le {moment}.",
    "problem.dnr.delivered_where": "{carrier} indique que le colis {tracking} a été livré le "
    "{moment} ({location}).",
    "problem.dnr.proof": "La note de livraison du transporteur : {proof}",
    "problem.dnr.checks": "Vérifiez devant votre porte et à l'endroit sûr que vous auriez "
    "indiqué, auprès de vos voisins et à l'accueil ou au local courrier de votre immeuble. Un "
    "colis est parfois indiqué comme livré quelques heures avant d'arriver vraiment.",
    "problem.dnr.wait": "S'il n'est toujours pas arrivé le {moment}, notre équipe ouvrira alors "
    "un dossier sans que vous ayez à réécrire ; elle vous répondra ici.",
    "problem.delayed.next": "Vous n'avez rien à faire : un colis en retard arrive généralement "
    "dans les jours qui suivent. Touchez Suivre la commande et je vous écrirai dès qu'il "
    "avancera.",
    "problem.stuck.next": "Aucun nouveau scan depuis le {moment}. Notre équipe va demander à "
    "{carrier} où il se trouve ; touchez Suivre la commande et je vous écrirai dès qu'il "
    "avancera.",
    "problem.delivery_attempted.next": "{carrier} réessaie généralement le jour ouvré suivant ou "
    "dépose le colis dans un point de retrait proche. Cherchez un avis de passage ou un "
    "message de sa part ; vous pouvez souvent reprogrammer la livraison sur sa page de suivi.",
    "problem.returned_to_sender.next": "Le colis est en route pour revenir chez nous. Dès son "
    "arrivée, notre équipe vous le renverra ou vous remboursera, après avoir vérifié votre "
    "adresse avec vous.",
    "problem.carrier_page": "La page du transporteur : {url}",
    "problem.cancel.possible": "La commande {number} n'est pas encore expédiée ({status}), elle "
    "peut donc encore être annulée. J'ai demandé à notre équipe de l'annuler ; elle vous le "
    "confirmera ici.",
    "problem.cancel.shipped": "La commande {number} est déjà expédiée, elle ne peut donc plus "
    "être annulée. Une fois arrivée, vous pourrez la renvoyer en demandant un retour.",
    "problem.cancel.already": "La commande {number} est déjà annulée.",
    "problem.cancel.finished": "La commande {number} est déjà terminée (statut : {status}), il "
    "n'y a donc rien à annuler.",
    "problem.address.possible": "La commande {number} n'est pas encore expédiée ({status}), "
    "l'adresse de livraison peut donc encore changer. J'ai demandé à notre équipe de la "
    "modifier. Envoyez-moi la nouvelle adresse en un seul message et je l'ajouterai à la "
    "demande.",
    "problem.address.shipped": "La commande {number} est déjà expédiée, nous ne pouvons donc "
    "plus changer son adresse. {carrier} vous permet peut-être de rediriger le colis ou de "
    "choisir un point de retrait sur sa page de suivi.",
    "problem.address.finished": "La commande {number} est déjà terminée (statut : {status}), son "
    "adresse ne peut donc plus changer.",
    "problem.refund.none": "Il n'y a pas encore de retour pour la commande {number}, aucun "
    "remboursement n'est donc en cours. Souhaitez-vous demander un retour ?",
    "problem.refund.none_any": "Vous n'avez encore aucun retour chez nous, aucun remboursement "
    "n'est donc en cours. Souhaitez-vous demander un retour ?",
    "problem.refund.title": "Votre retour pour la commande {number}",
    "problem.refund.requested": "Demandé",
    "problem.refund.approved": "Accepté",
    "problem.refund.declined": "Refusé",
    "problem.refund.received": "Reçu par nous",
    "problem.refund.refunded": "Remboursé",
    "problem.refund.cancelled": "Retiré",
    "problem.refund.code": "Code de retour",
    "problem.refund.next.requested": "Notre équipe n'a pas encore pris de décision ; vous aurez "
    "de nos nouvelles ici dès que ce sera fait.",
    "problem.refund.next.approved": "Renvoyez-nous les articles. Le remboursement sera effectué "
    "dès leur arrivée chez nous.",
    "problem.refund.next.received": "Vos articles nous sont revenus ; le remboursement est en "
    "préparation. J'ai demandé à notre équipe d'y veiller.",
    "problem.refund.next.refunded": "Le remboursement a été envoyé le {moment}. Selon votre "
    "banque, il peut falloir quelques jours ouvrés pour qu'il apparaisse sur votre compte.",
    "problem.refund.next.declined": "Ce retour a été refusé, aucun remboursement n'est donc en "
    "cours. Parlez à un conseiller si vous souhaitez en savoir plus.",
    "problem.refund.next.cancelled": "Ce retour a été retiré, aucun remboursement n'est donc en "
    "cours.",
    # Telegram
    "telegram.group_chat": "Je ne parle des commandes qu'en conversation privée, pour que "
    "personne d'autre ne les voie. Touchez ci-dessous pour m'écrire directement.",
    "telegram.group_chat_button": "M'écrire en privé",
    "telegram.stale_button": "Ce bouton ne fonctionne plus. Envoyez-moi plutôt un message.",
    "telegram.something_went_wrong": "Désolé, un problème est survenu de notre côté. "
    "Réessayez dans un instant.",
    "telegram.command.track": "Où est ma commande ?",
    "telegram.command.orders": "Mes commandes",
    "telegram.command.help": "Ce que je sais faire",
    "telegram.command.stop": "Arrêter les mises à jour",
    "telegram.command.cancel": "Annuler l'opération en cours",
}
