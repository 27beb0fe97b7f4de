"""conv_docs: 1-D convolution as PyTorch's ``nn.Conv1d`` computes it, step by step.

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
