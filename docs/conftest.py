"""Set-up for the docs' fences when pytest runs a page on its own (tests/conftest.py is read only for tests/).

Keras 3 picks its back end once, at its first import (TensorFlow unless told), and JAX computes in float32 unless
x64 is on. The fences of guide/other-libraries.md run Keras on JAX in float64, and tell the reader to set the same.
mkdocs.yml keeps this file out of the site (exclude_docs).
"""

import os

os.environ["KERAS_BACKEND"] = "jax"
os.environ["JAX_ENABLE_X64"] = "1"
