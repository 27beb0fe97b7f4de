"""Figures beyond the step-by-step convolution diagram: one module per topic, each function returning a Plot."""
