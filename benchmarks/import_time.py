"""Time to `import sklstm` vs `import tensorflow`, each in a fresh interpreter.

Goal: importing sklstm costs at most 10% of importing TensorFlow,
because sklstm imports Keras only when an estimator is first used.

Run: python benchmarks/import_time.py [--repeats 5]
"""

import argparse
import os
import statistics
import subprocess
import sys

CODE = (
    "import time; t = time.perf_counter(); import {module}; "
    "print(time.perf_counter() - t)"
)


def import_seconds(module, repeats):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    times = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", CODE.format(module=module)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    rows = [
        ("sklstm", import_seconds("sklstm", args.repeats)),
        (
            "sklstm + LagWindower",
            import_seconds("sklstm; from sklstm import LagWindower", args.repeats),
        ),
        ("tensorflow", import_seconds("tensorflow", args.repeats)),
    ]
    print(f"median of {args.repeats} fresh interpreters:\n")
    for name, seconds in rows:
        print(f"import {name:24s} {seconds:6.3f} s")
    ratio = rows[0][1] / rows[-1][1]
    print(
        f"\nimport sklstm / import tensorflow: {ratio:.1%} "
        f"(goal <= 10%: {'holds' if ratio <= 0.10 else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
