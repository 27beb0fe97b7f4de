"""conv_docs: 1-D convolution as PyTorch's ``nn.Conv1d`` computes it, step by step.

The computation, one module per idea, each importing only those above it in this list:

- ``params``: parameter checks, padding resolution and output lengths;
- ``reference``: the reference convolutions, plain loops written to be read;
- ``trace``: the step-by-step trace every view of the site is drawn from;
- ``fast``: the same ``conv1d`` computed the way frameworks do (im2col, FFT);
- ``matrix``: convolution as a Toeplitz matrix, and its transpose;
- ``causal`` and ``streaming``: causal convolution, and a layer that takes live input in chunks;
- ``overlap``: how many terms a transposed convolution adds into each output;
- ``receptive_field``, ``stack`` and ``printed_model``: stacks of layers, their lengths and receptive fields,
  read from Python or from what ``print(model)`` shows;
- ``solve``: the inverse questions (which padding, which ``output_padding``);
- ``variable_length``: batches of sequences of different lengths;
- ``porting``: padding rules and weight layouts of Keras, JAX, NumPy and SciPy;
- ``figures``, a package: everything that draws;
- ``cli`` (and ``__main__``): the ``conv-docs`` command line, which draws with ``figures``;
- ``site``, a package: what only the site build uses.

>>> from conv_docs import conv1d, trace_conv1d
>>> conv1d([[2, 3, 4]], [[[1, 1]]], stride=2, padding=1)
array([[2., 7.]])
>>> trace_conv1d([2, 3, 4], [1, 1], stride=2).unread
((0, 2),)
"""

from conv_docs.params import PADDING_MODES, output_length, resolve_padding
from conv_docs.reference import conv1d, conv_transpose1d, pad
from conv_docs.trace import Cell, Step, Term, Trace, describe, trace_conv1d, trace_conv_transpose1d

__version__ = "0.1.0"

__all__ = [
    "PADDING_MODES",
    "Cell",
    "Step",
    "Term",
    "Trace",
    "conv1d",
    "conv_transpose1d",
    "describe",
    "output_length",
    "pad",
    "resolve_padding",
    "trace_conv1d",
    "trace_conv_transpose1d",
]
