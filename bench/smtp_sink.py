"""An SMTP server for the notification benchmark: accepts every message on loopback,
counts messages per recipient and, when stopped (SIGTERM), writes the counts as JSON
to the file named on its command line.

    python bench/smtp_sink.py PORT COUNTS.json
"""

import asyncio
import json
import signal
import sys
from collections import Counter

from aiosmtpd.controller import Controller


class Counting:
    def __init__(self):
        self.counts = Counter()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        for recipient in envelope.rcpt_tos:
            self.counts[recipient] += 1
        return "250 OK"


def main() -> None:
    port, out = int(sys.argv[1]), sys.argv[2]
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()
    with open(out, "w") as file:
        json.dump(dict(handler.counts), file)


if __name__ == "__main__":
    main()
