"""Everything that draws, each function returning a ``Plot``: the modules every figure uses,

- ``svg``: the SVG writer, its theme and the colours figures are drawn with;
- ``kit``: what the topic figures share (a blank figure, rows of cells, wrapping into a ``Plot``);
- ``steps``: the step-by-step diagram of a convolution, one panel per output;

and one module per topic figure:

- ``padding_modes``, ``same_padding``, ``dilation_taps``, ``channel_connections``: the parameters of ``Conv1d``;
- ``length_curves``, ``transposed_lengths``, ``transposed_scatter``, ``overlap_counts``: output lengths and
  transposed convolution;
- ``toeplitz``, ``gradients``, ``fast_paths``: convolution as a matrix, its backward pass, im2col;
- ``receptive_stack``, ``gridding``, ``frame_fields``: what the outputs of a stack see;
- ``causal_windows``, ``stream_state``, ``padded_batch``: causal layers, streaming, batches of mixed lengths.

Importing any of them imports matplotlib; ``import conv_docs`` does not.
"""
