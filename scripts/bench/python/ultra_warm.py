"""Child process: time Ultralytics predict() warm on the benchmark's pages, one page at a time.

Each call starts from the file on disk, like our pipeline: read + decode, letterbox, inference, NMS.
Prints one line `BENCH_RESULT <json>` (see scripts/bench/protocol.ts).
"""
import argparse
import json
import resource
import time

from reference_models import load_reference, peak_rss_mb

parser = argparse.ArgumentParser()
parser.add_argument("--pages", required=True, help="JSON list of {name, file}")
parser.add_argument("--model", required=True, help=".pt, .onnx or an architecture .yaml")
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--label", default="ultralytics")
parser.add_argument("--conf", type=float, default=0.2)
args = parser.parse_args()

with open(args.pages) as f:
    pages = json.load(f)
model = load_reference(args.model)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process
    return usage.ru_utime + usage.ru_stime


def predict(file: str) -> dict:
    t0, c0 = time.perf_counter(), cpu_seconds()
    model.predict(file, conf=args.conf, verbose=False)
    return {"ms": (time.perf_counter() - t0) * 1000, "cpuMs": (cpu_seconds() - c0) * 1000}


for page in pages:
    predict(page["file"])
samples = [{"page": p["name"], **predict(p["file"])} for _ in range(args.rounds) for p in pages]

import torch  # noqa: E402  (already loaded by ultralytics)
import ultralytics  # noqa: E402

result = {
    "label": args.label,
    "samples": samples,
    "peakRssMb": peak_rss_mb(),
    "notes": {"ultralytics": ultralytics.__version__, "torch": torch.__version__, "torchThreads": torch.get_num_threads()},
}
print("BENCH_RESULT " + json.dumps(result), flush=True)
