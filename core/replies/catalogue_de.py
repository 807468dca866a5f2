"""German: every shopper word of the English catalogue (core.replies.messages.EN), formal "Sie".

Same keys and placeholders as English (tests/unit/conversation/test_catalogues.py checks).
Dates read the German way: "Do., 5. Nov." and "Do., 5. Nov., 14:30 Uhr".
"""

from __future__ import annotations

DE: dict[str, str] = {
    # Greeting, help, small talk
    "greeting": "Hallo{name}! Ich bin der Bestellassistent von {shop}. Ich sage Ihnen, wo Ihre "
    "Bestellung ist, schreibe Ihnen, sobald sie sich bewegt, und helfe bei Rücksendungen.",
    "greeting.unverified": "Schicken Sie mir zum Start Ihre Bestellnummer (Sie finden sie in "
    "Ihrer Bestellbestätigung per E-Mail).",
    "greeting.verified": "Fragen Sie mich „Wo ist meine Bestellung?“ oder tippen Sie unten auf "
    "eine Schaltfläche.",
    "help": "Das kann ich für Sie tun:\n"
    "• „Wo ist meine Bestellung 1001?“ – Status, Standort, voraussichtliche Lieferung und "
    "Sendungsverfolgung\n"
    "• „Meine Bestellungen“ – Ihre letzten Bestellungen\n"
    "• „Updates zu 1001“ / „Keine Updates mehr“ – Nachrichten, wenn sich Ihre Bestellung "
    "bewegt, oder keine\n"
    "• „Rücksendung 1001“ / „Wo bleibt meine Erstattung?“ – eine Rücksendung starten oder "
    "sehen, wo sie steht\n"
    "• „1001 kam beschädigt an“, „laut Sendungsverfolgung zugestellt, aber nicht da“, "
    "„1001 stornieren“ – sagen Sie mir, was nicht stimmt oder was sich ändern soll, und ich gebe "
    "es an unser Team weiter\n"
    "• „Mit einem Mitarbeiter sprechen“ – unser Team erreichen",
    "thanks": "Gern geschehen! Schreiben Sie mir jederzeit.",
    "bye": "Auf Wiedersehen! Ich bin da, wann immer Sie mich brauchen.",
    "unknown": "Entschuldigung, das habe ich nicht ganz verstanden. Versuchen Sie „Wo ist meine "
    "Bestellung 1001?“, „Meine Bestellungen“ oder „Hilfe“.",
    "cancelled": "In Ordnung, dann lassen wir das. Kann ich sonst noch etwas für Sie tun?",
    # Verification
    "verify.ask_order_number": "Gern! Wie lautet Ihre Bestellnummer? Sie finden sie in Ihrer "
    "Bestellbestätigung per E-Mail.",
    "verify.ask_secret": "Danke. Damit Ihre Bestellung privat bleibt, nennen Sie mir bitte die "
    "E-Mail-Adresse oder die Postleitzahl der Bestellung {number}.",
    "verify.ask_secret_again": "Ich brauche die E-Mail-Adresse oder die Postleitzahl der "
    "Bestellung {number} (zum Beispiel jane@example.com oder 10115). Oder sagen Sie "
    "„abbrechen“.",
    "verify.need_order_number": "Um Ihre Bestellung zu finden, brauche ich Ihre Bestellnummer; "
    "sie steht in Ihrer Bestellbestätigung per E-Mail. Oder sagen Sie „abbrechen“.",
    "verify.failed": "Leider konnte ich diese Bestellnummer nicht mit dieser E-Mail-Adresse "
    "oder Postleitzahl zusammenbringen. Bitte prüfen Sie beides und schicken Sie mir die "
    "Bestellnummer noch einmal.",
    "verify.locked": "Zu viele Versuche. Zu Ihrer Sicherheit versuchen Sie es bitte später noch "
    "einmal (in etwa {minutes} Minuten).",
    "verify.postcode_locked": "Zu Ihrer Sicherheit kann ich für die Bestellung {number} gerade "
    "keine Postleitzahlen prüfen (zu viele Versuche; versuchen Sie es in etwa {minutes} "
    "Minuten wieder). Schicken Sie mir bitte stattdessen die E-Mail-Adresse der Bestellung "
    "oder öffnen Sie den Link in Ihrer Bestell-E-Mail.",
    "verify.ok": "Danke, das sind Sie! Sie können mich jetzt zu allen Ihren Bestellungen fragen.",
    "verify.other_customer": "Ich finde die Bestellung {number} nicht unter Ihren Bestellungen. "
    "Wenn Sie sie mit einer anderen E-Mail-Adresse aufgegeben haben, nennen Sie mir diese "
    "Adresse oder die Postleitzahl der Bestellung.",
    "link.invalid": "Dieser Link funktioniert leider nicht. Bitte nutzen Sie den Link in Ihrer "
    "neuesten E-Mail von uns oder schicken Sie mir Ihre Bestellnummer.",
    "link.expired": "Dieser Link ist abgelaufen. Bitte schicken Sie mir Ihre Bestellnummer, "
    "dann prüfe ich es auf anderem Weg.",
    "link.used": "Dieser Link wurde bereits verwendet. Bitte schicken Sie mir Ihre "
    "Bestellnummer, dann prüfe ich es auf anderem Weg.",
    # The tracking page
    "page.title": "Bestellung {number} · {shop}",
    "page.invalid.title": "Dieser Sendungslink funktioniert nicht",
    "page.invalid": "Bitte nutzen Sie den Link in Ihrer neuesten E-Mail von {shop}.",
    "page.expired.title": "Dieser Sendungslink ist abgelaufen",
    "page.expired": "Bitte nutzen Sie den Link in Ihrer neuesten E-Mail von {shop} oder fragen "
    "Sie uns in Telegram nach Ihrer Bestellung.",
    "page.returns_open": "Sie können Artikel bis {day} zurücksenden.",
    "page.returns_closed": "Die Rückgabefrist ist am {day} abgelaufen.",
    "page.returns_after_delivery": "Sie können Artikel bis {days} Tage nach der Lieferung "
    "zurücksenden.",
    "page.returns": "Rücksendungen",
    "page.telegram": "In Telegram weiter",
    "page.telegram_hint": "Fragen Sie zu dieser Bestellung und erhalten Sie eine Nachricht, "
    "sobald sie sich bewegt.",
    "page.updated": "Aktualisiert {moment}",
    "app.title": "Ihre Bestellungen · {shop}",
    "app.loading": "Ihre Bestellungen werden geladen…",
    "app.none.title": "Noch keine Bestellungen",
    "app.none": "Sobald Sie dem Bot Ihre Bestellnummer und E-Mail-Adresse (oder Postleitzahl) "
    "genannt haben, erscheinen Ihre Bestellungen hier.",
    "app.refused.title": "Diese Seite öffnet sich aus dem Bot",
    "app.refused": "Bitte öffnen Sie sie über die Schaltfläche Details in Ihrem Chat mit uns.",
    "button.details": "Details",
    "details.link": "Alles zur Bestellung {number} auf einer Seite: {url}",
    # Orders
    "orders.title": "Ihre Bestellungen",
    "orders.none": "Ich finde noch keine Bestellungen von Ihnen.",
    "orders.pick": "Sie haben mehrere Bestellungen unterwegs. Welche meinen Sie?",
    "orders.more": "Hier sind Ihre {shown} neuesten Bestellungen.",
    "orders.line": "{number} · {status} · bestellt {placed}",
    "order.title": "Bestellung {number}",
    "live.updated": "Live-Status · aktualisiert {when}",
    "order.parcels": "{count} Pakete: {summary}.",
    "order.parcel_title": "Paket {index} von {count}",
    "order.no_parcels": "Es wurde noch nichts verschickt.",
    "order.items_more": "{items} und {more} weitere",
    # Following
    "follow.on": "Erledigt! Ich schreibe Ihnen hier, sobald sich die Bestellung {number} bewegt.",
    "follow.already": "Sie verfolgen die Bestellung {number} bereits; ich schreibe Ihnen, "
    "sobald sie sich bewegt.",
    "follow.finished": "Die Bestellung {number} ist angekommen, es gibt also nichts mehr zu "
    "verfolgen.",
    "follow.pushes_off": "Updates sind für diesen Chat ausgeschaltet. Schalten Sie sie wieder "
    "ein, um von der Bestellung {number} zu hören.",
    "follow.pick": "Über welche Bestellung soll ich Sie auf dem Laufenden halten?",
    "unfollow.off": "In Ordnung, keine Updates mehr zur Bestellung {number}.",
    "unfollow.not_following": "Sie haben die Bestellung {number} nicht verfolgt, es ändert "
    "sich also nichts.",
    "pushes.stopped": "Updates sind aus: Ich schreibe Ihnen nur, wenn Sie mir zuerst schreiben. "
    "Sie können sie jederzeit wieder einschalten.",
    "pushes.started": "Updates sind an: Ich schreibe Ihnen hier, sobald sich Ihre Bestellungen "
    "bewegen.",
    "pushes.started_unverified": "Updates sind an. Schicken Sie mir Ihre Bestellnummer, damit "
    "ich weiß, welche Bestellungen ich verfolgen soll.",
    # Returns and people
    "return.pick": "Aus welcher Bestellung möchten Sie etwas zurücksenden?",
    "return.contact": "Um etwas aus der Bestellung {number} zurückzusenden, wenden Sie sich "
    "bitte an {shop}{contact}.",
    "return.contact_any": "Um etwas zurückzusenden, wenden Sie sich bitte an {shop}{contact}.",
    "human.contact": "Um mit einem Mitarbeiter zu sprechen, wenden Sie sich an {shop}{contact}.",
    "contact.via": " unter {contact}",
    "contact.fallback": " über die Kontaktdaten in Ihrer Bestellbestätigung per E-Mail",
    "contact.hours": " ({days}, {hours})",
    # Buttons
    "button.refresh": "Aktualisieren",
    "button.follow": "Updates erhalten",
    "button.unfollow": "Keine Updates",
    "button.return": "Rücksendung starten",
    "button.human": "Mit einem Mitarbeiter sprechen",
    "button.orders": "Meine Bestellungen",
    "button.help": "Hilfe",
    "button.track": "Bestellung {number}",
    "button.start_pushes": "Updates einschalten",
    "button.cancel": "Abbrechen",
    "button.track_order": "Sendung verfolgen",
    # Field labels
    "field.status": "Status",
    "field.carrier": "Versanddienst",
    "field.tracking_number": "Sendungsnummer",
    "field.tracking_link": "Verfolgen",
    "field.location": "Zuletzt gesehen",
    "field.pickup": "Abholen bei",
    "field.eta": "Voraussichtlich",
    "field.eta_promised": "Spätestens",
    "field.eta_usual": "Kommt meist",
    "eta.predicted": "Kommt meist zwischen {first} und {last}",
    "eta.predicted_day": "Kommt meist {day}",
    "field.delivered": "Zugestellt",
    "field.items": "Artikel",
    "field.placed": "Bestellt",
    "timeline.title": "Verlauf",
    # Shipment statuses
    "shipment.pending": "Wird vorbereitet",
    "shipment.pending.text": "Wir packen sie gerade; der Versanddienst hat sie noch nicht "
    "abgeholt.",
    "shipment.info_received": "Etikett erstellt",
    "shipment.info_received.text": "Der Versanddienst hat die Daten und holt die Sendung bald ab.",
    "shipment.in_transit": "Unterwegs",
    "shipment.in_transit.text": "Sie ist beim Versanddienst und auf dem Weg zu Ihnen.",
    "shipment.out_for_delivery": "In Zustellung",
    "shipment.out_for_delivery.text": "Sie ist in der Zustellung und sollte heute ankommen.",
    "shipment.out_for_delivery.earlier": "Sie ging {since} in die Zustellung und ist noch nicht "
    "angekommen; das nächste Update des Versanddienstes sagt, wann sie kommt.",
    "shipment.out_for_delivery.undated": "Sie ist in der Zustellung.",
    "shipment.failed_attempt": "Zustellversuch",
    "shipment.failed_attempt.text": "Der Versanddienst hat versucht zuzustellen, konnte es aber "
    "nicht; meist folgt am nächsten Werktag ein neuer Versuch.",
    "shipment.available_for_pickup": "Abholbereit",
    "shipment.available_for_pickup.text": "Sie wartet in der Abholstelle auf Sie.",
    "shipment.delivered": "Zugestellt",
    "shipment.delivered.text": "Sie wurde zugestellt.",
    "shipment.exception": "Verzögert",
    "shipment.exception.text": "Es dauert länger als geplant. Wir kümmern uns darum und halten "
    "Sie auf dem Laufenden.",
    "shipment.expired": "Warten auf ein Update",
    "shipment.expired.text": "Wir hatten eine Weile kein Sendungs-Update. Wir fragen beim "
    "Versanddienst nach.",
    # Order lifecycle
    "order.placed": "Bestellung eingegangen",
    "order.placed.text": "Wir haben Ihre Bestellung erhalten und beginnen in Kürze damit.",
    "order.processing": "Wird vorbereitet",
    "order.processing.text": "Wir machen Ihre Bestellung versandfertig.",
    "order.partially_shipped": "Teilweise verschickt",
    "order.partially_shipped.text": "Ein Teil Ihrer Bestellung ist unterwegs; der Rest folgt.",
    "order.shipped": "Verschickt",
    "order.shipped.text": "Ihre Bestellung ist unterwegs.",
    "order.delivered": "Zugestellt",
    "order.delivered.text": "Ihre Bestellung wurde zugestellt.",
    "order.cancelled": "Storniert",
    "order.cancelled.text": "Diese Bestellung wurde storniert.",
    "order.return_requested": "Rücksendung beantragt",
    "order.return_requested.text": "Wir haben Ihren Rücksendewunsch erhalten.",
    "order.returned": "Zurückgesendet",
    "order.returned.text": "Wir haben Ihre Rücksendung erhalten.",
    # Dates
    "date.day": "{weekday}, {day}. {month}",
    "date.day_year": "{weekday}, {day}. {month} {year}",
    "date.moment": "{weekday}, {day}. {month}, {time} Uhr",
    "date.moment_zone": "{moment} ({zone})",
    "date.today": "heute",
    "date.tomorrow": "morgen",
    "date.on_day": "am {day}",
    "date.weekdays": "Mo. Di. Mi. Do. Fr. Sa. So.",
    "date.months": "Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez.",
    # The return conversation
    "return.need_verify": "Bevor ich eine Rücksendung starte, muss ich prüfen, dass es Ihre "
    "Bestellung ist. Bitte schicken Sie mir Ihre Bestellnummer.",
    "return.no_orders": "Ich finde noch keine Bestellungen von Ihnen, es gibt also nichts "
    "zurückzusenden.",
    "return.not_yours": "Ich finde die Bestellung {number} nicht unter Ihren Bestellungen.",
    "return.none_delivered": "Noch keine Ihrer Bestellungen wurde zugestellt, es gibt also noch "
    "nichts zurückzusenden. Sobald eine Bestellung ankommt, können Sie Artikel innerhalb von "
    "{days} Tagen zurücksenden.",
    "return.pick_order": "Aus welcher Bestellung möchten Sie etwas zurücksenden?",
    "return.disabled": "In diesem Chat lassen sich keine Rücksendungen starten. Tippen Sie auf "
    "„Mit einem Mitarbeiter sprechen“, dann hilft Ihnen unser Team.",
    "return.cancelled_order": "Die Bestellung {number} wurde storniert, es gibt also nichts "
    "zurückzusenden.",
    "return.not_delivered": "Die Bestellung {number} wurde noch nicht zugestellt und kann daher "
    "nicht zurückgesendet werden. Sobald sie ankommt, haben Sie {days} Tage Zeit für die "
    "Rücksendung.",
    "return.window_closed": "Die Bestellung {number} wurde am {delivered} zugestellt. "
    "Rücksendungen sind bis {days} Tage nach der Lieferung möglich, die Rückgabefrist endete "
    "also am {deadline}. Wenn mit einem Artikel etwas nicht stimmt, tippen Sie auf „Mit einem "
    "Mitarbeiter sprechen“.",
    "return.nothing_returnable": "Nichts aus der Bestellung {number} kann zurückgesendet werden:",
    "return.item.final_sale": "{name} war von der Rückgabe ausgeschlossen und kann nicht "
    "zurückgesendet werden.",
    "return.item.in_return": "{name} ist bereits Teil einer Rücksendung.",
    "return.item.returned": "{name} wurde bereits zurückgesendet.",
    "return.item.only_available": "nur noch {available} × {name} können zurückgesendet werden.",
    "return.pick_items.title": "Rücksendung aus Bestellung {number}",
    "return.pick_items": "Welche Artikel möchten Sie zurücksenden? Tippen Sie auf einen Artikel, "
    "um ihn auszuwählen, und dann auf Weiter. Sie können Artikel bis {deadline} zurücksenden.",
    "return.pick_items.none": "Bitte wählen Sie zuerst mindestens einen Artikel aus.",
    "return.pick_reason.one": "Warum senden Sie ihn zurück?",
    "return.pick_reason.many": "Warum senden Sie sie zurück?",
    "return.ask_comment": "Möchten Sie noch etwas ergänzen? Schreiben Sie eine kurze Nachricht "
    "oder tippen Sie auf Überspringen.",
    "return.comment_too_long": "Das ist etwas lang – bitte bleiben Sie unter {limit} Zeichen.",
    "return.confirm.title": "Ihr Rücksendewunsch",
    "return.confirm": "Bitte prüfen Sie alles und tippen Sie auf „Anfrage senden“.",
    "return.sent": "Ihr Rücksendewunsch für die Bestellung {number} ist eingegangen. Unser Team "
    "prüft ihn, und ich schreibe Ihnen hier die nächsten Schritte.",
    "return.withdrawn": "Ihr Rücksendewunsch für die Bestellung {number} ist zurückgezogen.",
    "return.too_late_to_withdraw": "Dieser Rücksendewunsch kann hier nicht mehr zurückgezogen "
    "werden (Status: {state}). Tippen Sie auf „Mit einem Mitarbeiter sprechen“, wenn Sie ihn "
    "ändern möchten.",
    "return.stopped": "In Ordnung, ich habe die Rücksendung abgebrochen. Es wurde nichts gesendet.",
    "return.stale": "Diese Schaltfläche gehört zu einer Rücksendung, die bereits gesendet oder "
    "abgebrochen ist. Sagen Sie „Rücksendung“, um eine neue zu starten.",
    "return.bad_item": "Dieser Artikel gehört nicht zur Bestellung {number}. Bitte wählen Sie "
    "über die Schaltflächen.",
    "return.changed": "Inzwischen hat sich etwas geändert: {why}",
    "return.field.order": "Bestellung",
    "return.field.items": "Artikel",
    "return.field.reason": "Grund",
    "return.field.comment": "Kommentar",
    "return.button.continue": "Weiter",
    "return.button.skip": "Überspringen",
    "return.button.send": "Anfrage senden",
    "return.button.cancel": "Abbrechen",
    "return.button.withdraw": "Anfrage zurückziehen",
    "return.button.human": "Mit einem Mitarbeiter sprechen",
    "return.button.order": "Bestellung {number}",
    "return.reason.too_small": "Zu klein",
    "return.reason.too_large": "Zu groß",
    "return.reason.defective": "Defekt oder beschädigt",
    "return.reason.not_as_described": "Nicht wie beschrieben",
    "return.reason.wrong_item": "Falscher Artikel geliefert",
    "return.reason.changed_mind": "Ich habe es mir anders überlegt",
    "return.reason.other": "Anderer Grund",
    # Where a return stands, and the pushes after a staff step
    "return_state.requested": "Wartet auf eine Entscheidung",
    "return_state.approved": "Genehmigt – wartet auf das Paket",
    "return_state.declined": "Abgelehnt",
    "return_state.received": "Paket erhalten – Erstattung folgt",
    "return_state.refunded": "Erstattet",
    "return_state.cancelled": "Von Ihnen zurückgezogen",
    "return_notice.approved.title": "Rücksendung genehmigt – Bestellung {number}",
    "return_notice.approved": "Gute Nachricht: Ihre Rücksendung ist genehmigt. Ihr "
    "Rücksendecode lautet {rma}.",
    "return_notice.field.items": "Artikel",
    "return_notice.label": "Drucken Sie Ihr Rücksendeetikett hier aus: {url} – und schreiben "
    "Sie {rma} auf das Paket.",
    "return_notice.address": "Schreiben Sie {rma} auf das Paket und senden Sie es an: {address}",
    "return_notice.address_later": "Schreiben Sie {rma} auf das Paket; die Rücksendeadresse "
    "schicken wir Ihnen in Kürze.",
    "return_notice.declined.title": "Rücksendung abgelehnt – Bestellung {number}",
    "return_notice.declined": "Leider können wir diese Rücksendung nicht annehmen.",
    "return_notice.declined_why": "Leider können wir diese Rücksendung nicht annehmen. {why}.",
    "return_notice.decline_note": "Eine Nachricht unseres Teams: {note}",
    "return_notice.decline_reason.final_sale": "Der Artikel war von der Rückgabe ausgeschlossen",
    "return_notice.decline_reason.return_period_ended": "Die Rückgabefrist ist abgelaufen",
    "return_notice.decline_reason.other": "Sonstiges",
    "return_notice.received.title": "Rücksendung erhalten – Bestellung {number}",
    "return_notice.received": "Ihr Paket ist wieder bei uns. Wir erstatten Ihnen den Betrag in "
    "Kürze.",
    "return_notice.refunded.title": "Erstattung veranlasst – Bestellung {number}",
    "return_notice.refunded": "Ihre Erstattung ist unterwegs. Es kann einige Tage dauern, bis "
    "sie auf Ihrem Konto erscheint.",
    "return_notice.state": "Ihre Rücksendung zur Bestellung {number}: {state}.",
    # Talking to a person
    "handoff.ask": "Gern – was möchten Sie unser Team fragen? Schreiben Sie es in einer "
    "Nachricht, und ich gebe es weiter{about}.",
    "handoff.about": ", zusammen mit der Bestellung {number}",
    "handoff.sent": "Danke – ich habe Ihre Nachricht an unser Team weitergegeben. Jemand "
    "antwortet Ihnen direkt hier in diesem Chat.",
    "handoff.sent_offline": "Danke – ich habe Ihre Nachricht an unser Team weitergegeben. Es ist "
    "gerade nicht erreichbar und antwortet ab {when}. Bis dahin bin ich weiter für Sie da.",
    "handoff.already_waiting": "Sie haben bereits nach einem Mitarbeiter gefragt – unser Team "
    "antwortet hier, so schnell es kann.",
    "handoff.already_taken": "{agent} aus unserem Team ist bereits für Sie da – schreiben Sie "
    "einfach hier.",
    "handoff.cancel_taken": "{agent} aus unserem Team ist weiterhin für Sie da – schreiben Sie "
    "einfach Ihre Nachricht. Danach gibt {agent} Sie an mich, den Bestellassistenten, zurück.",
    "handoff.someone": "Jemand",
    "handoff.cancelled": "In Ordnung, ich gebe nichts weiter. Kann ich sonst noch helfen?",
    "handoff.stale": "Diese Schaltfläche ist nicht mehr aktiv.",
    "handoff.empty": "Bitte schreiben Sie Ihre Frage in eine Nachricht (oder tippen Sie auf "
    "Abbrechen).",
    "handoff.text_only": "Ich kann nur Textnachrichten an unser Team weitergeben – bitte "
    "beschreiben Sie es in Worten.",
    "handoff_notice.taken": "{agent} von {shop} ist da und antwortet Ihnen in diesem Chat.",
    "handoff_notice.back": "{agent} hat Sie wieder an mich, den Bestellassistenten, übergeben. "
    "Fragen Sie mich alles, oder tippen Sie auf „Mit einem Mitarbeiter sprechen“, wenn Sie "
    "unser Team wieder brauchen.",
    "handoff_notice.idle": "Es war eine Weile still, deshalb sind Sie wieder bei mir, dem "
    "Bestellassistenten. Tippen Sie auf „Mit einem Mitarbeiter sprechen“, wenn Sie unser Team "
    "wieder brauchen.",
    "handoff_notice.closed_waiting": "Unser Team hat Ihre Anfrage geschlossen. Wenn Sie noch "
    "Hilfe brauchen, tippen Sie auf „Mit einem Mitarbeiter sprechen“.",
    "handoff_notice.idle_waiting": "Entschuldigung – niemand aus unserem Team konnte Ihre "
    "Nachricht rechtzeitig annehmen. Sie sind wieder bei mir, dem Bestellassistenten; tippen "
    "Sie auf „Mit einem Mitarbeiter sprechen“, um es noch einmal zu versuchen.",
    # Shipment pushes
    "push.carrier_unknown": "der Versanddienst",
    "push.shipped.title": "Bestellung {number} ist unterwegs",
    "push.shipped": "Ihre Bestellung wurde mit {carrier} verschickt.",
    "push.out_for_delivery.title": "Bestellung {number} ist in Zustellung",
    "push.out_for_delivery": "{carrier} bringt Ihre Bestellung heute.",
    "push.failed_attempt.title": "Zustellversuch für Bestellung {number}",
    "push.failed_attempt": "{carrier} hat versucht, Ihre Bestellung zuzustellen, konnte es aber "
    "nicht. Meist folgt am nächsten Werktag ein neuer Versuch; der Sendungslink zeigt Ihre "
    "Möglichkeiten.",
    "push.available_for_pickup.title": "Bestellung {number} ist abholbereit",
    "push.available_for_pickup": "Ihre Bestellung wartet in der Abholstelle auf Sie.",
    "push.available_for_pickup.at": "Ihre Bestellung wartet bei {place} auf Sie.",
    "push.delivered.title": "Bestellung {number} wurde zugestellt",
    "push.delivered": "{carrier} hat Ihre Bestellung zugestellt{place}. Viel Freude damit! Wenn "
    "etwas nicht stimmt, helfen wir gern.",
    "push.delivered.place": " ({place})",
    "push.exception.title": "Eine Verzögerung bei Bestellung {number}",
    "push.exception": "{carrier} hat ein Problem bei der Zustellung gemeldet{note}. Meist klärt "
    "sich das von selbst; wir behalten es im Blick.",
    "push.exception.note": ": {note}",
    "push.returned_to_sender.title": "Bestellung {number} geht zurück an {shop}",
    "push.returned_to_sender": "{carrier} schickt Ihr Paket an {shop} zurück. Tippen Sie auf "
    "„Mit einem Mitarbeiter sprechen“, um eine neue Zustellung oder eine Erstattung zu "
    "vereinbaren.",
    "push.eta_changed.title": "Neuer Liefertermin für Bestellung {number}",
    "push.eta_changed": "Ihr Liefertermin hat sich verschoben: jetzt voraussichtlich {eta}{was}.",
    "push.eta_changed.was": " (vorher {was})",
    "push.field.tracking_number": "Sendungsnummer",
    "push.field.tracking_link": "Sendungsverfolgung",
    "push.field.eta": "Voraussichtlich",
    # Flag notices
    "flag_notice.delayed": "Ihre Bestellung {number} verspätet sich. Wir kümmern uns darum und "
    "halten Sie auf dem Laufenden.",
    "flag_notice.late": "Ihre Bestellung {number} verspätet sich. Wir kümmern uns darum und "
    "halten Sie auf dem Laufenden.",
    "flag_notice.damaged": "Wir haben ein Problem mit dem Zustand Ihrer Bestellung {number} "
    "vermerkt. Unser Team sieht sich das an und meldet sich bei Ihnen.",
    "flag_notice.lost": "Wir fragen beim Versanddienst nach, wo das Paket zu Ihrer Bestellung "
    "{number} ist. Sobald wir mehr wissen, melden wir uns.",
    "flag_notice.wrong_item": "Wir haben vermerkt, dass die Bestellung {number} einen falschen "
    "Artikel enthalten könnte. Unser Team meldet sich bei Ihnen.",
    "flag_notice.address_problem": "Mit der Lieferadresse der Bestellung {number} gibt es "
    "möglicherweise ein Problem. Unser Team meldet sich bei Ihnen.",
    "flag_notice.default": "Unser Team sieht sich Ihre Bestellung {number} an und hält Sie auf "
    "dem Laufenden.",
    # Problem reports, refunds, cancellations and address changes (core.conversation.problems)
    "problem.pick": "Um welche Bestellung geht es?",
    "problem.no_orders": "Ich finde noch keine Bestellungen von Ihnen. Wenn Sie mit einer anderen "
    "E-Mail-Adresse bestellt haben, schicken Sie mir die Nummer dieser Bestellung.",
    "problem.latest_event": "Neueste Meldung von {carrier} ({moment}): {event}.",
    "problem.latest_event.where": "Neueste Meldung von {carrier} ({moment}, {location}): {event}.",
    "problem.no_events": "{carrier} hat für dieses Paket noch keine Scans gemeldet.",
    "problem.expected": "Voraussichtlich {day}.",
    "problem.no_window": "Für diese Sendung gibt es gerade keine voraussichtliche Lieferung.",
    "problem.not_shipped": "Die Bestellung {number} ist noch nicht verschickt ({status}).",
    "problem.told_team": "Ich habe das mit den Angaben oben an unser Team weitergegeben; es meldet "
    "sich hier bei Ihnen.",
    "problem.escalated": "Sie haben uns davon schon einmal berichtet, deshalb habe ich Ihren Fall "
    "für unser Team als dringend markiert.",
    "problem.already_known": "Unser Team hat sich bereits darum gekümmert; ich habe Ihre "
    "Meldung hinzugefügt und als dringend markiert.",
    "problem.items": "Artikel in Bestellung {number}: {items}.",
    "problem.items_named": "Sie haben genannt: {items}.",
    "problem.photos_telegram": "Wenn möglich, schicken Sie mir hier Fotos davon (Artikel und "
    "Karton); ich füge sie Ihrer Meldung für unser Team hinzu.",
    "problem.photos_elsewhere": "Beschreiben Sie mir in einer Nachricht, was Sie sehen; ich füge "
    "es Ihrer Meldung für unser Team hinzu.",
    "problem.photo_added": "Danke, ich habe das Foto Ihrer Meldung hinzugefügt (bisher {count}).",
    "problem.details_added": "Danke, ich habe das Ihrer Meldung hinzugefügt.",
    "problem.photo_without_report": "Danke für das Foto. Damit ich es einer Meldung hinzufügen "
    "kann, sagen Sie mir bitte zuerst, was nicht stimmt, zum Beispiel „Bestellung 1001 kam "
    "beschädigt an“.",
    "problem.damaged.intro": "Es tut mir leid, dass die Bestellung {number} beschädigt "
    "angekommen ist.",
    "problem.damaged.next": "Unser Team bietet Ihnen Ersatz oder eine Erstattung an. Sie können "
    "auch gleich eine Rücksendung starten oder mit einem Mitarbeiter sprechen.",
    "problem.wrong_item.intro": "Das tut mir leid: Die Bestellung {number} enthielt nicht, was "
    "Sie bestellt haben.",
    "problem.wrong_item.next": "Bitte behalten Sie den erhaltenen Artikel vorerst; unser Team "
    "kümmert sich um den richtigen Artikel oder eine kostenlose Rücksendung. Sie können auch "
    "gleich eine Rücksendung starten oder mit einem Mitarbeiter sprechen.",
    "problem.missing_item.intro": "Es tut mir leid, dass in der Bestellung {number} etwas fehlt.",
    "problem.missing_item.next": "Unser Team prüft, wie Ihre Bestellung gepackt wurde, und "
    "schickt das Fehlende nach oder erstattet es. Pakete einer Bestellung kommen manchmal "
    "getrennt: {parcels}.",
    "problem.missing_item.one_parcel": "diese Bestellung wurde als ein Paket verschickt",
    "problem.missing_item.parcels": "diese Bestellung wurde in {count} Paketen verschickt "
    "(bisher {delivered} zugestellt)",
    "problem.not_delivered_yet": "Die Bestellung {number} ist noch nicht als zugestellt "
    "gemeldet, sie hat Sie also noch nicht erreicht: Sagen Sie mir noch einmal Bescheid, "
    "sobald sie angekommen ist.",
    "problem.dnr.not_yet": "Die Bestellung {number} ist noch nicht als zugestellt gemeldet, sie "
    "sollte also noch auf dem Weg zu Ihnen sein.",
    "problem.dnr.delivered": "{carrier} meldet, dass das Paket {tracking} am {moment} "
    "zugestellt wurde.",
    "problem.dnr.delivered_where": "{carrier} meldet, dass das Paket {tracking} am {moment} "
    "zugestellt wurde ({location}).",
    "problem.dnr.proof": "Der Zustellvermerk des Versanddienstes: {proof}",
    "problem.dnr.checks": "Bitte sehen Sie an Ihrer Tür und an einem genannten Ablageort nach, "
    "fragen Sie Ihre Nachbarn und schauen Sie beim Empfang oder in der Poststelle Ihres "
    "Hauses. Manchmal wird ein Paket einige Stunden vor der tatsächlichen Ankunft als "
    "zugestellt gemeldet.",
    "problem.dnr.wait": "Wenn es bis {moment} immer noch nicht da ist, eröffnet unser Team dann "
    "einen Fall, ohne dass Sie noch einmal schreiben müssen; es meldet sich hier bei Ihnen.",
    "problem.delayed.next": "Sie müssen nichts tun: Ein verspätetes Paket kommt meist trotzdem "
    "innerhalb weniger Tage an. Tippen Sie auf Updates erhalten, dann schreibe ich Ihnen, "
    "sobald es sich bewegt.",
    "problem.stuck.next": "Seit {moment} gab es keinen neuen Scan. Unser Team fragt bei "
    "{carrier} nach, wo es ist; tippen Sie auf Updates erhalten, dann schreibe ich Ihnen, "
    "sobald es sich bewegt.",
    "problem.delivery_attempted.next": "{carrier} versucht es meist am nächsten Werktag erneut "
    "oder gibt das Paket in einer Abholstelle in der Nähe ab. Achten Sie auf eine "
    "Benachrichtigungskarte oder Nachricht; oft können Sie die Zustellung auf der "
    "Sendungsseite neu planen.",
    "problem.returned_to_sender.next": "Das Paket ist auf dem Rückweg zu uns. Sobald es "
    "ankommt, schickt unser Team es erneut oder erstattet Ihnen den Betrag, und es prüft "
    "vorher Ihre Adresse mit Ihnen.",
    "problem.carrier_page": "Die Seite des Versanddienstes: {url}",
    "problem.cancel.possible": "Die Bestellung {number} ist noch nicht verschickt ({status}), "
    "sie kann also noch storniert werden. Ich habe unser Team gebeten, sie zu stornieren; es "
    "bestätigt das hier.",
    "problem.cancel.shipped": "Die Bestellung {number} ist bereits verschickt und kann nicht "
    "mehr storniert werden. Sobald sie ankommt, können Sie sie per Rücksendung zurückschicken.",
    "problem.cancel.already": "Die Bestellung {number} ist bereits storniert.",
    "problem.cancel.finished": "Die Bestellung {number} ist bereits abgeschlossen (Status: "
    "{status}), es gibt also nichts zu stornieren.",
    "problem.address.possible": "Die Bestellung {number} ist noch nicht verschickt ({status}), "
    "die Lieferadresse kann sich also noch ändern. Ich habe unser Team gebeten, sie zu ändern. "
    "Schicken Sie mir die neue Adresse in einer Nachricht, dann füge ich sie der Anfrage hinzu.",
    "problem.address.shipped": "Die Bestellung {number} ist bereits verschickt, ihre Adresse "
    "können wir nicht mehr ändern. Bei {carrier} können Sie das Paket auf der Sendungsseite "
    "eventuell umleiten oder eine Abholstelle wählen.",
    "problem.address.finished": "Die Bestellung {number} ist bereits abgeschlossen (Status: "
    "{status}), ihre Adresse kann sich nicht mehr ändern.",
    "problem.refund.none": "Für die Bestellung {number} gibt es noch keine Rücksendung, also ist "
    "auch keine Erstattung unterwegs. Möchten Sie eine Rücksendung starten?",
    "problem.refund.none_any": "Sie haben bei uns noch keine Rücksendungen, also ist keine "
    "Erstattung unterwegs. Möchten Sie eine Rücksendung starten?",
    "problem.refund.title": "Ihre Rücksendung zur Bestellung {number}",
    "problem.refund.requested": "Beantragt",
    "problem.refund.approved": "Genehmigt",
    "problem.refund.declined": "Abgelehnt",
    "problem.refund.received": "Bei uns eingegangen",
    "problem.refund.refunded": "Erstattet",
    "problem.refund.cancelled": "Zurückgezogen",
    "problem.refund.code": "Rücksendecode",
    "problem.refund.next.requested": "Unser Team hat noch nicht entschieden; Sie hören hier von "
    "uns, sobald es so weit ist.",
    "problem.refund.next.approved": "Bitte senden Sie die Artikel zurück. Die Erstattung folgt, "
    "sobald sie bei uns ankommen.",
    "problem.refund.next.received": "Ihre Artikel sind wieder bei uns; die Erstattung wird "
    "vorbereitet. Ich habe unser Team gebeten, danach zu sehen.",
    "problem.refund.next.refunded": "Die Erstattung wurde am {moment} veranlasst. Je nach Bank "
    "kann es einige Werktage dauern, bis sie auf Ihrem Konto erscheint.",
    "problem.refund.next.declined": "Diese Rücksendung wurde abgelehnt, es ist also keine "
    "Erstattung unterwegs. Sprechen Sie mit einem Mitarbeiter, wenn Sie mehr wissen möchten.",
    "problem.refund.next.cancelled": "Diese Rücksendung wurde zurückgezogen, es ist also keine "
    "Erstattung unterwegs.",
    # Telegram
    "telegram.group_chat": "Über Bestellungen spreche ich nur im privaten Chat, damit niemand "
    "sonst sie sieht. Tippen Sie unten, um mir direkt zu schreiben.",
    "telegram.group_chat_button": "Privat schreiben",
    "telegram.stale_button": "Diese Schaltfläche funktioniert nicht mehr. Schicken Sie mir "
    "stattdessen eine Nachricht.",
    "telegram.something_went_wrong": "Entschuldigung, bei uns ist etwas schiefgelaufen. Bitte "
    "versuchen Sie es gleich noch einmal.",
    "telegram.command.track": "Wo ist meine Bestellung?",
    "telegram.command.orders": "Meine Bestellungen",
    "telegram.command.help": "Was ich kann",
    "telegram.command.stop": "Keine Updates mehr",
    "telegram.command.cancel": "Aktuellen Vorgang abbrechen",
}
