"""Update ordering: one chat's updates in order, other chats not held up by a busy one."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update

from adapters.telegram.processor import ChatOrderedProcessor


def update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    message = Message(update_id, date=None, chat=chat, text="hi")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_one_chat_in_order_while_others_go_ahead() -> None:
    processor = ChatOrderedProcessor(working=2)
    done: list[tuple[int, int]] = []
    release_busy = asyncio.Event()

    async def handle(u: Update, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        assert u.effective_chat is not None
        done.append((u.effective_chat.id, u.update_id))

    # Chat 1 sends five messages; the first one is slow. Chat 2 sends one.
    tasks = [
        asyncio.create_task(
            processor.process_update(update(1, 1), handle(update(1, 1), release_busy))
        )
    ]
    tasks += [
        asyncio.create_task(processor.process_update(update(i, 1), handle(update(i, 1))))
        for i in range(2, 6)
    ]
    tasks.append(asyncio.create_task(processor.process_update(update(9, 2), handle(update(9, 2)))))
    for _ in range(20):
        await asyncio.sleep(0)
    # Chat 2 was answered although chat 1's four later messages were all waiting.
    assert done == [(2, 9)]
    release_busy.set()
    await asyncio.gather(*tasks)
    assert [u for c, u in done if c == 1] == [1, 2, 3, 4, 5]
