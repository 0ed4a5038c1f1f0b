"""Transmit stage: a job travels to the factory as one verifiable order package."""
