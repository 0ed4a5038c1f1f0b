"""c2m-tailor: made-to-measure garment production, measure -> transmit -> cut -> personalize."""

__version__ = "0.1.0"
