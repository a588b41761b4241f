"""Interchange in the W3C Web Annotation vocabulary: IRIs, shapes out, shapes in."""
