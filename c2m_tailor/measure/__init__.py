"""Measure stage: body dimensions from a tape file or a 3D scan, validated, into the job."""
