"""The moderators' queue: pages (``views``), the reads behind them (``queries``), presenters."""
