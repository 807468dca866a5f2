"""One module per `wismo` sub-command group; `bot.cli` registers them."""
