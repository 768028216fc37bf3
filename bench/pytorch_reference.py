#!/usr/bin/env python3
"""The seeds' experiments in PyTorch, for a side-by-side speed comparison with `lessons bench`.

Our own re-implementation of the d2l training loop with the sources' algorithm: the scratch
models apply the output layer at every step, as the sources' code does (pass --batched-output
to apply it once per minibatch, as our chapters do). Same data, settings and metrics as
`lessons bench`; prints one JSON object per experiment with the same keys.

    pip install torch        # CPU build
    python3 bench/pytorch_reference.py gru-scratch lstm-scratch --epochs 3

Not part of the test suite; nothing in the project depends on it.
"""
import argparse, json, math, os, resource, statistics, sys, time, zipfile
try:
    import torch
    from torch import nn
except ModuleNotFoundError:
    sys.exit("No module named torch: pip install torch")

STEPS, BATCH, HIDDEN = 35, 32, 256


def load_lyrics(data_dir):
    with zipfile.ZipFile(os.path.join(data_dir, "jaychou_lyrics.txt.zip")) as z:
        text = z.read("jaychou_lyrics.txt").decode("utf-8")
    text = text.replace("\n", " ").replace("\r", " ")[:10000]
    vocab = list(dict.fromkeys(text))
    index = {c: i for i, c in enumerate(vocab)}
    return [index[c] for c in text], len(vocab)


