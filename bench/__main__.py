"""python -m bench [name ...]: runs the benchmarks and prints each median with its ratio."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = {
    "startup": "bench.startup",
    "check": "bench.check",
    "textcount": "bench.textcount",
    "consent_import": "bench.consent_import",
    "media_prepare": "bench.media_prepare",
    "faces": "bench.faces",
    "publish": "bench.publish",
    "history": "bench.history",
    "package": "bench.package",
    "youtube_upload": "bench.youtube_upload",
    "sweep": "bench.sweep",
}


def main(names: list[str]) -> int:
    chosen = names or list(BENCHMARKS)
    unknown = [n for n in chosen if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    for name in chosen:
        results = importlib.import_module(BENCHMARKS[name]).run()
        for result in results if isinstance(results, list) else [results]:
            print(result.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
