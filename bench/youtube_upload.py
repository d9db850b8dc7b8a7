"""A 200 MB video through the YouTube connector's resumable upload (8 MiB chunks, each answered
308 until the last) against one plain `requests` PUT of the same file into a session of the same
server (tests/servers/youtube_server.py on 127.0.0.1). The file is made here, never committed.

Throughput ratio = baseline time / our time; wanted ≥ 0.8, so the time ratio's budget is 1.25."""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from pathlib import Path

import requests

from app.networks.connector import OutgoingMedia, OutgoingPost
from bench.measure import Result, median
from bench.memory_vault import MemoryVault
from connectors.oauth import Token
from connectors.youtube import SCOPES, GoogleOAuthClient, YouTubeConnector, provider_config
from tests.servers.youtube_server import YouTubeServer

SIZE = 200 * 1024 * 1024


def _forget_uploads(server: YouTubeServer) -> None:
    """Keeps the server's memory to one upload at a time."""
    with server._lock:
        server.requests.clear()
        server.videos.clear()
        server.sessions.clear()


def _plain_upload(server: YouTubeServer, access: str, path: Path) -> None:
    headers = {"Authorization": f"Bearer {access}"}
    opened = requests.post(
        server.base_url + "/upload/youtube/v3/videos",
        params={"uploadType": "resumable", "part": "snippet,status"},
        json={"snippet": {"title": "Bench", "description": ""}, "status": {}},
        headers={**headers, "X-Upload-Content-Length": str(SIZE)},
        timeout=30,
    )
    opened.raise_for_status()
    with open(path, "rb") as video:
        done = requests.put(
            opened.headers["Location"],
            data=video,
            headers={**headers, "Content-Length": str(SIZE), "Content-Type": "video/mp4"},
            timeout=300,
        )
    done.raise_for_status()


def run(repeat: int = 3) -> Result:
    folder = Path(tempfile.mkdtemp(prefix="postwijs-bench-youtube-"))
    path = folder / "video.mp4"
    with open(path, "wb") as out:
        for _ in range(SIZE // (1024 * 1024)):
            out.write(os.urandom(1024 * 1024))
    os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the server speaks plain HTTP
    with YouTubeServer() as server:
        token = server.issue_token(" ".join(SCOPES))
        vault = MemoryVault()
        vault.write("bench", Token(token.access, token.refresh, time.time() + 3600).to_secret())
        config = provider_config(server.client_id, token_url=server.base_url + "/token")
        connector = YouTubeConnector(
            GoogleOAuthClient(config, vault, "bench"), api_base=server.base_url
        )
        media = (OutgoingMedia(str(path), "video/mp4"),)
        ours, theirs = [], []
        for _ in range(repeat):  # interleaved, so a busy moment hits both alike
            post = OutgoingPost(str(uuid.uuid4()), "bench", "Bench", "", media, title="Bench")
            start = time.perf_counter()
            connector.publish(post)
            ours.append(time.perf_counter() - start)
            _forget_uploads(server)
            start = time.perf_counter()
            _plain_upload(server, token.access, path)
            theirs.append(time.perf_counter() - start)
            _forget_uploads(server)
        connector.close()
    path.unlink()
    folder.rmdir()
    mine, plain = median(ours), median(theirs)
    return Result(
        "200 MB video, resumable in 8 MiB chunks",
        mine,
        "one plain requests PUT",
        plain,
        budget_ratio=1.25,
        note=f"throughput {SIZE / mine / 1e6:.0f} MB/s vs {SIZE / plain / 1e6:.0f} MB/s, "
        f"throughput ratio {plain / mine:.2f} (wanted ≥ 0.8)",
    )


if __name__ == "__main__":
    print(run().line())
