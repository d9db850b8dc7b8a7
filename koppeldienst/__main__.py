"""`python -m koppeldienst`: serve the service with uvicorn on the configured host and port."""

import logging

import uvicorn

from koppeldienst.config import load
from koppeldienst.service import build


def main() -> None:
    settings = load()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    # access_log off: uvicorn's access log prints query strings; ours logs paths only.
    uvicorn.run(build(settings), host=settings.host, port=settings.port, access_log=False)


if __name__ == "__main__":
    main()
