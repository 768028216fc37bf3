#!/usr/bin/env python3
"""Side by side: `lessons bench` and `pytorch_reference.py` on the same experiments, one after the
other (never at once: they would share the two cores), then one table.

    swift build -c release
    python3 bench/compare.py --epochs 7 --rounds 3           # all nine experiments
    python3 bench/compare.py gru-scratch lstm-scratch --rounds 3

Each experiment runs in a process of its own on each side, so each side's peak memory is that
experiment's. Within a round the two sides alternate experiment by experiment (ours, then
PyTorch's); with --rounds N every figure is the median over the N rounds, which tames a noisy
machine. Needs torch (CPU build) for the PyTorch side: pip install torch.
"""
import argparse, importlib.util, json, os, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EXPERIMENTS = ["rnn-random", "rnn-consecutive", "gru-scratch", "gru-concise", "lstm-scratch",
               "lstm-concise", "deep-lstm-2", "deep-lstm-6", "bi-gru"]


def run_one(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    results = [json.loads(line) for line in out.splitlines() if line.strip()]
    if len(results) != 1:
        sys.exit(f"expected one result from {' '.join(command)}, got {len(results)}")
    return results[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("experiments", nargs="*", default=EXPERIMENTS)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2, help="PyTorch threads (Engine uses one per core)")
    parser.add_argument("--batched-output", action="store_true",
                        help="PyTorch's scratch models apply the output layer once per batch, as ours do")
    parser.add_argument("--lessons", default=os.path.join(ROOT, ".build/release/lessons"))
    parser.add_argument("--data-dir", default=os.environ.get("LESSONS_DATA_DIR", os.path.join(ROOT, "../shared/data")))
    args = parser.parse_args()
    if importlib.util.find_spec("torch") is None:
        sys.exit("No module named torch: pip install torch")
    if not os.path.exists(args.lessons):
        sys.exit(f"{args.lessons} not found: run `swift build -c release` first (or pass --lessons)")
    unknown = [e for e in args.experiments if e not in EXPERIMENTS]
    if unknown:
        sys.exit(f"unknown experiment(s) {', '.join(unknown)}; known: {', '.join(EXPERIMENTS)}")

    def ours_cmd(name):
        return [args.lessons, "bench", name, "--json", "--epochs", str(args.epochs), "--data-dir", args.data_dir]

    def torch_cmd(name):
        return ([sys.executable, os.path.join(HERE, "pytorch_reference.py"), name, "--epochs", str(args.epochs),
                 "--threads", str(args.threads), "--data-dir", args.data_dir]
                + (["--batched-output"] if args.batched_output else []))

    ours = {name: [] for name in args.experiments}
    theirs = {name: [] for name in args.experiments}
    for _ in range(args.rounds):
        for name in args.experiments:
            ours[name].append(run_one(ours_cmd(name)))
            theirs[name].append(run_one(torch_cmd(name)))

    def median(runs, key):
        return statistics.median(r[key] for r in runs)

    print(f"{'experiment':16}  {'lessons s/epoch':>15}  {'PyTorch s/epoch':>15}  {'speed-up':>8}  {'GFLOP/s':>7}  "
          f"{'sgemm alone':>11}  {'of alone':>8}  {'peak':>6}  {'of peak':>7}  {'RSS MB lessons':>14}  {'RSS MB PyTorch':>14}")
    for name in args.experiments:
        mine, torch_s = median(ours[name], "seconds_per_epoch"), median(theirs[name], "seconds_per_epoch")
        gflops, alone = median(ours[name], "gflops"), median(ours[name], "sgemm_gflops")
        peak = median(ours[name], "peak_gflops")
        print(f"{name:16}  {mine:15.3f}  {torch_s:15.3f}  {torch_s / mine:7.2f}x  {gflops:7.1f}  "
              f"{alone:11.1f}  {100 * gflops / alone:7.0f}%  {peak:6.1f}  {100 * gflops / peak:6.0f}%  "
              f"{median(ours[name], 'max_rss_mb'):14.0f}  {median(theirs[name], 'max_rss_mb'):14.0f}")
    framework = theirs[args.experiments[0]][0]["framework"]
    print(f"({args.rounds} round(s) of {args.epochs} epochs, alternating experiment by experiment; {framework})")


if __name__ == "__main__":
    main()
