#!/usr/bin/env python3
"""PyTorch side of `./backstream bench`: the tutorial CNN, timed exactly like Backstream's side.

One training iteration = zero_grad + forward + CrossEntropyLoss + backward + SGD(lr=0.001,
momentum=0.9) step on a fixed random batch (data loading is not timed). Inference = eval() under
no_grad(), forward only. Per config: an untimed warm-up as long as one window (at least 3
iterations), then WINDOWS back-to-back windows of at least MIN_SECONDS (and at least 50 iterations at batch 1, else 3).

Prints one line per config, `pytorch <train|infer> bs=<n> images_per_s=<best window>`, then a
`# windows ...` line with every window, so a noisy machine shows as spread.
Run with Debian's python3-torch: /usr/bin/python3 bench/pytorch_bench.py --threads 2 train:1 infer:256
"""
import argparse
import sys
import time

import torch
from torch import nn


def tutorial_cnn():
    return nn.Sequential(
        nn.Conv2d(3, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1024, 64), nn.Linear(64, 10))


def measure(step, batch, min_iters, windows, min_seconds):
    warmup_end, warmup_iters = time.perf_counter() + min_seconds, 0
    while warmup_iters < 3 or time.perf_counter() < warmup_end:
        step()
        warmup_iters += 1
    rates = []
    for _ in range(windows):
        iters, start = 0, time.perf_counter()
        while True:
            step()
            iters += 1
            elapsed = time.perf_counter() - start
            if iters >= min_iters and elapsed >= min_seconds:
                break
        rates.append(iters * batch / elapsed)
    return rates


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--windows", type=int, default=3)
    p.add_argument("--min-seconds", type=float, default=2.0)
    p.add_argument("configs", nargs="+", help="train:<batch> or infer:<batch>")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    for config in a.configs:
        mode, _, bs = config.partition(":")
        if mode not in ("train", "infer") or not bs.isdigit() or int(bs) < 1:
            sys.exit(f"bad config '{config}': expected train:<batch> or infer:<batch>")
        bs = int(bs)
        model = tutorial_cnn()
        x = torch.rand(bs, 3, 32, 32)
        y = torch.randint(0, 10, (bs,))
        if mode == "train":
            model.train()
            loss_fn = nn.CrossEntropyLoss()
            opt = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)

            def step():
                opt.zero_grad()
                loss_fn(model(x), y).backward()
                opt.step()
        else:
            model.eval()

            def step():
                with torch.no_grad():
                    model(x)
        rates = measure(step, bs, 50 if bs == 1 else 3, a.windows, a.min_seconds)
        print(f"pytorch {mode} bs={bs} images_per_s={max(rates):.1f}")
        print(f"# pytorch {mode} bs={bs} windows={' '.join(f'{r:.1f}' for r in rates)} "
              f"torch={torch.__version__} threads={torch.get_num_threads()}", flush=True)


if __name__ == "__main__":
    main()