def consecutive(corpus):
    data = torch.tensor(corpus)
    batch_len = len(corpus) // BATCH
    rows = data[: BATCH * batch_len].view(BATCH, batch_len)
    for i in range((batch_len - 1) // STEPS):
        j = i * STEPS
        yield rows[:, j:j + STEPS], rows[:, j + 1:j + STEPS + 1]


def random_batches(corpus):
    examples = (len(corpus) - 1) // STEPS
    order = torch.randperm(examples).tolist()
    data = torch.tensor(corpus)
    for i in range(examples // BATCH):
        starts = [k * STEPS for k in order[i * BATCH:(i + 1) * BATCH]]
        yield (torch.stack([data[s:s + STEPS] for s in starts]),
               torch.stack([data[s + 1:s + STEPS + 1] for s in starts]))


def normal(*shape):
    return nn.Parameter(torch.randn(*shape) * 0.01)


def zeros(n):
    return nn.Parameter(torch.zeros(n))


class Scratch(nn.Module):
    """RNN, GRU (reset gate after the hidden product) or LSTM from tensor ops."""

    def __init__(self, kind, vocab, batched_output):
        super().__init__()
        self.kind, self.vocab, self.batched = kind, vocab, batched_output
        groups = {"rnn": 1, "gru": 3, "lstm": 4}[kind]
        self.wx = nn.ParameterList([normal(vocab, HIDDEN) for _ in range(groups)])
        self.wh = nn.ParameterList([normal(HIDDEN, HIDDEN) for _ in range(groups)])
        self.b = nn.ParameterList([zeros(HIDDEN) for _ in range(groups)])
        self.w_out, self.b_out = normal(HIDDEN, vocab), zeros(vocab)

    def init_state(self, batch):
        h = torch.zeros(batch, HIDDEN)
        return (h, torch.zeros(batch, HIDDEN)) if self.kind == "lstm" else (h,)

    def forward(self, tokens, state):
        wx, wh, b = self.wx, self.wh, self.b
        h = state[0]
        c = state[1] if self.kind == "lstm" else None
        outputs = []
        for x in nn.functional.one_hot(tokens.T, self.vocab).float():
            if self.kind == "rnn":
                h = torch.tanh(x @ wx[0] + h @ wh[0] + b[0])
            elif self.kind == "gru":
                z = torch.sigmoid(x @ wx[0] + h @ wh[0] + b[0])
                r = torch.sigmoid(x @ wx[1] + h @ wh[1] + b[1])
                candidate = torch.tanh(x @ wx[2] + r * (h @ wh[2]) + b[2])
                h = z * h + (1 - z) * candidate
            else:
                i = torch.sigmoid(x @ wx[0] + h @ wh[0] + b[0])
                f = torch.sigmoid(x @ wx[1] + h @ wh[1] + b[1])
                o = torch.sigmoid(x @ wx[2] + h @ wh[2] + b[2])
                candidate = torch.tanh(x @ wx[3] + h @ wh[3] + b[3])
                c = f * c + i * candidate
                h = o * torch.tanh(c)
            outputs.append(h if self.batched else h @ self.w_out + self.b_out)
        logits = torch.cat(outputs) @ self.w_out + self.b_out if self.batched else torch.cat(outputs)
        return logits, ((h, c) if self.kind == "lstm" else (h,))


class Concise(nn.Module):
    def __init__(self, layer, vocab):
        super().__init__()
        self.layer, self.vocab = layer, vocab
        self.dense = nn.Linear(layer.hidden_size * (2 if layer.bidirectional else 1), vocab)

    def forward(self, tokens, state):
        y, state = self.layer(nn.functional.one_hot(tokens.T, self.vocab).float(), state)
        return self.dense(y.reshape(-1, y.shape[-1])), state


EXPERIMENTS = {
    "rnn-random": ("scratch", "rnn"), "rnn-consecutive": ("scratch", "rnn"),
    "gru-scratch": ("scratch", "gru"), "lstm-scratch": ("scratch", "lstm"),
    "gru-concise": ("concise", lambda v: nn.GRU(v, HIDDEN)),
    "lstm-concise": ("concise", lambda v: nn.LSTM(v, HIDDEN)),
    "deep-lstm-2": ("concise", lambda v: nn.LSTM(v, HIDDEN, num_layers=2)),
    "deep-lstm-6": ("concise", lambda v: nn.LSTM(v, HIDDEN, num_layers=6)),
    "bi-gru": ("concise", lambda v: nn.GRU(v, 128, bidirectional=True)),
}


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def run(name, corpus, vocab, epochs, batched_output):
    style, what = EXPERIMENTS[name]
    if style == "scratch":
        model = Scratch(what, vocab, batched_output)
        optimizer = torch.optim.SGD(model.parameters(), lr=100)
    else:
        model = Concise(what(vocab), vocab)
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn, times, state, ppl = nn.CrossEntropyLoss(), [], None, float("nan")
    for _ in range(epochs):
        start, total, count = time.perf_counter(), 0.0, 0
        if style == "scratch":
            state = None
        batches = random_batches(corpus) if name == "rnn-random" else consecutive(corpus)
        for x, y in batches:
            if style == "scratch" and (state is None or name == "rnn-random"):
                state = model.init_state(x.shape[0])
            elif state is not None:
                state = detach(state)
            logits, state = model(x, state)
            loss = loss_fn(logits, y.T.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(model.parameters()), 0.01)
            optimizer.step()
            total, count = total + loss.item() * y.numel(), count + y.numel()
        times.append(time.perf_counter() - start)
        ppl = math.exp(total / count)
    seconds = statistics.median(times)
    return {"experiment": name, "epochs": epochs, "seconds_per_epoch": seconds,
            "tokens_per_second": count / seconds, "perplexity": ppl,
            # peak resident memory of this process so far (ru_maxrss is in KiB on Linux)
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6,
            "framework": f"torch {torch.__version__}, {torch.get_num_threads()} threads"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("experiments", nargs="*", default=list(EXPERIMENTS))
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batched-output", action="store_true")
    parser.add_argument("--data-dir", default=os.environ.get("LESSONS_DATA_DIR", "../shared/data"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    corpus, vocab = load_lyrics(args.data_dir)
    for name in args.experiments:
        print(json.dumps(run(name, corpus, vocab, args.epochs, args.batched_output)), flush=True)


if __name__ == "__main__":
    main()
