"""Grading a class with nbgrader: configured steps that fix what stock autograde gets wrong
(their order: steps.py), and the parallel runner behind `course grade` (runner.py)."""
