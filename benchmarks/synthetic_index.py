"""Write a synthetic index of N chunks (the bundled corpus padded with made-up chunks) to a folder.

For timing `ask` at size by hand, e.g.:

    python benchmarks/synthetic_index.py 20000 /tmp/musenor-20k
    time python -m assistant ask --index-dir /tmp/musenor-20k "Quelle part des musées a une stratégie numérique ?"

The real corpus is indexed first in OUT/real (with the configured embedder, reused on later
runs); synthetic chunks get random unit vectors (see assistant.bench.synthetic_chunks).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.bench import write_sized_index  # noqa: E402
from assistant.config import get_settings  # noqa: E402
from assistant.indexer import update_index  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", type=int)
    parser.add_argument("out")
    parser.add_argument("--real", help="index of the real corpus to pad (default: OUT-real, built if missing)")
    args = parser.parse_args()
    out = Path(args.out)
    real = Path(args.real) if args.real else out.with_name(out.name + "-real")
    update_index(get_settings(index_dir=real))
    seconds = write_sized_index(real, out, args.size)
    print(f"{args.size} passages écrits dans {out} en {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
