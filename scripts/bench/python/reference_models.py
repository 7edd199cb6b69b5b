"""Load a reference model for the benchmark without downloading anything.

A spec is a weights file (.pt, .onnx) or an Ultralytics architecture YAML ("yolo11n.yaml", "yolo11m.yaml"):
the latter builds an untrained two-class model, which is as fast as a trained one.
"""
import os

os.environ.setdefault("YOLO_OFFLINE", "true")

import ultralytics.utils.torch_utils as torch_utils  # noqa: E402
from ultralytics import YOLO  # noqa: E402
from ultralytics.nn.tasks import DetectionModel  # noqa: E402

# select_device() sets torch to cpu_count - 1 threads (1 on a 2-core machine); give the reference every core,
# unless the benchmark asks for Ultralytics exactly as installed.
if os.environ.get("BENCH_ULTRALYTICS_DEFAULT_THREADS") != "1":
    torch_utils.NUM_THREADS = os.cpu_count() or 1

NAMES = {0: "empty", 1: "filled"}


def load_reference(spec: str) -> YOLO:
    if spec.endswith((".yaml", ".yml")):
        model = YOLO(spec, task="detect")
        model.model = DetectionModel(spec, nc=len(NAMES), verbose=False)
        model.model.names = dict(NAMES)
        return model
    if not os.path.exists(spec):
        raise FileNotFoundError(spec)
    return YOLO(spec, task="detect")


def peak_rss_mb() -> float:
    """Peak resident set of this process (Linux reports ru_maxrss in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
