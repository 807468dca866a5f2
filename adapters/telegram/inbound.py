"""Telegram updates in the core's words: `Inbound(channel="telegram", sender_id=chat id, ...)`.

Pure mapping, no I/O: the handlers decide which update reaches which function here. Every
Inbound carries the update_id as its `delivery_key`: the conversation answers a
redelivered update (webhook retry, restart mid-batch) once, in the same transaction.
"""

from __future__ import annotations

from telegram import Chat, Update

from adapters.telegram.callbacks import CallbackCodec
from core.replies import Inbound

CHANNEL = "telegram"
TEXT_LIMIT = 4096  # Telegram's own maximum; anything longer is not a real shopper message
# A photo is kept as Telegram's file id (getFile fetches it again), never as the picture.
PHOTO_PREFIX = "telegram:"
LOCALE_LIMIT = 16  # ChannelIdentity.locale's width; Telegram sends IETF tags like "pt-br"

# Bot commands and the conversation's action for each (see core/conversation/service.py).
COMMAND_ACTIONS = {
    "track": "track",
    "orders": "orders",
    "help": "help",
    "stop": "stop_pushes",
    "cancel": "cancel",
}


def well_formed(update: Update) -> bool:
    """Whether the fields wismo reads have the types Telegram documents.

    PTB builds an Update from whatever JSON it is given; a chat id that is a list or a
    text that is a number would fail deep inside a handler. Telegram never sends such
    updates, so the webhook refuses them (400) before anything runs.
    """
    chat, user = update.effective_chat, update.effective_user
    message, query = update.effective_message, update.callback_query
    if message is not None and not isinstance(message.chat, Chat):
        return False  # every message is in a chat; PTB's filters read message.chat.type
    ids = [update.update_id, chat.id if chat else 0, user.id if user else 0]
    if message is not None:
        ids.append(message.message_id)
        for entity in (*message.entities, *message.caption_entities):  # commands are entities
            ids += [entity.offset, entity.length]
            if not isinstance(entity.type, str):
                return False
    if chat is not None and not isinstance(chat.type, str):
        return False
    if user is not None and not isinstance(user.first_name, str):
        return False  # required by Telegram; the display name is built from it
    texts = [
        user.first_name if user else "",
        user.last_name if user else None,
        user.language_code if user else None,
        chat.first_name if chat else None,
        chat.title if chat else None,
        message.text if message else None,
        message.caption if message else None,
        query.data if query else None,
        query.id if query else "",
    ]
    return all(type(i) is int for i in ids) and all(t is None or isinstance(t, str) for t in texts)


def delivery_key(update: Update) -> str:
    """The update's id as the core's duplicate-check key."""
    return str(update.update_id)


def _identity(update: Update) -> tuple[str, str | None, str]:
    chat = update.effective_chat
    user = update.effective_user
    if chat is None:
        raise ValueError("an update without a chat has no sender")
    locale = (user.language_code or None) if user else None
    name = (user.full_name if user else (chat.full_name or chat.title)) or ""
    return str(chat.id), (locale[:LOCALE_LIMIT] if locale else None), name[:200]


def text_inbound(update: Update) -> Inbound:
    """A private message (text, or a caption; "" for a sticker, photo or anything wordless)."""
    chat_id, locale, name = _identity(update)
    message = update.effective_message
    text = ""
    photos: tuple[str, ...] = ()
    if message is not None:
        text = message.text or message.caption or ""
        if message.photo:  # sizes of one picture, smallest first: keep the largest
            photos = (f"{PHOTO_PREFIX}{message.photo[-1].file_id}",)
    return Inbound(
        channel=CHANNEL,
        sender_id=chat_id,
        text=text[:TEXT_LIMIT],
        locale=locale,
        display_name=name,
        delivery_key=delivery_key(update),
        photos=photos,
    )


def command_inbound(update: Update, command: str, args: list[str]) -> Inbound:
    """/start [token], /track [number], /orders, /help, /stop, /cancel for the conversation.

    A bare /start goes as the text "/start": the conversation greets (and turns pushes
    back on when they were off); /start <token> is the deep link's `link` action.
    """
    chat_id, locale, name = _identity(update)
    argument = " ".join(args).strip()[:TEXT_LIMIT]
    if command == "start" and not argument:
        return Inbound(
            channel=CHANNEL,
            sender_id=chat_id,
            text="/start",
            locale=locale,
            display_name=name,
            delivery_key=delivery_key(update),
        )
    action = "link" if command == "start" else COMMAND_ACTIONS[command]
    return Inbound(
        channel=CHANNEL,
        sender_id=chat_id,
        action=action,
        payload=argument,
        locale=locale,
        display_name=name,
        delivery_key=delivery_key(update),
    )


def callback_inbound(update: Update, codec: CallbackCodec) -> Inbound | None:
    """A button press as an action, or None when its callback data fails the signature check."""
    query = update.callback_query
    if query is None or query.message is None:
        return None
    chat_id, locale, name = _identity(update)
    pressed = codec.decode(chat_id, query.data)
    if pressed is None:
        return None
    return Inbound(
        channel=CHANNEL,
        sender_id=chat_id,
        action=pressed.action,
        payload=pressed.payload,
        locale=locale,
        display_name=name,
        delivery_key=delivery_key(update),
    )
