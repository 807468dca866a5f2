"""Every word a shopper reads, in one catalogue per language (English first).

Logic never spells out shopper text: it asks `text(key, locale, **values)`. German, French
and Spanish live beside this module (catalogue_de, catalogue_fr, catalogue_es) with every key
of English and the same placeholders (a test checks); a new language is one more such dict in
`CATALOGUES`.
Status wording never alarms more than the facts do: an `exception` is "delayed, we're on it",
never "lost"; an `expired` tracking is "no recent update", never "gone".
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from core.replies.catalogue_de import DE
from core.replies.catalogue_es import ES
from core.replies.catalogue_fr import FR

EN: dict[str, str] = {
    # Greeting, help, small talk
    # {shop} is the merchant's name or the default "the shop": every sentence reads with both.
    "greeting": "Hi{name}! I'm the order assistant for {shop}. I can tell you where your order is, "
    "message you when it moves, and help with returns.",
    "greeting.unverified": "To get started, send me your order number (you'll find it in "
    "your order confirmation e-mail).",
    "greeting.verified": 'Ask me "where is my order?" or tap a button below.',
    "help": "Here's what I can do:\n"
    '• "Where is my order 1001?" – status, location, delivery estimate and tracking link\n'
    '• "My orders" – your recent orders\n'
    '• "Follow 1001" / "Stop updates" – messages when your order moves, or none\n'
    '• "Return 1001" / "Where is my refund?" – start a return, or see where it stands\n'
    '• "1001 arrived damaged", "it says delivered but it isn\'t here", "cancel 1001" – '
    "tell me what's wrong or what should change, and I'll pass it to our team\n"
    '• "Talk to a person" – reach our team',
    "thanks": "You're welcome! Message me any time.",
    "bye": "Bye for now! I'm here whenever you need me.",
    "unknown": 'Sorry, I didn\'t quite get that. Try "where is my order 1001?", '
    '"my orders" or "help".',
    "cancelled": "OK, let's leave it there. Anything else?",
    # Verification
    "verify.ask_order_number": "Sure! What's your order number? You'll find it in your "
    "order confirmation e-mail.",
    "verify.ask_secret": "Thanks. To keep your order private, please tell me the e-mail "
    "address or the postcode used for order {number}.",
    "verify.ask_secret_again": "I need the e-mail address or the postcode used for order "
    '{number} (for example jane@example.com or 10115). Or say "cancel".',
    "verify.need_order_number": "I need your order number to find your order; it's in "
    'your order confirmation e-mail. Or say "cancel".',
    # The same words whether the order exists or not: nothing may leak to a guesser.
    "verify.failed": "Sorry, I couldn't match that order number with that e-mail address "
    "or postcode. Please check both and send me the order number again.",
    "verify.locked": "Too many attempts. For your security, please try again later "
    "(in about {minutes} minutes).",
    # Keyed by the number as typed, so it says nothing about whether the order exists.
    "verify.postcode_locked": "For your security, I can't check postcodes for order {number} "
    "right now (too many attempts; try again in about {minutes} minutes). Please send me the "
    "e-mail address used for the order instead, or open the link in your order e-mail.",
    "verify.ok": "Thanks, that's you! You can now ask me about any of your orders.",
    "verify.other_customer": "I can't find order {number} among your orders. If you placed "
    "it with another e-mail address, tell me that address or the order's postcode.",
    "link.invalid": "Sorry, this link doesn't work. Please use the link in your latest "
    "e-mail from us, or send me your order number.",
    "link.expired": "This link has expired. Please send me your order number and I'll "
    "check it another way.",
    "link.used": "This link has already been used. Please send me your order number and "
    "I'll check it another way.",
    # The tracking page (core.tracking_page, adapters/web)
    "page.title": "Order {number} · {shop}",
    "page.invalid.title": "This tracking link doesn't work",
    "page.invalid": "Please use the link in your latest e-mail from {shop}.",
    "page.expired.title": "This tracking link has expired",
    "page.expired": "Please use the link in your latest e-mail from {shop}, or ask us about "
    "your order in Telegram.",
    "page.returns_open": "You can return items until {day}.",
    "page.returns_closed": "The return window closed on {day}.",
    "page.returns_after_delivery": "You can return items for {days} days after delivery.",
    "page.returns": "Returns",
    "page.telegram": "Continue in Telegram",
    "page.telegram_hint": "Ask about this order and get a message when it moves.",
    "page.updated": "Updated {moment}",
    "app.title": "Your orders · {shop}",
    "app.loading": "Loading your orders…",
    "app.none.title": "No orders to show yet",
    "app.none": "Once you have told the bot your order number and e-mail address (or "
    "postcode), your orders appear here.",
    "app.refused.title": "This page opens from the bot",
    "app.refused": "Please open it with the Details button in your chat with us.",
    "button.details": "Details",
    "details.link": "Everything about order {number} on one page: {url}",
    # Orders
    "orders.title": "Your orders",
    "orders.none": "I can't find any orders for you yet.",
    "orders.pick": "You have several orders on the way. Which one do you mean?",
    "orders.more": "Showing your {shown} most recent orders.",
    "orders.line": "{number} · {status} · placed {placed}",
    "order.title": "Order {number}",
    # The live status message of a followed order (core.pushes.live)
    "live.updated": "Live status · updated {when}",
    "order.parcels": "{count} parcels: {summary}.",
    "order.parcel_title": "Parcel {index} of {count}",
    "order.no_parcels": "Nothing has been shipped yet.",
    "order.items_more": "{items} and {more} more",
    # Following
    "follow.on": "Done! I'll message you here when order {number} moves.",
    "follow.already": "You're already following order {number}; I'll message you when it moves.",
    "follow.finished": "Order {number} has arrived, so there's nothing left to follow.",
    "follow.pushes_off": "Updates are turned off for this chat. Turn them back on to hear "
    "about order {number}.",
    "follow.pick": "Which order should I keep you posted about?",
    "unfollow.off": "OK, no more updates about order {number}.",
    "unfollow.not_following": "You weren't following order {number}, so nothing changes.",
    "pushes.stopped": "Updates are off: I won't message you unless you write to me first. "
    "You can turn them back on any time.",
    "pushes.started": "Updates are on: I'll message you here when your orders move.",
    "pushes.started_unverified": "Updates are on. Send me your order number so I know "
    "which orders to follow.",
    # Returns and people, until a dedicated flow takes over
    "return.pick": "Which order would you like to return something from?",
    "return.contact": "To return something from order {number}, please contact {shop}{contact}.",
    "return.contact_any": "To return something, please contact {shop}{contact}.",
    "human.contact": "To talk to a person, contact {shop}{contact}.",
    "contact.via": " at {contact}",
    "contact.fallback": " using the contact details in your order confirmation e-mail",
    "contact.hours": " ({days}, {hours})",
    # Buttons
    "button.refresh": "Refresh",
    "button.follow": "Follow updates",
    "button.unfollow": "Stop updates",
    "button.return": "Start a return",
    "button.human": "Talk to a person",
    "button.orders": "My orders",
    "button.help": "Help",
    "button.track": "Order {number}",
    "button.start_pushes": "Turn updates on",
    "button.cancel": "Cancel",
    "button.track_order": "Track order",
    # Field labels
    "field.status": "Status",
    "field.carrier": "Carrier",
    "field.tracking_number": "Tracking number",
    "field.tracking_link": "Track it",
    "field.location": "Last seen",
    "field.pickup": "Pick it up at",
    "field.eta": "Expected",
    "field.eta_promised": "Expected by",
    # Predicted from the shop's deliveries when the carrier gives no ETA (core.tracking.prediction)
    "field.eta_usual": "Usually arrives",
    "eta.predicted": "Usually arrives between {first} and {last}",
    "eta.predicted_day": "Usually arrives {day}",
    "field.delivered": "Delivered",
    "field.items": "Items",
    "field.placed": "Placed",
    "timeline.title": "Timeline",
    # Shipment statuses: (label, sentence)
    "shipment.pending": "Being prepared",
    "shipment.pending.text": "We're packing it; the carrier hasn't picked it up yet.",
    "shipment.info_received": "Label created",
    "shipment.info_received.text": "The carrier has the details and will pick it up soon.",
    "shipment.in_transit": "On its way",
    "shipment.in_transit.text": "It's with the carrier and on its way to you.",
    "shipment.out_for_delivery": "Out for delivery",
    "shipment.out_for_delivery.text": "It's out for delivery and should arrive today.",
    "shipment.out_for_delivery.earlier": "It went out for delivery {since} and hasn't "
    "arrived yet; the carrier's next update will say when it comes.",
    "shipment.out_for_delivery.undated": "It's out for delivery.",
    "shipment.failed_attempt": "Delivery attempted",
    "shipment.failed_attempt.text": "The carrier tried to deliver it but couldn't; they "
    "usually try again on the next working day.",
    "shipment.available_for_pickup": "Ready for pickup",
    "shipment.available_for_pickup.text": "It's waiting for you at the pickup point.",
    "shipment.delivered": "Delivered",
    "shipment.delivered.text": "It has been delivered.",
    "shipment.exception": "Delayed",
    "shipment.exception.text": "It's taking longer than planned. We're looking into it and "
    "will keep you posted.",
    "shipment.expired": "Waiting for an update",
    "shipment.expired.text": "We haven't had a tracking update for a while. We're checking "
    "with the carrier.",
    # Order lifecycle
    "order.placed": "Order received",
    "order.placed.text": "We've received your order and will start on it shortly.",
    "order.processing": "Being prepared",
    "order.processing.text": "We're getting your order ready to ship.",
    "order.partially_shipped": "Partly shipped",
    "order.partially_shipped.text": "Part of your order is on its way; the rest follows.",
    "order.shipped": "Shipped",
    "order.shipped.text": "Your order is on its way.",
    "order.delivered": "Delivered",
    "order.delivered.text": "Your order has been delivered.",
    "order.cancelled": "Cancelled",
    "order.cancelled.text": "This order was cancelled.",
    "order.return_requested": "Return requested",
    "order.return_requested.text": "We've received your return request.",
    "order.returned": "Returned",
    "order.returned.text": "We've received your return.",
    # Dates
    "date.day": "{weekday} {day} {month}",
    "date.day_year": "{weekday} {day} {month} {year}",
    "date.moment": "{weekday} {day} {month}, {time}",
    "date.moment_zone": "{moment} ({zone})",
    "date.today": "today",
    "date.tomorrow": "tomorrow",
    "date.on_day": "on {day}",
    "date.weekdays": "Mon Tue Wed Thu Fri Sat Sun",
    "date.months": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    # The return conversation (core.conversation.flows: returns, return_screens)
    "return.need_verify": "To start a return I first need to check it's your order. "
    "Please send me your order number.",
    "return.no_orders": "I can't find any orders for you yet, so there's nothing to return.",
    "return.not_yours": "I can't find order {number} among your orders.",
    "return.none_delivered": "None of your orders has been delivered yet, so there's nothing "
    "to return yet. Once an order arrives you can send items back within {days} days.",
    "return.pick_order": "Which order would you like to return something from?",
    "return.disabled": 'Returns can\'t be started in this chat. Tap "Talk to a person" and our '
    "team will help.",
    "return.cancelled_order": "Order {number} was cancelled, so there's nothing to return.",
    "return.not_delivered": "Order {number} hasn't been delivered yet, so it can't be "
    "returned. Once it arrives you'll have {days} days to send items back.",
    "return.window_closed": "Order {number} was delivered on {delivered}. Returns are accepted "
    "for {days} days after delivery, so the return window closed on {deadline}. If something "
    'is wrong with an item, tap "Talk to a person".',
    "return.nothing_returnable": "Nothing in order {number} can be returned:",
    "return.item.final_sale": "{name} was sold as final sale, so it can't be returned.",
    "return.item.in_return": "{name} is already part of a return request.",
    "return.item.returned": "{name} has already been returned.",
    "return.item.only_available": "only {available} × {name} can still be returned.",
    "return.pick_items.title": "Return from order {number}",
    "return.pick_items": "Which items would you like to send back? Tap an item to select it, "
    "then tap Continue. You can return items until {deadline}.",
    "return.pick_items.none": "Please select at least one item first.",
    "return.pick_reason.one": "Why are you sending it back?",
    "return.pick_reason.many": "Why are you sending them back?",
    "return.ask_comment": "Anything you'd like to add? Write a short message, or tap Skip.",
    "return.comment_too_long": "That's a bit long — please keep it under {limit} characters.",
    "return.confirm.title": "Your return request",
    "return.confirm": 'Please check and tap "Send request".',
    "return.sent": "Your return request for order {number} is in. Our team will check it and "
    "I'll message you here with the next steps.",
    "return.withdrawn": "Your return request for order {number} is withdrawn.",
    # {state} is a return_state.* label ("Approved — waiting for the parcel")
    "return.too_late_to_withdraw": "That return request can't be withdrawn here any more "
    '(status: {state}). Tap "Talk to a person" if you need to change it.',
    "return.stopped": "OK, I've stopped the return. Nothing was sent.",
    "return.stale": "That button belongs to a return that is already sent or stopped. Say "
    '"return" to start a new one.',
    "return.bad_item": "That item isn't part of order {number}. Please choose from the buttons.",
    "return.changed": "Something changed in the meantime: {why}",
    "return.field.order": "Order",
    "return.field.items": "Items",
    "return.field.reason": "Reason",
    "return.field.comment": "Comment",
    "return.button.continue": "Continue",
    "return.button.skip": "Skip",
    "return.button.send": "Send request",
    "return.button.cancel": "Cancel",
    "return.button.withdraw": "Withdraw request",
    "return.button.human": "Talk to a person",
    "return.button.order": "Order {number}",
    # The reasons a shopper picks from, in the order the buttons show them (core.returns.policy)
    "return.reason.too_small": "Too small",
    "return.reason.too_large": "Too large",
    "return.reason.defective": "Defective or damaged",
    "return.reason.not_as_described": "Not as described",
    "return.reason.wrong_item": "Wrong item sent",
    "return.reason.changed_mind": "Changed my mind",
    "return.reason.other": "Other reason",
    # Where a return stands, and the pushes after a staff step (core.returns.notices)
    "return_state.requested": "Waiting for a decision",
    "return_state.approved": "Approved — waiting for the parcel",
    "return_state.declined": "Declined",
    "return_state.received": "Parcel received — refund pending",
    "return_state.refunded": "Refunded",
    "return_state.cancelled": "Cancelled by the shopper",
    "return_notice.approved.title": "Return approved — order {number}",
    "return_notice.approved": "Good news: your return is approved. Your return code is {rma}.",
    "return_notice.field.items": "Items",
    "return_notice.label": "Print your return label here: {url} — and write {rma} on the parcel.",
    "return_notice.address": "Write {rma} on the parcel and send it to: {address}",
    "return_notice.address_later": "Write {rma} on the parcel; we will send you the return "
    "address shortly.",
    "return_notice.declined.title": "Return declined — order {number}",
    "return_notice.declined": "Sorry, we can't accept this return.",
    "return_notice.declined_why": "Sorry, we can't accept this return. {why}.",
    "return_notice.decline_note": "A note from our team: {note}",
    # Why staff declined, as the shopper reads it ("other" says nothing more)
    "return_notice.decline_reason.final_sale": "The item was sold as final sale",
    "return_notice.decline_reason.return_period_ended": "The return period has ended",
    "return_notice.decline_reason.other": "Other",
    "return_notice.received.title": "Return received — order {number}",
    "return_notice.received": "Your parcel is back with us. We will refund you shortly.",
    "return_notice.refunded.title": "Refund sent — order {number}",
    "return_notice.refunded": "Your refund is on its way. It can take a few days to show on "
    "your account.",
    "return_notice.state": "Your return for order {number}: {state}.",
    # Talking to a person (core.conversation.flows.handoff)
    "handoff.ask": "Sure — what would you like to ask our team? Write it in one message and "
    "I'll pass it on{about}.",
    "handoff.about": " together with order {number}",
    "handoff.sent": "Thanks — I've passed your message to our team. Someone will answer right "
    "here in this chat.",
    "handoff.sent_offline": "Thanks — I've passed your message to our team. They're offline "
    "right now and will answer from {when}. Meanwhile I'm still here if you need me.",
    "handoff.already_waiting": "You've already asked for a person — our team will answer here "
    "as soon as they can.",
    "handoff.already_taken": "{agent} from our team is already with you — just write here.",
    "handoff.cancel_taken": "{agent} from our team is still with you here — just write your "
    "message. When they're done, they'll hand you back to me, the order assistant.",
    "handoff.someone": "Someone",
    "handoff.cancelled": "OK, I won't pass anything on. Anything else I can help with?",
    "handoff.stale": "That button is no longer active.",
    "handoff.empty": "Please write your question in a message (or tap Cancel).",
    "handoff.text_only": "I can only pass text messages on to our team — please describe it "
    "in words.",
    # Pushed when a person takes over or hands back (core.handoff.threads)
    "handoff_notice.taken": "{agent} from {shop} is here and will answer you in this chat.",
    "handoff_notice.back": "{agent} has handed you back to me, the order assistant. Ask me "
    'anything, or tap "Talk to a person" if you need our team again.',
    "handoff_notice.idle": "It's been quiet for a while, so you're back with me, the order "
    'assistant. Tap "Talk to a person" if you need our team again.',
    "handoff_notice.closed_waiting": "Our team has closed your request. If you still need "
    'help, tap "Talk to a person".',
    "handoff_notice.idle_waiting": "Sorry — nobody from our team could pick up your message in "
    'time. You\'re back with me, the order assistant; tap "Talk to a person" to try again.',
    # A shipment push: what changed and the tracking details (core.pushes.changes); its buttons are
    # button.track_order, button.return, button.human and button.unfollow
    "push.carrier_unknown": "the carrier",
    "push.shipped.title": "Order {number} is on its way",
    "push.shipped": "Your order has shipped with {carrier}.",
    "push.out_for_delivery.title": "Order {number} is out for delivery",
    "push.out_for_delivery": "{carrier} is bringing your order today.",
    "push.failed_attempt.title": "Delivery attempt for order {number}",
    "push.failed_attempt": "{carrier} tried to deliver your order but could not. They usually "
    "try again on the next working day; the tracking link shows your options.",
    "push.available_for_pickup.title": "Order {number} is ready for pickup",
    "push.available_for_pickup": "Your order is waiting for you at the pickup point.",
    "push.available_for_pickup.at": "Your order is waiting for you at {place}.",
    "push.delivered.title": "Order {number} was delivered",
    "push.delivered": "{carrier} delivered your order{place}. Enjoy! If anything is wrong, we "
    "are here to help.",
    "push.delivered.place": " ({place})",
    "push.exception.title": "A hold-up with order {number}",
    "push.exception": "{carrier} reported a problem with the delivery{note}. Most of these sort "
    "themselves out; we are keeping an eye on it.",
    "push.exception.note": ": {note}",
    "push.returned_to_sender.title": "Order {number} is going back to {shop}",
    "push.returned_to_sender": '{carrier} is sending your parcel back to {shop}. Tap "Talk to '
    'a person" to arrange a new delivery or a refund.',
    "push.eta_changed.title": "New delivery date for order {number}",
    "push.eta_changed": "Your delivery date moved: now expected {eta}{was}.",
    "push.eta_changed.was": " (was {was})",
    "push.field.tracking_number": "Tracking number",
    "push.field.tracking_link": "Tracking link",
    "push.field.eta": "Expected",
    # The calm notice a shopper gets when staff flag their order (core.staff.flags); never more
    # alarming than the facts
    "flag_notice.delayed": "Your order {number} is running later than planned. "
    "We're on it and will keep you posted.",
    "flag_notice.late": "Your order {number} is running later than planned. "
    "We're on it and will keep you posted.",
    "flag_notice.damaged": "We've noted a problem with the condition of your order {number}. "
    "Our team is looking into it and will get back to you.",
    "flag_notice.lost": "We're checking with the carrier where the parcel for order {number} "
    "is. We'll update you as soon as we know more.",
    "flag_notice.wrong_item": "We've noted that order {number} may contain the wrong item. "
    "Our team will get back to you.",
    "flag_notice.address_problem": "There may be a problem with the delivery address of order "
    "{number}. Our team will get in touch with you.",
    "flag_notice.default": "Our team is looking into your order {number} and will keep you posted.",
    # Problem reports, refunds, cancellations, address changes (core.conversation.problems)
    "problem.pick": "Which order is this about?",
    "problem.no_orders": "I can't find any orders for you yet. If you ordered with another "
    "e-mail address, send me that order's number.",
    "problem.latest_event": "Latest from {carrier} ({moment}): {event}.",
    "problem.latest_event.where": "Latest from {carrier} ({moment}, {location}): {event}.",
    "problem.no_events": "{carrier} hasn't sent any scans for this parcel yet.",
    "problem.expected": "Expected {day}.",
    "problem.no_window": "There's no delivery estimate for it right now.",
    "problem.not_shipped": "Order {number} hasn't shipped yet ({status}).",
    "problem.told_team": "I've passed this to our team with the details above; they'll get "
    "back to you here.",
    "problem.escalated": "You've told us about this before, so I've marked your case as "
    "urgent for our team.",
    "problem.already_known": "Our team was already looking into this; I've added your "
    "report to it and marked it as urgent.",
    "problem.items": "Items in order {number}: {items}.",
    "problem.items_named": "You mentioned: {items}.",
    "problem.photos_telegram": "If you can, send me photos of it here (the item and the "
    "box); I'll add them to your report for our team.",
    "problem.photos_elsewhere": "Tell me in a message what you see; I'll add it to your "
    "report for our team.",
    "problem.photo_added": "Thanks, I've added the photo to your report ({count} so far).",
    "problem.details_added": "Thanks, I've added that to your report.",
    "problem.photo_without_report": "Thanks for the photo. To add it to a report, tell me "
    'what\'s wrong first, for example "order 1001 arrived damaged".',
    "problem.damaged.intro": "I'm sorry order {number} arrived damaged.",
    "problem.damaged.next": "Our team will offer you a replacement or a refund. You can also "
    "start a return now, or talk to a person.",
    "problem.wrong_item.intro": "I'm sorry: order {number} didn't contain what you ordered.",
    "problem.wrong_item.next": "Please keep what you received for now; our team will arrange "
    "the right item or a free return. You can also start a return now, or talk to a person.",
    "problem.missing_item.intro": "I'm sorry something is missing from order {number}.",
    "problem.missing_item.next": "Our team will check how your order was packed and send what's "
    "missing or refund it. Parcels of one order sometimes come separately: {parcels}.",
    "problem.missing_item.one_parcel": "this order was sent as one parcel",
    "problem.missing_item.parcels": "this order was sent in {count} parcels ({delivered} "
    "delivered so far)",
    "problem.not_delivered_yet": "Order {number} isn't marked as delivered yet, so it hasn't "
    "reached you: tell me again once it has arrived.",
    "problem.dnr.not_yet": "Order {number} isn't marked as delivered yet, so it should still "
    "be on its way to you.",
    "problem.dnr.delivered": "{carrier} says parcel {tracking} was delivered {moment}.",
    "problem.dnr.delivered_where": "{carrier} says parcel {tracking} was delivered {moment} "
    "({location}).",
    "problem.dnr.proof": "The carrier's delivery note: {proof}",
    "problem.dnr.checks": "Please check around your door and any safe place you named, with "
    "your neighbours, and at your building's reception or mailroom. A parcel is sometimes "
    "marked as delivered a few hours before it really arrives.",
    "problem.dnr.wait": "If it still hasn't turned up by {moment}, our team will take it up "
    "as a case then, without you writing again; they'll get back to you here.",
    "problem.delayed.next": "Nothing you need to do: a late parcel usually still arrives "
    "within a few days. Tap Follow updates and I'll message you as soon as it moves.",
    "problem.stuck.next": "There has been no new scan since {moment}. Our team will ask "
    "{carrier} where it is; tap Follow updates and I'll message you when it moves.",
    "problem.delivery_attempted.next": "{carrier} usually tries again on the next working day "
    "or leaves the parcel at a pickup point nearby. Look for a card or a message from them; "
    "you can often rearrange on their tracking page.",
    "problem.returned_to_sender.next": "The parcel is on its way back to us. Once it arrives, "
    "our team will send it again or refund you, and they'll check your address with you first.",
    "problem.carrier_page": "The carrier's page: {url}",
    "problem.cancel.possible": "Order {number} hasn't shipped yet ({status}), so it can "
    "still be cancelled. I've asked our team to cancel it; they'll confirm here.",
    "problem.cancel.shipped": "Order {number} has already shipped, so it can't be cancelled "
    "any more. Once it arrives you can send it back with a return.",
    "problem.cancel.already": "Order {number} is already cancelled.",
    "problem.cancel.finished": "Order {number} is already {status}, so there's nothing to cancel.",
    "problem.address.possible": "Order {number} hasn't shipped yet ({status}), so the delivery "
    "address can still change. I've asked our team to change it. Send me the new address in "
    "one message and I'll add it to the request.",
    "problem.address.shipped": "Order {number} has already shipped, so we can't change its "
    "address any more. {carrier} may let you redirect the parcel or pick a pickup point on "
    "its tracking page.",
    "problem.address.finished": "Order {number} is already {status}, so its address can't change.",
    "problem.refund.none": "There's no return for order {number} yet, so no refund is on its "
    "way. Would you like to start a return?",
    "problem.refund.none_any": "You have no returns with us yet, so no refund is on its way. "
    "Would you like to start a return?",
    "problem.refund.title": "Your return for order {number}",
    "problem.refund.requested": "Requested",
    "problem.refund.approved": "Approved",
    "problem.refund.declined": "Declined",
    "problem.refund.received": "Received by us",
    "problem.refund.refunded": "Refunded",
    "problem.refund.cancelled": "Withdrawn",
    "problem.refund.code": "Return code",
    "problem.refund.next.requested": "Our team hasn't decided on it yet; you'll hear from us "
    "here as soon as they do.",
    "problem.refund.next.approved": "Please send the items back. The refund goes out once "
    "they reach us.",
    "problem.refund.next.received": "Your items are back with us; the refund is being "
    "prepared. I've asked our team to check on it.",
    "problem.refund.next.refunded": "The refund was sent {moment}. Depending on your bank it "
    "can take a few working days to show on your account.",
    "problem.refund.next.declined": "This return was declined, so no refund is on its way. "
    "Talk to a person if you'd like to know more.",
    "problem.refund.next.cancelled": "This return was withdrawn, so no refund is on its way.",
    # What only a Telegram chat runs into (adapters.telegram)
    "telegram.group_chat": "I only talk about orders in a private chat, so nobody else sees "
    "them. Tap below to message me directly.",
    "telegram.group_chat_button": "Message me privately",
    "telegram.stale_button": "This button no longer works. Send me a message instead.",
    "telegram.something_went_wrong": "Sorry, something went wrong on our side. Please try "
    "again in a moment.",
    "telegram.command.track": "Where is my order?",
    "telegram.command.orders": "My orders",
    "telegram.command.help": "What I can do",
    "telegram.command.stop": "Stop updates",
    "telegram.command.cancel": "Cancel what we are doing",
}

CATALOGUES: dict[str, dict[str, str]] = {"en": EN, "de": DE, "fr": FR, "es": ES}
DEFAULT_LOCALE = "en"
# The languages wismo speaks, as two-letter codes (the keys of CATALOGUES, English first).
LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es")


def language_of(locale: str | None) -> str | None:
    """The language wismo speaks for `locale` ("de-AT" -> "de"), or None when it speaks none."""
    if not locale:
        return None
    code = locale.lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else None


def catalogue(locale: str | None) -> dict[str, str]:
    """The catalogue for `locale` ("de-AT" tries "de-at", then "de"), else English."""
    if locale:
        key = locale.lower().replace("_", "-")
        for candidate in (key, key.split("-")[0]):
            if candidate in CATALOGUES:
                return CATALOGUES[candidate]
    return EN


def text(key: str, locale: str | None = None, /, **values: object) -> str:
    """The wording for `key` in `locale` (falling back to English), filled with `values`."""
    template = catalogue(locale).get(key) or EN[key]
    return template.format(**values) if values else template


def shipment_status_label(status: str, locale: str | None = None) -> str:
    """A short label for one of the nine shipment statuses ("On its way")."""
    return text(f"shipment.{status}", locale) if f"shipment.{status}" in EN else status


def shipment_status_text(status: str, locale: str | None = None) -> str:
    """One reassuring sentence about a shipment status."""
    key = f"shipment.{status}.text"
    return text(key, locale) if key in EN else ""


def order_status_label(status: str, locale: str | None = None) -> str:
    """A short label for an order lifecycle status ("Shipped")."""
    return text(f"order.{status}", locale) if f"order.{status}" in EN else status


def order_status_text(status: str, locale: str | None = None) -> str:
    """One sentence about an order lifecycle status."""
    key = f"order.{status}.text"
    return text(key, locale) if key in EN else ""


def format_day(
    when: datetime, tz: ZoneInfo, locale: str | None = None, *, now: datetime | None = None
) -> str:
    """A calendar day as a shopper reads it: "today", "tomorrow" or "Thu 5 Nov"."""
    local = when.astimezone(tz)
    if now is not None:
        delta = (local.date() - now.astimezone(tz).date()).days
        if delta == 0:
            return text("date.today", locale)
        if delta == 1:
            return text("date.tomorrow", locale)
    parts = _date_parts(local, locale)
    if now is not None and local.year != now.astimezone(tz).year:
        return text("date.day_year", locale, **parts)
    return text("date.day", locale, **parts)


def format_moment(when: datetime, tz: tzinfo, locale: str | None = None) -> str:
    """A point in time in the shopper's zone: "Thu 5 Nov, 14:30"."""
    local = when.astimezone(tz)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    return text("date.moment", locale, **_date_parts(local, locale), time=clock)


@lru_cache(maxsize=64)
def _names(words: str) -> list[str]:
    """ "Mon Tue Wed ..." as a list (a timeline formats dozens of dates)."""
    return words.split()


def _date_parts(local: datetime, locale: str | None) -> dict[str, object]:
    weekdays = _names(text("date.weekdays", locale))
    months = _names(text("date.months", locale))
    return {
        "weekday": weekdays[local.weekday()],
        "day": local.day,
        "month": months[local.month - 1],
        "year": local.year,
    }
