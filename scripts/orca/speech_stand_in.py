"""A stand-in for speech-dispatcher on a machine without a sound card: answers Orca's SSIP
commands as speech-dispatcher does and writes each text Orca speaks, with its time, to a file.

Usage: python3 speech_stand_in.py SOCKET OUT_FILE (Orca finds it through SPEECHD_ADDRESS).
"""

from __future__ import annotations

import os
import re
import socket
import sys
import threading
import time
from itertools import count

# SSIP answers that carry data lines before their final line: (command start, code, data, text).
LISTS = (
    ("HISTORY GET CLIENT_ID", "240", ["1"], "OK CLIENT ID SENT"),
    ("LIST OUTPUT_MODULES", "250", ["dummy"], "OK MODULE LIST SENT"),
    ("LIST SYNTHESIS_VOICES", "249", ["nl\tnl\tnone"], "OK VOICE LIST SENT"),
    ("LIST VOICES", "249", ["MALE1"], "OK VOICE LIST SENT"),
    ("GET", "251", ["50"], "OK GET RETURNED"),
)
message_ids = count(1)


def serve(connection: socket.socket, spoken) -> None:
    lines = connection.makefile("rb")

    def read() -> str:
        line = lines.readline()
        if not line:
            raise EOFError
        return line.rstrip(b"\r\n").decode("utf-8", "replace")

    def send(*answer: str) -> None:
        connection.sendall("".join(f"{line}\r\n" for line in answer).encode())

    try:
        while True:
            command = read()
            upper = command.upper()
            if upper == "SPEAK":
                send("230 OK RECEIVING DATA")
                parts = []
                while (line := read()) != ".":
                    parts.append(line[1:] if line.startswith("..") else line)
                text = re.sub(r"<[^>]+>", "", " ".join(parts))  # SSML marks
                spoken.write(f"{time.strftime('%H:%M:%S')} {text}\n")
                send(f"225-{next(message_ids)}", "225 OK MESSAGE QUEUED")
            elif upper.startswith("QUIT"):
                send("231 HAPPY HACKING")
                return
            else:
                for start, code, data, text in LISTS:
                    if upper.startswith(start):
                        send(*(f"{code}-{item}" for item in data), f"{code} {text}")
                        break
                else:
                    send("200 OK")
    except (EOFError, OSError):
        pass


def main() -> None:
    path, out = sys.argv[1], sys.argv[2]
    if os.path.exists(path):
        os.unlink(path)
    spoken = open(out, "a", buffering=1, encoding="utf-8")  # noqa: SIM115  (open while serving)
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    server.listen(5)
    while True:
        connection, _address = server.accept()
        threading.Thread(target=serve, args=(connection, spoken), daemon=True).start()


if __name__ == "__main__":
    main()
