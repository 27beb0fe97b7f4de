"""Everything that draws: the SVG writer and its theme (``svg``), the step-by-step diagram (``steps``), the
helpers the topic figures share (``kit``) and one module per topic figure, each function returning a ``Plot``.

Importing any of them imports matplotlib; ``import conv_docs`` does not.
"""
