"""Set-up for every pytest run, whichever paths it is given (tests/conftest.py is read only for tests/).

Keras 3 picks its backend once, at its first import (TensorFlow unless told), and JAX computes in float32 unless
x64 is on. Both are set here, before any test, doctest or docs fence imports them, so that the porting checks
(docs/guide/other-libraries.md, tests/test_porting.py) run Keras on JAX, in float64, also when a page is run alone.
"""

import os

os.environ["KERAS_BACKEND"] = "jax"
os.environ["JAX_ENABLE_X64"] = "1"
