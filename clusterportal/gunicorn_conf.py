"""gunicorn settings for the portal (bench/README.md has the measurements behind them):

    gunicorn -c python:clusterportal.gunicorn_conf clusterportal.wsgi -w 4 -b 127.0.0.1:8000

- Synchronous workers, one per core or two: a request is CPU-bound Python (the
  database answers in well under a millisecond), so threads in a worker only wait
  for each other's GIL; with threads (gthread) the tail latency was worse at the
  same throughput.
- Fewer garbage collections: the objects a worker loads at start (Django, URL
  patterns, templates) live as long as the process, and the registry index holds
  many more. Freezing the first and collecting the young generation less often
  keeps full collections (tens of milliseconds over a large heap) out of requests.
"""

import gc

worker_class = "sync"


def post_worker_init(worker) -> None:
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
