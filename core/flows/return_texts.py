"""The return conversation's words (English), kept beside the flow that says them."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "need_verify": "To start a return I first need to check it's your order. "
    "Please send me your order number.",
    "no_orders": "I can't find any orders for you yet, so there's nothing to return.",
    "not_yours": "I can't find order {number} among your orders.",
    "none_delivered": "None of your orders has been delivered yet, so there's nothing to "
    "return yet. Once an order arrives you can send items back within {days} days.",
    "pick_order": "Which order would you like to return something from?",
    "disabled": 'Returns can\'t be started in this chat. Tap "Talk to a person" and our '
    "team will help.",
    "cancelled_order": "Order {number} was cancelled, so there's nothing to return.",
    "not_delivered": "Order {number} hasn't been delivered yet, so it can't be returned. "
    "Once it arrives you'll have {days} days to send items back.",
    "window_closed": "Order {number} was delivered on {delivered}. Returns are accepted for "
    "{days} days after delivery, so the return window closed on {deadline}. If something "
    'is wrong with an item, tap "Talk to a person".',
    "nothing_returnable": "Nothing in order {number} can be returned:",
    "item.final_sale": "{name} was sold as final sale, so it can't be returned.",
    "item.in_return": "{name} is already part of a return request.",
    "item.returned": "{name} has already been returned.",
    "pick_items.title": "Return from order {number}",
    "pick_items": "Which items would you like to send back? Tap an item to select it, "
    "then tap Continue. You can return items until {deadline}.",
    "pick_items.none": "Please select at least one item first.",
    "pick_reason": "Why are you sending {them} back?",
    "ask_comment": "Anything you'd like to add? Write a short message, or tap Skip.",
    "comment_too_long": "That's a bit long — please keep it under {limit} characters.",
    "confirm.title": "Your return request",
    "confirm": 'Please check and tap "Send request".',
    "sent": "Your return request for order {number} is in. Our team will check it and "
    "I'll message you here with the next steps.",
    "withdrawn": "Your return request for order {number} is withdrawn.",
    "too_late_to_withdraw": "That return request is already {state}, so it can't be "
    'withdrawn here. Tap "Talk to a person" if you need to change it.',
    "stopped": "OK, I've stopped the return. Nothing was sent.",
    "stale": "That button belongs to a return that is already sent or stopped. Say "
    '"return" to start a new one.',
    "bad_item": "That item isn't part of order {number}. Please choose from the buttons.",
    "changed": "Something changed in the meantime: {why}",
    "field.order": "Order",
    "field.items": "Items",
    "field.reason": "Reason",
    "field.comment": "Comment",
    "button.continue": "Continue",
    "button.skip": "Skip",
    "button.send": "Send request",
    "button.cancel": "Cancel",
    "button.withdraw": "Withdraw request",
    "button.human": "Talk to a person",
    "button.order": "Order {number}",
}


def say(key: str, /, **values: object) -> str:
    """The wording for `key`, filled with `values`."""
    template = TEXTS[key]
    return template.format(**values) if values else template
