"""The OAuth scopes each Slack Web API method wismo calls needs, and the scopes its events need.

The README's app manifest must grant every one of them (a test derives the methods from the
calls in adapters/slack/ and checks the manifest); the stand-in Slack server refuses a call
whose scope the manifest lacks, as Slack answers `missing_scope`.
"""

from __future__ import annotations

# Web API method -> the scopes of which the bot token needs at least one (empty: none).
METHOD_SCOPES: dict[str, frozenset[str]] = {
    "auth.test": frozenset(),
    "chat.postMessage": frozenset({"chat:write"}),
    "chat.update": frozenset({"chat:write"}),
    "chat.postEphemeral": frozenset({"chat:write"}),
    "views.open": frozenset(),  # needs a trigger_id, not a scope
    "views.publish": frozenset(),  # the Home tab; needs home_tab_enabled in the manifest
    "views.update": frozenset(),
    "reactions.add": frozenset({"reactions:write"}),
    "conversations.members": frozenset({"channels:read", "groups:read"}),
    "users.info": frozenset({"users:read"}),
    # files_upload_v2 is these two calls; the daily digest's chart goes this way.
    "files.getUploadURLExternal": frozenset({"files:write"}),
    "files.completeUploadExternal": frozenset({"files:write"}),
}

# slack_sdk's client method -> the Web API methods it calls.
CLIENT_METHODS: dict[str, tuple[str, ...]] = {
    "auth_test": ("auth.test",),
    "chat_postMessage": ("chat.postMessage",),
    "chat_update": ("chat.update",),
    "chat_postEphemeral": ("chat.postEphemeral",),
    "views_open": ("views.open",),
    "views_publish": ("views.publish",),
    "views_update": ("views.update",),
    "reactions_add": ("reactions.add",),
    "conversations_members": ("conversations.members",),
    "users_info": ("users.info",),
    "files_upload_v2": ("files.getUploadURLExternal", "files.completeUploadExternal"),
}

# Scopes the events and commands wismo listens to need (not tied to a Web API call);
# app_home_opened needs none, only the Home tab switched on.
LISTENER_SCOPES = frozenset(
    {
        "commands",  # /wismo
        "app_mentions:read",  # app_mention
        "im:history",  # message.im
        "channels:history",  # message.channels: replies in hand-off threads
        "groups:history",  # message.groups: the same in a private support channel
    }
)


def missing_scope(method: str, granted: frozenset[str] | set[str]) -> frozenset[str] | None:
    """The scopes `method` needs (one of) when `granted` has none of them; None when fine."""
    needed = METHOD_SCOPES.get(method, frozenset())
    return needed if needed and not needed & set(granted) else None
