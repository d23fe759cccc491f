"""French Q&A assistant for the Musenor museum network: cited answers over the survey and resource corpus.

Kept import-light on purpose: heavy modules (FAISS, models) load on first use.
"""

__version__ = "0.1.0"
