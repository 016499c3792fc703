"""Runs shared/peers/vae_torch.py with PEER_THREADS torch threads (it sets 2 on import).

Usage: PEER_THREADS=1 python3 peer.py PEERS_DIR DECODER Z EPOCHS
"""
import os
import runpy
import sys

import torch

threads = int(os.environ.get("PEER_THREADS", "2"))
_set = torch.set_num_threads
torch.set_num_threads = lambda n: _set(threads)
peers = sys.argv[1]
sys.path.insert(0, peers)
sys.argv = [os.path.join(peers, "vae_torch.py")] + sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
