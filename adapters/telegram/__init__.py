"""Telegram for shoppers: python-telegram-bot in front of the core conversation.

- `inbound`: Update → core Inbound (pure mapping)
- `render`: core Reply → Telegram HTML + inline keyboard, split at 4,096 characters
- `callbacks`: signed callback_data (<= 64 bytes)
- `ratelimit`: outgoing pacing (30/s overall, 1/s per chat by default)
- `sender`: `TelegramSender`, the core's Sender port
- `handlers`, `channel`: the Application, its handlers and its lifecycle
"""

from adapters.telegram.channel import TelegramChannel, TelegramConfig
from adapters.telegram.sender import TelegramSender

__all__ = ["TelegramChannel", "TelegramConfig", "TelegramSender"]
