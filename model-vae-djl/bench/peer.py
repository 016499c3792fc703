"""Runs benchmarks/peers/vae_torch.py with PEER_THREADS torch threads (it sets 2 on import).

Usage: PEER_THREADS=1 python3 peer.py PEERS_DIR DECODER Z EPOCHS

peer_env is imported before torch: it sets up Debian's OpenBLAS (kernels for this processor, no
nested BLAS threads) and must run before numpy or torch load, or the peer runs with the broken
set-up at several times its real step time (docs/benchmarks.md).
"""
import os
import runpy
import sys

peers = sys.argv[1]
sys.path.insert(0, peers)
import peer_env  # noqa: E402,F401  (before torch: see above)
import torch  # noqa: E402

threads = int(os.environ.get("PEER_THREADS", "2"))
_set = torch.set_num_threads
torch.set_num_threads = lambda n: _set(threads)
sys.argv = [os.path.join(peers, "vae_torch.py")] + sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
