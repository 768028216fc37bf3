#!/usr/bin/env python3
"""Side by side: `lessons bench` and `pytorch_reference.py` on the same experiments, one after the
other (never at once: they would share the two cores), then one table of seconds per epoch.

    swift build -c release
    python3 bench/compare.py --epochs 7                      # all nine experiments
    python3 bench/compare.py gru-scratch lstm-scratch --rounds 3

With --rounds N, each side runs N times, alternating, and each figure is the median over rounds,
which tames a noisy machine. Needs torch (CPU build) for the PyTorch side.
"""
import argparse, json, os, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_jsonl(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return {r["experiment"]: r for r in map(json.loads, filter(str.strip, out.splitlines()))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("experiments", nargs="*")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2, help="PyTorch threads (OpenBLAS uses its default)")
    parser.add_argument("--batched-output", action="store_true",
                        help="PyTorch's scratch models apply the output layer once per batch, as ours do")
    parser.add_argument("--lessons", default=os.path.join(ROOT, ".build/release/lessons"))
    parser.add_argument("--data-dir", default=os.environ.get("LESSONS_DATA_DIR", os.path.join(ROOT, "../shared/data")))
    args = parser.parse_args()
    if not os.path.exists(args.lessons):
        sys.exit(f"{args.lessons} not found: run `swift build -c release` first (or pass --lessons)")

    ours_cmd = [args.lessons, "bench", "--json", "--epochs", str(args.epochs), "--data-dir", args.data_dir, *args.experiments]
    torch_cmd = [sys.executable, os.path.join(HERE, "pytorch_reference.py"), "--epochs", str(args.epochs),
                 "--threads", str(args.threads), "--data-dir", args.data_dir, *args.experiments] + (["--batched-output"] if args.batched_output else [])
    ours, theirs = [], []
    for _ in range(args.rounds):
        ours.append(run_jsonl(ours_cmd))
        theirs.append(run_jsonl(torch_cmd))

    def median(runs, name, key):
        return statistics.median(r[name][key] for r in runs)

    print(f"{'experiment':16}  {'lessons s/epoch':>15}  {'PyTorch s/epoch':>15}  {'speed-up':>8}  "
          f"{'GFLOP/s':>7}  {'sgemm GFLOP/s':>13}")
    for name in ours[0]:
        mine, torch_s = median(ours, name, "seconds_per_epoch"), median(theirs, name, "seconds_per_epoch")
        print(f"{name:16}  {mine:15.3f}  {torch_s:15.3f}  {torch_s / mine:7.2f}x  "
              f"{median(ours, name, 'gflops'):7.1f}  {median(ours, name, 'sgemm_gflops'):13.1f}")
    print(f"({args.rounds} round(s) of {args.epochs} epochs; {theirs[0][next(iter(theirs[0]))]['framework']})")


if __name__ == "__main__":
    main()
