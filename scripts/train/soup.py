"""Averages the weights of several checkpoints of one training run into one model (a "model soup").

    python scripts/train/soup.py models/checkbox-detector.pt runs/v2b/weights/epoch2.pt runs/v2b/weights/epoch3.pt

Adjacent epochs of a fine-tune sit in one basin of the loss; their average scored better on the held-out styles
and the real dev sets than either epoch alone (models/checkbox-detector.md, "Data and training"). Each checkpoint's EMA weights
are averaged (what Ultralytics exports), BatchNorm statistics included; the output is stripped of optimizer state
and written whole or not at all.
"""
import argparse
import os

import torch


def weights(ckpt):
    return ckpt["ema"] if ckpt.get("ema") is not None else ckpt["model"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="the averaged .pt")
    ap.add_argument("checkpoints", nargs="+", help="two or more .pt files of the same architecture")
    a = ap.parse_args()
    if len(a.checkpoints) < 2:
        ap.error("give at least two checkpoints")

    ckpts = [torch.load(p, map_location="cpu", weights_only=False) for p in a.checkpoints]
    states = [weights(c).float().state_dict() for c in ckpts]
    if any(s.keys() != states[0].keys() for s in states):
        raise SystemExit("the checkpoints have different architectures")
    average = {
        k: (sum(s[k] for s in states) / len(states)).to(v.dtype) if v.is_floating_point() else v
        for k, v in states[0].items()
    }
    out = ckpts[0]
    model = weights(out).float()
    model.load_state_dict(average)
    out.update(model=model.half(), ema=None, optimizer=None, updates=None)
    torch.save(out, a.out + ".tmp")
    os.replace(a.out + ".tmp", a.out)
    print(f"wrote {a.out} (average of {len(ckpts)} checkpoints)")


if __name__ == "__main__":
    main()
